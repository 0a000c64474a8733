#include "clean/units.h"

#include <algorithm>
#include <bit>

namespace samestory {

uint64_t unit_key(const Token* first, const Token* last) {
  if (first == last) return 0;
  // Token hashes are already well mixed (XXH3); an order-sensitive combination of them suffices.
  uint64_t h = 0x9E3779B97F4A7C15ull;
  for (const Token* t = first; t != last; ++t) h = (std::rotl(h, 27) ^ t->hash) * 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  return h == 0 ? 1 : h;
}

void split_units(std::string_view text, const std::vector<Token>& tokens, const UnitOptions& options,
                 std::vector<TextUnit>* out) {
  const Token* all = tokens.data();
  const Token* end = all + tokens.size();
  // The tokens inside [b, e): tokens never straddle a paragraph or sentence boundary, which fall on
  // white space or punctuation.
  auto tokens_in = [&](const Token* from, uint32_t b, uint32_t e) {
    const Token* first = std::lower_bound(from, end, b, [](const Token& t, uint32_t v) { return t.begin < v; });
    const Token* last = std::lower_bound(first, end, e, [](const Token& t, uint32_t v) { return t.begin < v; });
    return std::pair{first, last};
  };
  const Token* cursor = all;
  uint32_t paragraph = 0;
  thread_local std::vector<Span> paragraphs;
  split_paragraphs(text, &paragraphs);
  for (const Span& p : paragraphs) {
    auto [first, last] = tokens_in(cursor, p.begin, p.end);
    cursor = last;
    out->push_back({p, unit_key(first, last), static_cast<uint32_t>(last - first), paragraph, false});
    if (last - first >= 2 * static_cast<std::ptrdiff_t>(options.min_sentence_words)) {
      thread_local std::vector<Span> sentences;
      split_sentences(text.substr(p.begin, p.length()), &sentences);
      if (sentences.size() >= 2) {
        const Token* s_cursor = first;
        for (const Span& s : sentences) {
          const Span abs{p.begin + s.begin, p.begin + s.end};
          auto [sf, sl] = tokens_in(s_cursor, abs.begin, abs.end);
          s_cursor = sl;
          if (static_cast<uint32_t>(sl - sf) < options.min_sentence_words) continue;
          out->push_back({abs, unit_key(sf, sl), static_cast<uint32_t>(sl - sf), paragraph, true});
        }
      }
    }
    ++paragraph;
  }
}

}  // namespace samestory
