// align_texts: the passages two articles share, as byte ranges in both original texts.
//
// Seed and extend, over the words of the two texts (text/tokenize.h, so case, quote styles,
// punctuation and line breaks never matter):
//   1. anchors: every run of `seed_words` words that both texts contain (a word sequence that
//      repeats more than `max_seed_repeats` times in one text, such as a repeated ad line, seeds
//      nothing);
//   2. anchors on the same diagonal merge into runs, and runs extend word by word both ways;
//   3. runs chain into passages in the same order in both texts, bridging a gap between two runs
//      when the words in between differ by at most `max_gap_edits` word edits (Sergey/Sergei,
//      "President [Donald] Trump", "will meet"/"met"), or when one side continues directly while
//      the other has whole lines of its own in between (an interleaved "Advertisement" line or
//      photo caption) of at most `max_inserted_line_words` words;
//   4. the best-scoring chain becomes a passage, its words are taken, and the rest chain again,
//      so each word belongs to at most one passage and reordered paragraphs give their own
//      passages.
// A passage needs `min_words` matched words, so phrases that any two news texts share ("said on
// Tuesday that the") never count.
//
// Guarantees: deterministic; time roughly linear in the two lengths (plus the number of anchors,
// which the repeat cap bounds); memory linear in the two lengths. Passages are reported in order
// of their position in `a`.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "text/tokenize.h"

namespace samestory {

struct AlignOptions {
  // Anchor length in words. 4 finds short shared stretches between edits; 3 seeds too many
  // common phrases, 5 misses stretches broken by edits every few words.
  int seed_words = 4;
  // Shortest passage reported, in matched words (see README: measured on the seeds and the
  // Giveme5W1H syndicated pairs).
  int min_words = 8;
  // Word edits (substitution, insertion, deletion) bridged between two matching runs.
  int max_gap_edits = 4;
  // Whole lines present on one side only, bridged when the other side continues directly. Big
  // enough for a newsletter prompt inside a syndicated story (95 words in a Giveme5W1H pair);
  // what was bridged is listed in SharedPassage::*_inserted_lines.
  int max_inserted_line_words = 128;
  // Word sequences repeated more often than this in one text are not anchors.
  int max_seed_repeats = 8;
};

// A text ready to align: the original and its words. The text must outlive the view.
struct AlignText {
  std::string_view text;
  std::vector<Token> tokens;

  static AlignText of(std::string_view text);
};

struct ByteRange {
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct SharedPassage {
  ByteRange a;              // bytes of the passage in a's original text
  ByteRange b;              // and in b's
  uint32_t a_words = 0;     // words of a inside the passage
  uint32_t b_words = 0;
  uint32_t matched_words = 0;  // words aligned one to one with an equal word
  double score = 0;            // 2 * matched / (a_words + b_words): 1.0 for an exact copy
  // Whole lines inside the passage that only one side has (an ad line, a caption, a newsletter
  // prompt, or a paragraph that outlet added), in order: the passage bridges them, and these say
  // what it bridged.
  std::vector<ByteRange> a_inserted_lines;
  std::vector<ByteRange> b_inserted_lines;
};

struct Alignment {
  std::vector<SharedPassage> passages;  // in order of a.begin
  uint32_t a_words = 0;                 // all words of a
  uint32_t b_words = 0;
  uint32_t a_shared_words = 0;          // words of a inside passages
  uint32_t b_shared_words = 0;

  // The fraction of each text's words that lie inside shared passages (0 for an empty text).
  double a_shared() const { return a_words ? static_cast<double>(a_shared_words) / a_words : 0.0; }
  double b_shared() const { return b_words ? static_cast<double>(b_shared_words) / b_words : 0.0; }
};

Alignment align_texts(const AlignText& a, const AlignText& b, const AlignOptions& options = {});

}  // namespace samestory
