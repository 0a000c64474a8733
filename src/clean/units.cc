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
  constexpr uint64_t kTagBits = 0xFFFF000000000000ull;
  h = (h & ~kTagBits) | (unit_start(first, last) & kTagBits);
  return h == 0 ? 1 : h;
}

namespace {

// The tokens inside [b, e), searched from `from`: tokens never straddle a paragraph or sentence
// boundary, which fall on white space or punctuation.
std::pair<const Token*, const Token*> tokens_in(const Token* from, const Token* end, uint32_t b, uint32_t e) {
  const Token* first = std::lower_bound(from, end, b, [](const Token& t, uint32_t v) { return t.begin < v; });
  const Token* last = std::lower_bound(first, end, e, [](const Token& t, uint32_t v) { return t.begin < v; });
  return {first, last};
}

// Appends the units of paragraph `p`, whose tokens are [first, last): the paragraph, then its
// sentences if it has two or more long enough to count.
void paragraph_units(std::string_view text, Span p, const Token* first, const Token* last, uint32_t paragraph,
                     const UnitOptions& options, std::vector<TextUnit>* out) {
  out->push_back({p, unit_key(first, last), static_cast<uint32_t>(last - first), paragraph, false});
  if (last - first < 2 * static_cast<std::ptrdiff_t>(options.min_sentence_words)) return;
  thread_local std::vector<Span> sentences;
  split_sentences(text.substr(p.begin, p.length()), &sentences);
  if (sentences.size() < 2) return;
  const Token* cursor = first;
  for (const Span& s : sentences) {
    const Span abs{p.begin + s.begin, p.begin + s.end};
    auto [sf, sl] = tokens_in(cursor, last, abs.begin, abs.end);
    cursor = sl;
    if (static_cast<uint32_t>(sl - sf) < options.min_sentence_words) continue;
    out->push_back({abs, unit_key(sf, sl), static_cast<uint32_t>(sl - sf), paragraph, true});
  }
}

}  // namespace

void split_units(std::string_view text, const std::vector<Token>& tokens, const UnitOptions& options,
                 std::vector<TextUnit>* out) {
  const Token* end = tokens.data() + tokens.size();
  const Token* cursor = tokens.data();
  uint32_t paragraph = 0;
  thread_local std::vector<Span> paragraphs;
  split_paragraphs(text, &paragraphs);
  for (const Span& p : paragraphs) {
    auto [first, last] = tokens_in(cursor, end, p.begin, p.end);
    cursor = last;
    paragraph_units(text, p, first, last, paragraph++, options, out);
  }
}

void split_units(std::string_view text, const UnitTags& tags, const UnitOptions& options,
                 std::vector<Token>* tokens, std::vector<TextUnit>* out) {
  uint32_t paragraph = 0;
  thread_local std::vector<Span> paragraphs;
  thread_local std::vector<Span> sentences;
  split_paragraphs(text, &paragraphs);
  for (const Span& p : paragraphs) {
    const std::string_view body = text.substr(p.begin, p.length());
    // Whether a unit of this paragraph may be in the set: the paragraph itself, or one of its
    // sentences if it may hold enough words to be split (a token is at least a byte). Tokens are
    // read from a sentence's start to the paragraph's end, for the same ones as in the paragraph.
    auto may_start_at = [&](uint32_t begin, uint32_t end) {
      Token t[2];
      size_t n = first_tokens(body.substr(begin), 2, t);
      if (n == 2 && t[1].begin >= end - begin) n = 1;  // past the sentence: it has one word
      return n > 0 && t[0].begin < end - begin && tags.may_hold(unit_start(t, t + n));
    };
    bool wanted = may_start_at(0, static_cast<uint32_t>(body.size()));
    if (!wanted && body.size() >= 2 * options.min_sentence_words) {
      split_sentences(body, &sentences);
      if (sentences.size() >= 2) {
        for (const Span& s : sentences) {
          // Its first token read from where it starts is the one tokenizing the paragraph gives
          // only after white space, where no token can have started earlier; elsewhere ("3.|5")
          // the paragraph is tokenized to know.
          const char before = s.begin == 0 ? ' ' : body[s.begin - 1];
          const bool after_space = before == ' ' || before == '\n' || before == '\t' || before == '\r';
          if (!after_space || may_start_at(s.begin, s.end)) {
            wanted = true;
            break;
          }
        }
      }
    }
    if (!wanted) {
      out->push_back({p, 0, 0, paragraph++, false});
      continue;
    }
    tokens->clear();
    tokenize(body, tokens);
    for (Token& t : *tokens) {
      t.begin += p.begin;
      t.end += p.begin;
    }
    paragraph_units(text, p, tokens->data(), tokens->data() + tokens->size(), paragraph++, options, out);
  }
}

}  // namespace samestory
