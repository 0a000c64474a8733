// Fuzzes the aligner: the input (repaired to UTF-8) is split at its first NUL byte into two texts
// (or used as both when there is none, so there is always something to align). Checks what the
// aligner guarantees: passages in bounds, on word boundaries, ordered by position in a, never
// overlapping in either text, with consistent word counts, scores and inserted lines inside
// their passage, and the JSON, terminal and HTML reports build without failing.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "align/align.h"
#include "align/report.h"
#include "base/utf8.h"
#include "fuzz_check.h"

// Says which property failed before aborting, so a crash report explains itself.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samestory;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  std::string a, b;
  repair_utf8(input.substr(0, nul), &a);
  repair_utf8(nul == std::string_view::npos ? input : input.substr(nul + 1), &b);
  AlignOptions options;
  options.min_words = 3;  // small inputs: let short passages through too
  options.seed_words = 2;
  const AlignText ta = AlignText::of(a), tb = AlignText::of(b);
  const Alignment al = align_texts(ta, tb, options);
  uint32_t a_shared = 0, b_shared = 0, last_a = 0;
  std::vector<ByteRange> b_ranges;
  for (const SharedPassage& p : al.passages) {
    check(p.a.begin < p.a.end && p.a.end <= a.size() && p.b.begin < p.b.end && p.b.end <= b.size());
    check(p.a.begin >= last_a);
    last_a = p.a.end;
    check(p.matched_words >= 3 && p.matched_words <= std::min(p.a_words, p.b_words));
    check(p.score > 0 && p.score <= 1.0);
    for (const ByteRange& r : p.a_inserted_lines) check(p.a.begin <= r.begin && r.end <= p.a.end);
    for (const ByteRange& r : p.b_inserted_lines) check(p.b.begin <= r.begin && r.end <= p.b.end);
    a_shared += p.a_words;
    b_shared += p.b_words;
    b_ranges.push_back(p.b);
  }
  std::sort(b_ranges.begin(), b_ranges.end(), [](ByteRange x, ByteRange y) { return x.begin < y.begin; });
  for (size_t i = 1; i < b_ranges.size(); ++i) check(b_ranges[i - 1].end <= b_ranges[i].begin);
  check(a_shared == al.a_shared_words && b_shared == al.b_shared_words);
  check(al.a_shared_words <= al.a_words && al.b_shared_words <= al.b_words);

  Document da, db;
  da.text = a;
  db.text = b;
  std::string json;
  JsonWriter w(&json);
  write_alignment_json(w, {&da, &ta}, {&db, &tb}, al);
  check(is_valid_utf8(json));
  TerminalOptions narrow;
  narrow.width = 40;
  check(!render_terminal({&da, &ta}, {&db, &tb}, al, narrow).empty());
  check(!render_html({&da, &ta}, {&db, &tb}, al).empty());
  return 0;
}
