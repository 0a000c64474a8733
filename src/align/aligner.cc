#include "align/aligner.h"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace samestory {
namespace {

// A stretch of equal words: a[a .. a + len) == b[b .. b + len).
struct Run {
  int32_t a;
  int32_t b;
  int32_t len;

  int32_t a_end() const { return a + len; }
  int32_t b_end() const { return b + len; }
  int32_t diagonal() const { return b - a; }
};

uint64_t gram_hash(const Token* t, int n) {
  uint64_t h = 0;
  for (int k = 0; k < n; ++k) h = (h ^ t[k].hash) * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(k);
  return h;
}

// Per-thread scratch space, so aligning many pairs allocates nothing after the first.
struct Scratch {
  std::vector<uint64_t> keys;
  std::vector<int32_t> heads;
  std::vector<int32_t> counts;
  std::vector<int32_t> next;
  std::vector<int32_t> last_run_on_diagonal;
  std::vector<Run> runs;
  std::vector<int64_t> best;
  std::vector<int32_t> prev;
  std::vector<int32_t> trimmed_start;  // how many words of each run its best predecessor overlaps
  std::vector<int32_t> edit_row;
  std::vector<int32_t> edit_prev_row;
  std::vector<bool> taken_a;  // words already inside a passage
  std::vector<bool> taken_b;
  std::vector<int32_t> taken_before_a;  // taken words before each position (size + 1)
  std::vector<int32_t> taken_before_b;
};

class Chainer {
 public:
  Chainer(const AlignText& a, const AlignText& b, const AlignOptions& options, Scratch* s)
      : a_(a), b_(b), options_(options), s_(*s) {}

  Alignment run() {
    Alignment out;
    out.a_words = static_cast<uint32_t>(a_.tokens.size());
    out.b_words = static_cast<uint32_t>(b_.tokens.size());
    find_runs();
    s_.taken_a.assign(a_.tokens.size(), false);
    s_.taken_b.assign(b_.tokens.size(), false);
    s_.taken_before_a.assign(a_.tokens.size() + 1, 0);
    s_.taken_before_b.assign(b_.tokens.size() + 1, 0);
    while (!s_.runs.empty()) {
      chain_all();
      const auto best = std::max_element(s_.best.begin(), s_.best.end());
      const size_t last = static_cast<size_t>(best - s_.best.begin());
      SharedPassage passage;
      int32_t a_begin = 0, b_begin = 0;
      uint32_t matched = take_chain(last, &a_begin, &b_begin, &passage.a_inserted_lines, &passage.b_inserted_lines);
      int32_t a_end = s_.runs[last].a_end(), b_end = s_.runs[last].b_end();
      if (static_cast<int>(matched) < options_.min_words) break;  // best chain too short: so is every other
      matched += extend_across_edits(&a_begin, &b_begin, -1);
      matched += extend_across_edits(&a_end, &b_end, +1);
      passage.a_words = static_cast<uint32_t>(a_end - a_begin);
      passage.b_words = static_cast<uint32_t>(b_end - b_begin);
      passage.matched_words = matched;
      passage.score = 2.0 * matched / (passage.a_words + passage.b_words);
      passage.a = {a_.tokens[static_cast<size_t>(a_begin)].begin, a_.tokens[static_cast<size_t>(a_end - 1)].end};
      passage.b = {b_.tokens[static_cast<size_t>(b_begin)].begin, b_.tokens[static_cast<size_t>(b_end - 1)].end};
      out.a_shared_words += passage.a_words;
      out.b_shared_words += passage.b_words;
      out.passages.push_back(passage);
      mark_taken(a_begin, a_end, &s_.taken_a, &s_.taken_before_a);
      mark_taken(b_begin, b_end, &s_.taken_b, &s_.taken_before_b);
      remove_taken(a_begin, a_end, b_begin, b_end);
    }
    std::sort(out.passages.begin(), out.passages.end(),
              [](const SharedPassage& x, const SharedPassage& y) { return x.a.begin < y.a.begin; });
    return out;
  }

 private:
  // Steps 1 and 2: anchors, merged by diagonal, extended both ways.
  void find_runs() {
    const int n = std::max(1, options_.seed_words);
    const auto& ta = a_.tokens;
    const auto& tb = b_.tokens;
    auto& runs = s_.runs;
    runs.clear();
    if (ta.size() < static_cast<size_t>(n) || tb.size() < static_cast<size_t>(n)) return;
    const int32_t grams_a = static_cast<int32_t>(ta.size()) - n + 1;
    const int32_t grams_b = static_cast<int32_t>(tb.size()) - n + 1;

    size_t capacity = 16;
    while (capacity < 2 * static_cast<size_t>(grams_a)) capacity <<= 1;
    const size_t mask = capacity - 1;
    s_.keys.assign(capacity, 0);
    s_.heads.assign(capacity, -1);
    s_.counts.assign(capacity, 0);
    s_.next.assign(static_cast<size_t>(grams_a), -1);
    // Inserted back to front, so each chain lists positions in increasing order.
    for (int32_t i = grams_a - 1; i >= 0; --i) {
      const uint64_t h = gram_hash(&ta[static_cast<size_t>(i)], n);
      size_t slot = (h ^ (h >> 29)) & mask;
      while (s_.heads[slot] >= 0 && s_.keys[slot] != h) slot = (slot + 1) & mask;
      s_.keys[slot] = h;
      s_.next[static_cast<size_t>(i)] = s_.heads[slot];
      s_.heads[slot] = i;
      ++s_.counts[slot];
    }

    const size_t diagonals = ta.size() + tb.size();
    s_.last_run_on_diagonal.assign(diagonals, -1);
    for (int32_t j = 0; j < grams_b; ++j) {
      const uint64_t h = gram_hash(&tb[static_cast<size_t>(j)], n);
      size_t slot = (h ^ (h >> 29)) & mask;
      while (s_.heads[slot] >= 0 && s_.keys[slot] != h) slot = (slot + 1) & mask;
      if (s_.heads[slot] < 0 || s_.counts[slot] > options_.max_seed_repeats) continue;
      for (int32_t i = s_.heads[slot]; i >= 0; i = s_.next[static_cast<size_t>(i)]) {
        const size_t d = static_cast<size_t>(j - i + static_cast<int32_t>(ta.size()));
        int32_t& last = s_.last_run_on_diagonal[d];
        if (last >= 0 && runs[static_cast<size_t>(last)].a_end() >= i) {
          Run& r = runs[static_cast<size_t>(last)];
          r.len = std::max(r.len, i + n - r.a);
        } else {
          last = static_cast<int32_t>(runs.size());
          runs.push_back({i, j, n});
        }
      }
    }
    // Extend word by word (the ends of a stretch shorter than an anchor, and words next to a
    // repeated anchor that seeded nothing).
    for (Run& r : runs) {
      while (r.a > 0 && r.b > 0 && ta[static_cast<size_t>(r.a - 1)].hash == tb[static_cast<size_t>(r.b - 1)].hash) {
        --r.a;
        --r.b;
        ++r.len;
      }
      while (static_cast<size_t>(r.a_end()) < ta.size() && static_cast<size_t>(r.b_end()) < tb.size() &&
             ta[static_cast<size_t>(r.a_end())].hash == tb[static_cast<size_t>(r.b_end())].hash) {
        ++r.len;
      }
    }
    // Extension can make runs on one diagonal meet: merge them.
    std::sort(runs.begin(), runs.end(), [](const Run& x, const Run& y) {
      return x.diagonal() != y.diagonal() ? x.diagonal() < y.diagonal() : x.a < y.a;
    });
    size_t kept = 0;
    for (size_t k = 0; k < runs.size(); ++k) {
      if (kept > 0 && runs[kept - 1].diagonal() == runs[k].diagonal() && runs[k].a <= runs[kept - 1].a_end()) {
        Run& m = runs[kept - 1];
        m.len = std::max(m.a_end(), runs[k].a_end()) - m.a;
      } else {
        runs[kept++] = runs[k];
      }
    }
    runs.resize(kept);
    sort_runs();
  }

  void sort_runs() {
    std::sort(s_.runs.begin(), s_.runs.end(),
              [](const Run& x, const Run& y) { return x.a != y.a ? x.a < y.a : x.b < y.b; });
  }

  // Word edit distance between a[a0 .. a0 + na) and b[b0 .. b0 + nb), or -1 when above `limit`.
  int edit_distance(int32_t a0, int32_t na, int32_t b0, int32_t nb, int limit) {
    if (std::abs(na - nb) > limit) return -1;
    auto& row = s_.edit_row;
    auto& prev = s_.edit_prev_row;
    prev.resize(static_cast<size_t>(nb) + 1);
    row.resize(static_cast<size_t>(nb) + 1);
    for (int32_t y = 0; y <= nb; ++y) prev[static_cast<size_t>(y)] = y;
    for (int32_t x = 1; x <= na; ++x) {
      row[0] = x;
      int32_t row_min = row[0];
      const uint64_t ha = a_.tokens[static_cast<size_t>(a0 + x - 1)].hash;
      for (int32_t y = 1; y <= nb; ++y) {
        const int32_t sub = prev[static_cast<size_t>(y - 1)] + (ha == b_.tokens[static_cast<size_t>(b0 + y - 1)].hash ? 0 : 1);
        row[static_cast<size_t>(y)] = std::min({sub, prev[static_cast<size_t>(y)] + 1, row[static_cast<size_t>(y - 1)] + 1});
        row_min = std::min(row_min, row[static_cast<size_t>(y)]);
      }
      if (row_min > limit) return -1;
      std::swap(row, prev);
    }
    return prev[static_cast<size_t>(nb)] <= limit ? prev[static_cast<size_t>(nb)] : -1;
  }

  // Whether the words text[first_word .. first_word + count) of one side are whole lines: a line
  // break between the word before them and the first, and between the last and the word after.
  static bool whole_lines(const AlignText& t, int32_t first_word, int32_t count) {
    const auto& tokens = t.tokens;
    auto break_between = [&](uint32_t from, uint32_t to) {
      return t.text.substr(from, to - from).find('\n') != std::string_view::npos;
    };
    const Token& first = tokens[static_cast<size_t>(first_word)];
    const Token& last = tokens[static_cast<size_t>(first_word + count - 1)];
    const uint32_t before = first_word > 0 ? tokens[static_cast<size_t>(first_word - 1)].end : 0;
    const uint32_t after = static_cast<size_t>(first_word + count) < tokens.size()
                               ? tokens[static_cast<size_t>(first_word + count)].begin
                               : static_cast<uint32_t>(t.text.size());
    return break_between(before, first.begin) && break_between(last.end, after);
  }

  // The cost of bridging the words between two runs, or -1 when they cannot be bridged.
  // Sets *matched to the words inside the gap that still align with an equal word.
  static void mark_taken(int32_t begin, int32_t end, std::vector<bool>* taken, std::vector<int32_t>* before) {
    std::fill(taken->begin() + begin, taken->begin() + end, true);
    for (size_t i = 0; i < taken->size(); ++i) (*before)[i + 1] = (*before)[i] + (*taken)[i];
  }

  // Sets *inserted_lines when the gap is whole lines on one side only. A gap never spans words
  // an earlier passage took, so passages cannot overlap.
  int gap_cost(int32_t a0, int32_t na, int32_t b0, int32_t nb, int32_t* matched, bool* inserted_lines = nullptr) {
    *matched = 0;
    if (inserted_lines) *inserted_lines = false;
    if (na == 0 && nb == 0) return 0;
    if (s_.taken_before_a[static_cast<size_t>(a0 + na)] != s_.taken_before_a[static_cast<size_t>(a0)] ||
        s_.taken_before_b[static_cast<size_t>(b0 + nb)] != s_.taken_before_b[static_cast<size_t>(b0)]) {
      return -1;
    }
    if ((na == 0 || nb == 0) && std::max(na, nb) > options_.max_gap_edits) {
      const bool a_side = nb == 0;
      if (std::max(na, nb) > options_.max_inserted_line_words) return -1;
      if (!whole_lines(a_side ? a_ : b_, a_side ? a0 : b0, std::max(na, nb))) return -1;
      if (inserted_lines) *inserted_lines = true;
      return 0;
    }
    constexpr int32_t kLongestEditedGap = 16;
    if (na > kLongestEditedGap || nb > kLongestEditedGap) return -1;
    const int edits = edit_distance(a0, na, b0, nb, options_.max_gap_edits);
    if (edits < 0) return -1;
    *matched = std::max(0, std::max(na, nb) - edits);
    return edits;
  }

  // Step 3: for each run, the best chain ending with it (runs sorted by position in a).
  void chain_all() {
    const auto& runs = s_.runs;
    const size_t count = runs.size();
    s_.best.assign(count, 0);
    s_.prev.assign(count, -1);
    s_.trimmed_start.assign(count, 0);
    const int32_t reach = std::max(options_.max_gap_edits, options_.max_inserted_line_words);
    constexpr size_t kLookback = 48;
    for (size_t r = 0; r < count; ++r) {
      const Run& cur = runs[r];
      int64_t best = cur.len;
      int32_t best_prev = -1, best_trim = 0;
      for (size_t back = 1; back <= std::min(r, kLookback); ++back) {
        const size_t p = r - back;
        const Run& pre = runs[p];
        if (cur.a - pre.a_end() > reach) continue;
        // The start of `cur` may overlap the end of `pre` (a repeated word at a seam): trim it.
        const int32_t trim = std::max({0, pre.a_end() - cur.a, pre.b_end() - cur.b});
        if (trim >= cur.len || pre.a >= cur.a + trim || pre.b >= cur.b + trim) continue;
        const int32_t ga = cur.a + trim - pre.a_end();
        const int32_t gb = cur.b + trim - pre.b_end();
        if (gb > reach) continue;
        int32_t gap_matched = 0;
        const int cost = gap_cost(pre.a_end(), ga, pre.b_end(), gb, &gap_matched);
        if (cost < 0) continue;
        const int64_t score = s_.best[p] + (cur.len - trim) + gap_matched - cost;
        if (score > best) {
          best = score;
          best_prev = static_cast<int32_t>(p);
          best_trim = trim;
        }
      }
      s_.best[r] = best;
      s_.prev[r] = best_prev;
      s_.trimmed_start[r] = best_trim;
    }
  }

  // Walks the chain ending at `last` back to its start; returns its matched words.
  // Lines of one side only that the chain bridges go to *a_inserts / *b_inserts.
  uint32_t take_chain(size_t last, int32_t* a_begin, int32_t* b_begin, std::vector<ByteRange>* a_inserts,
                      std::vector<ByteRange>* b_inserts) {
    const auto& runs = s_.runs;
    uint32_t matched = 0;
    for (int32_t r = static_cast<int32_t>(last); r >= 0; r = s_.prev[static_cast<size_t>(r)]) {
      const Run& run = runs[static_cast<size_t>(r)];
      const int32_t trim = s_.trimmed_start[static_cast<size_t>(r)];
      matched += static_cast<uint32_t>(run.len - trim);
      *a_begin = run.a + trim;
      *b_begin = run.b + trim;
      const int32_t p = s_.prev[static_cast<size_t>(r)];
      if (p >= 0) {
        const Run& pre = runs[static_cast<size_t>(p)];
        int32_t gap_matched = 0;
        bool inserted = false;
        const int32_t na = *a_begin - pre.a_end(), nb = *b_begin - pre.b_end();
        gap_cost(pre.a_end(), na, pre.b_end(), nb, &gap_matched, &inserted);
        matched += static_cast<uint32_t>(gap_matched);
        if (inserted) {
          const bool a_side = nb == 0;
          const auto& tokens = a_side ? a_.tokens : b_.tokens;
          const int32_t first = a_side ? pre.a_end() : pre.b_end();
          const ByteRange lines{tokens[static_cast<size_t>(first)].begin,
                                tokens[static_cast<size_t>(first + std::max(na, nb) - 1)].end};
          (a_side ? a_inserts : b_inserts)->insert((a_side ? a_inserts : b_inserts)->begin(), lines);
        }
      }
    }
    return matched;
  }

  // Grows a passage edge (`direction` -1: its start, +1: its end, given as one past the last
  // word) by a small gapped alignment of the next words on each side (+1 a match, -1 a
  // substitution, insertion or deletion), moving the edge to the best-scoring point when that
  // gains something: "Ukrainian officials have not been invited" / "UKRAINIAN officials were not
  // invited" joins the passage that starts at "invited", though no anchor covers its first words.
  // Repeats while it gains. Returns the words matched.
  uint32_t extend_across_edits(int32_t* a_edge, int32_t* b_edge, int direction) {
    constexpr int32_t kWindow = 12;
    const auto& ta = a_.tokens;
    const auto& tb = b_.tokens;
    // The k-th word beyond the edge (k = 0 is the first one outside), or -1.
    auto beyond = [&](int32_t edge, int32_t k, size_t size, const std::vector<bool>& taken) -> int32_t {
      const int32_t i = direction < 0 ? edge - 1 - k : edge + k;
      if (i < 0 || static_cast<size_t>(i) >= size || taken[static_cast<size_t>(i)]) return -1;
      return i;
    };
    uint32_t matched_total = 0;
    for (;;) {
      int32_t na = 0, nb = 0;
      uint64_t wa[kWindow], wb[kWindow];
      for (int32_t i; na < kWindow && (i = beyond(*a_edge, na, ta.size(), s_.taken_a)) >= 0; ++na) wa[na] = ta[static_cast<size_t>(i)].hash;
      for (int32_t j; nb < kWindow && (j = beyond(*b_edge, nb, tb.size(), s_.taken_b)) >= 0; ++nb) wb[nb] = tb[static_cast<size_t>(j)].hash;
      if (na == 0 || nb == 0) return matched_total;
      int32_t score[kWindow + 1][kWindow + 1];
      int32_t matches[kWindow + 1][kWindow + 1];
      int32_t best = 0, best_x = 0, best_y = 0;
      for (int32_t x = 0; x <= na; ++x) {
        for (int32_t y = 0; y <= nb; ++y) {
          if (x == 0 && y == 0) {
            score[0][0] = 0;
            matches[0][0] = 0;
            continue;
          }
          int32_t sc = std::numeric_limits<int32_t>::min() / 2, m = 0;
          if (x > 0 && y > 0) {
            const bool eq = wa[x - 1] == wb[y - 1];
            sc = score[x - 1][y - 1] + (eq ? 1 : -1);
            m = matches[x - 1][y - 1] + eq;
          }
          if (x > 0 && score[x - 1][y] - 1 > sc) sc = score[x - 1][y] - 1, m = matches[x - 1][y];
          if (y > 0 && score[x][y - 1] - 1 > sc) sc = score[x][y - 1] - 1, m = matches[x][y - 1];
          score[x][y] = sc;
          matches[x][y] = m;
          // Only a point just after a match can be an edge worth moving to.
          if (sc > best && x > 0 && y > 0 && wa[x - 1] == wb[y - 1]) best = sc, best_x = x, best_y = y;
        }
      }
      if (best <= 0) return matched_total;
      *a_edge += direction * best_x;
      *b_edge += direction * best_y;
      matched_total += static_cast<uint32_t>(matches[best_x][best_y]);
    }
  }

  // Step 4: the words of a passage are taken; what is left of other runs chains again.
  void remove_taken(int32_t a0, int32_t a1, int32_t b0, int32_t b1) {
    auto& runs = s_.runs;
    size_t kept = 0;
    for (const Run& r : runs) {
      // Clip r to the part outside [a0, a1) in a and outside [b0, b1) in b, keeping the longer
      // remainder when the taken range falls inside it.
      int32_t lo = 0, hi = r.len;  // offsets within r that survive
      auto clip = [&](int32_t start, int32_t t0, int32_t t1) {
        const int32_t o0 = std::clamp(t0 - start, 0, r.len);
        const int32_t o1 = std::clamp(t1 - start, 0, r.len);
        if (o0 >= o1) return;  // no overlap
        const int32_t left = std::max(0, std::min(o0, hi) - lo);
        const int32_t right = std::max(0, hi - std::max(o1, lo));
        if (left >= right) {
          hi = std::min(hi, o0);
        } else {
          lo = std::max(lo, o1);
        }
      };
      clip(r.a, a0, a1);
      clip(r.b, b0, b1);
      if (hi - lo >= std::max(1, options_.seed_words)) runs[kept++] = {r.a + lo, r.b + lo, hi - lo};
    }
    runs.resize(kept);
    sort_runs();
  }

  const AlignText& a_;
  const AlignText& b_;
  const AlignOptions& options_;
  Scratch& s_;
};

}  // namespace

AlignText AlignText::of(std::string_view text) {
  AlignText t;
  t.text = text;
  tokenize(text, &t.tokens);
  return t;
}

Alignment align_texts(const AlignText& a, const AlignText& b, const AlignOptions& options) {
  thread_local Scratch scratch;
  return Chainer(a, b, options, &scratch).run();
}

}  // namespace samestory
