# Sourced by the scale benchmarks: builds samestory, then generates (once, cached in $work) the
# corpus of re-run stories of bench/gen_stories.py and sets $corpus to it. Needs $articles,
# $build, $work and $shared set by the caller.
bash scripts/build.sh >/dev/null
bin="$build/samestory"
corpus="$work/stories-$articles.jsonl"
if [[ ! -s "$corpus" ]]; then
  "$bin" -q read -o "$work/reuters.jsonl" "$shared/data/reuters21578"
  "$bin" -q read -o "$work/giveme.jsonl" "$shared/data/giveme5w1h-news-cluster-dev"
  echo "generating $articles articles..." >&2
  /usr/bin/python3 bench/gen_stories.py "$articles" "$corpus" "$work/reuters.jsonl" "$work/giveme.jsonl"
fi
bytes=$(stat -c %s "$corpus")
cat "$corpus" >/dev/null  # in the page cache before anything is timed

# Runs samestory with /usr/bin/time; prints "seconds peak_kb summary-json".
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$bin" --json "$@" 2>"$work/err.txt" >/dev/null
  echo "$(cat "$work/time.txt") $(tail -1 "$work/err.txt")"
}
