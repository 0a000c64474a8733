// Fuzzes the text layer on arbitrary bytes (repaired to UTF-8 first, as readers do): normalisation,
// tokens (every token's bytes re-normalise to its hash, ranges in bounds and ordered), sentences
// and paragraphs (spans in bounds, ordered, disjoint).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/utf8.h"
#include "text/text.h"

namespace {
void check(bool ok) {
  if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samestory;
  std::string text;
  repair_utf8(std::string_view(reinterpret_cast<const char*>(data), size), &text);
  const std::string normalized = normalize_text(text);
  check(is_valid_utf8(normalized));
  std::vector<Token> tokens;
  tokenize(text, &tokens);
  std::string n;
  uint32_t last = 0;
  for (const Token& t : tokens) {
    check(last <= t.begin && t.begin < t.end && t.end <= text.size());
    normalize_token(std::string_view(text).substr(t.begin, t.length()), &n);
    check(hash_token(n) == t.hash);
    last = t.end;
  }
  for (const auto& spans : {split_paragraphs(text), split_sentences(text)}) {
    uint32_t end = 0;
    for (const Span& s : spans) {
      check(end <= s.begin && s.begin < s.end && s.end <= text.size());
      end = s.end;
    }
  }
  return 0;
}
