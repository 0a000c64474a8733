// Text units: the paragraphs of an article, and the sentences of its multi-sentence paragraphs,
// each with a key that is equal for two units exactly when they have the same words in the same
// order after normalisation (case, quotes, punctuation and spacing do not matter).
//
// Paragraphs are what outlets repeat (a newsletter prompt, a footer); sentences catch a repeated
// phrase a crawler glued onto a content paragraph. Keys are stable across runs and machines, so a
// saved model recognises units in a later run.
#pragma once

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

// The key of a sequence of token hashes (what TextUnit::key holds).
uint64_t unit_key(const Token* first, const Token* last);

}  // namespace samestory
