// Fuzzes quote and speaker extraction: the input (repaired to UTF-8) is the article text; its
// first byte, when present, chooses a skipped range (removed boilerplate). Checks what
// extract_quotes guarantees: quote and attribution ranges inside the text, quotes in text order,
// never inside the skipped range, and that same_person over the names found is symmetric.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/utf8.h"
#include "digest/quotes.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samestory;
  std::string text;
  repair_utf8(std::string_view(reinterpret_cast<const char*>(data), size), &text);
  std::vector<TextRange> skip;
  if (size > 0 && text.size() > 4) {
    const auto from = static_cast<uint32_t>(data[0] % (text.size() / 2));
    skip.push_back({from, static_cast<uint32_t>(from + text.size() / 4)});
  }
  QuoteExtraction out;
  extract_quotes(text, skip, {}, &out);
  uint32_t previous = 0;
  for (const QuoteMention& q : out.quotes) {
    check(q.quote.begin <= q.quote.end && q.quote.end <= text.size());
    check(q.attribution.begin <= q.attribution.end && q.attribution.end <= text.size());
    check(q.quote.begin >= previous || q.form == QuoteForm::kUnquoted);
    previous = q.quote.begin;
    for (const TextRange& r : skip) check(q.quote.end <= r.begin || q.quote.begin >= r.end || r.begin == r.end);
    check(q.speaker_kind != SpeakerKind::kNone || q.speaker.empty());
  }
  for (size_t i = 0; i + 1 < out.names.size() && i < 16; ++i) {
    check(same_person(out.names[i], out.names[i + 1]) == same_person(out.names[i + 1], out.names[i]));
  }
  return 0;
}
