#!/usr/bin/env bash
# samestory serve under load on loopback, with 1,000,000 articles indexed.
#
# The corpus is bench/gen_stories.py's (re-run stories across 2024, as cluster_scale.sh uses).
# Its first ARTICLES - TAIL articles are indexed once with `samestory index` (cached in
# $BENCH_DIR, as the index takes a quarter of an hour); each run copies that database, starts
# `samestory serve` on it and measures, in the same run:
#   1. ingest: the last TAIL articles POSTed over HTTP (100 a request, 2 connections), so the
#      index ends with ARTICLES articles (target: >= 2,000 articles/s on 2 cores);
#   2. GET alone: wrk, 2 threads, 20 s of /articles/ID, /stories/N and /stories?limit=20 at
#      random, from 2 connections and from 8 (target: p99 <= 20 ms). wrk keeps every connection
#      busy, so these are the latencies at full load: 2 cores serve the requests and run wrk;
#   3. GET during ingest: the same reads (2 connections) while another TAIL articles are posted
#      (ids renamed).
# Prints the figures and the ratio of each to its target.
#
# Usage: bench/serve.sh [ARTICLES] [BUILD_DIR]   (default 1000000; TAIL=20000 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
articles=${1:-1000000}
build=${2:-build}
tail_n=${TAIL:-20000}
work=${BENCH_DIR:-/tmp/samestory-bench}
shared=${SAMESTORY_SHARED:-../shared}
mkdir -p "$work"
source bench/stories_corpus.sh
command -v wrk >/dev/null || { echo "wrk is not installed: run scripts/deps.sh" >&2; exit 1; }

base_n=$((articles - tail_n))
cached="$work/serve-$base_n.db"
# Delete it to index again (after a change to what ingest stores).
if [[ ! -s "$cached" || ! -s "$work/serve-index.json" ]]; then
  echo "indexing the first $base_n articles (once; cached in $cached)..." >&2
  rm -f "$cached" "$cached-wal" "$cached-shm"
  head -n "$base_n" "$corpus" > "$work/serve-base.jsonl"
  "$bin" --json index --db "$cached" "$work/serve-base.jsonl" > "$work/serve-index.json"
  rm -f "$work/serve-base.jsonl"
fi
db="$work/serve-run.db"
rm -f "$db" "$db-wal" "$db-shm"
cp "$cached" "$db"
# Flushed before the clock starts: otherwise the server's first checkpoint fsync writes back the
# whole fresh copy (2 GB) and one request stalls for seconds, which a settled database never does.
sync "$db"

"$bin" serve --db "$db" --listen 127.0.0.1:0 --max-batch 1000 2> "$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 600); do
  grep -q "http://127.0.0.1:" "$work/serve.log" 2>/dev/null && break
  sleep 0.5
done
url=$(grep -o "http://127.0.0.1:[0-9]*" "$work/serve.log" | head -1)
[[ -n "$url" ]] || { cat "$work/serve.log" >&2; exit 1; }
echo "server: $url, $(grep -o '([0-9]* articles, [0-9]* live, restored in [0-9.]* s' "$work/serve.log" | tr -d '(')" >&2

ingest=$(/usr/bin/python3 bench/serve_load.py ingest "$url" "$corpus" "$base_n" "$tail_n" 100 2)
stories=$(curl -s "$url/stories?limit=1" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["stories"][0]["id"])')
export SAMESTORY_IDS=$articles SAMESTORY_STORIES=$stories
get_alone=$(wrk -t2 -c2 -d20s --latency -s bench/serve_get.lua "$url")
get_eight=$(wrk -t2 -c8 -d20s --latency -s bench/serve_get.lua "$url")
# Reads while writing: the tail again under new ids, so every article is new to the index.
sed 's/"id": "a/"id": "again-a/' <(tail -n "$tail_n" "$corpus") > "$work/serve-again.jsonl"
/usr/bin/python3 bench/serve_load.py ingest "$url" "$work/serve-again.jsonl" 0 "$tail_n" 100 2 > "$work/ingest2.json" &
writer=$!
sleep 1
get_mixed=$(wrk -t2 -c2 -d15s --latency -s bench/serve_get.lua "$url")
wait $writer
ingest2=$(cat "$work/ingest2.json")
rss=$(ps -o rss= -p $server)
curl -s "$url/metrics" > "$work/serve-metrics.txt"
kill $server; wait $server 2>/dev/null || true
trap - EXIT
db_mb=$(du -m "$db" | cut -f1)

/usr/bin/python3 - "$articles" "$ingest" "$get_alone" "$get_mixed" "$ingest2" "$rss" "$db_mb" "$get_eight" <<'PY'
import json, re, sys
n = int(sys.argv[1])
ingest, mixed_ingest = json.loads(sys.argv[2]), json.loads(sys.argv[5])
def wrk(text):
    def ms(v, unit):
        return float(v) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    pct = {m.group(1): ms(m.group(2), m.group(3)) for m in re.finditer(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    return pct, rps, int(non2xx.group(1)) if non2xx else 0, errors.group(1) if errors else "none"
alone, rps, bad, err = wrk(sys.argv[3])
mixed, rps_m, bad_m, err_m = wrk(sys.argv[4])
eight, rps_8, bad_8, err_8 = wrk(sys.argv[8])
print(f"index: {n:,} articles after the ingest; database {int(sys.argv[7]):,} MB; server RSS {int(sys.argv[6]) / 1024:.0f} MB")
rate = ingest["articles_per_second"]
print(f"ingest over HTTP: {ingest['articles']:,} articles in {ingest['seconds']:.1f} s = {rate:,.0f} articles/s "
      f"(batches of {ingest['batch']}, {ingest['clients']} connections; request p50 {ingest['p50_ms']:.0f} ms, "
      f"p99 {ingest['p99_ms']:.0f} ms, slowest {ingest['max_ms']:.0f} ms: request {ingest['slowest_request'] + 1} of "
      f"{ingest['requests']}; statuses {ingest['statuses']}); target >= 2,000: "
      f"{'met' if rate >= 2000 else 'NOT met'} ({rate / 2000:.2f}x)")
print(f"GET alone, 2 connections (wrk, 20 s): {rps:,.0f} requests/s, p50 {alone['50']:.2f} ms, "
      f"p90 {alone['90']:.2f} ms, p99 {alone['99']:.2f} ms; non-2xx {bad}, socket errors {err}; "
      f"target p99 <= 20 ms: {'met' if alone['99'] <= 20 else 'NOT met'} ({20 / alone['99']:.2f}x)")
print(f"GET alone, 8 connections (wrk, 20 s): {rps_8:,.0f} requests/s, p50 {eight['50']:.2f} ms, "
      f"p90 {eight['90']:.2f} ms, p99 {eight['99']:.2f} ms; non-2xx {bad_8}, socket errors {err_8}; "
      f"target p99 <= 20 ms: {'met' if eight['99'] <= 20 else 'NOT met'} ({20 / eight['99']:.2f}x)")
print(f"GET during ingest, 2 connections: {rps_m:,.0f} requests/s, p50 {mixed['50']:.2f} ms, p99 {mixed['99']:.2f} ms "
      f"(non-2xx {bad_m}); ingest meanwhile {mixed_ingest['articles_per_second']:,.0f} articles/s")
PY
