// Text units: the paragraphs of an article, and the sentences of its multi-sentence paragraphs,
// each with a key that is equal for two units exactly when they have the same words in the same
// order after normalisation (case, quotes, punctuation and spacing do not matter).
//
// Paragraphs are what outlets repeat (a newsletter prompt, a footer); sentences catch a repeated
// phrase a crawler glued onto a content paragraph. Keys are stable across runs and machines, so a
// saved model recognises units in a later run.
#pragma once

#include <bit>
#include <cstdint>
#include <string_view>
#include <vector>

#include "text/segment.h"
#include "text/tokenize.h"

namespace samestory {

struct TextUnit {
  Span span;            // bytes of the original text
  uint64_t key = 0;     // 0 when the unit has no word
  uint32_t words = 0;
  uint32_t paragraph = 0;  // index of the paragraph it is or belongs to
  bool sentence = false;   // a sentence inside a paragraph of two or more sentences
};

struct UnitOptions {
  // Sentences shorter than this are not units of their own: "He said." repeats everywhere.
  uint32_t min_sentence_words = 4;
};

// Appends the units of `text` in text order: each paragraph, then its sentences (if it has two or
// more). `tokens` must be tokenize(text).
void split_units(std::string_view text, const std::vector<Token>& tokens, const UnitOptions& options,
                 std::vector<TextUnit>* out);

// The key of a sequence of token hashes (what TextUnit::key holds). Its top 16 bits are those of
// unit_start() of the sequence (see UnitTags).
uint64_t unit_key(const Token* first, const Token* last);

// A hash of a unit's first two words (its one word, if it has only one): what UnitTags knows of
// a unit.
inline uint64_t unit_start(const Token* first, const Token* last) {
  if (last - first < 2) return first->hash;
  return (first[0].hash ^ std::rotr(first[1].hash, 17)) * 0x9E3779B97F4A7C15ull;
}

// The starts of a set of units, 16 bits of each unit_start() in a 64K-bit set (8 KB): a unit
// whose start is not in it is not in the set, whatever its other words. A cleaner asks a model
// about every paragraph and sentence, and almost all of them start otherwise than any unit of the
// model; this tells it so from two words, without tokenizing the rest. (One word was not enough:
// "The" starts units of a model and a good share of all sentences.)
class UnitTags {
 public:
  void add(uint64_t unit_key) { bits_[tag(unit_key) >> 6] |= uint64_t{1} << (tag(unit_key) & 63); }
  bool may_hold(uint64_t unit_start) const { return (bits_[tag(unit_start) >> 6] >> (tag(unit_start) & 63)) & 1; }

 private:
  static uint32_t tag(uint64_t h) { return static_cast<uint32_t>(h >> 48); }
  uint64_t bits_[1024] = {};
};

// split_units() for a reader that only looks units up in a set whose first words are `tags`: the
// same units with the same keys, except that a paragraph none of whose units can be in the set is
// not tokenized. It comes as a paragraph with key 0 and no words counted, and without its
// sentences. `tokens` is scratch space.
void split_units(std::string_view text, const UnitTags& tags, const UnitOptions& options,
                 std::vector<Token>* tokens, std::vector<TextUnit>* out);

}  // namespace samestory
