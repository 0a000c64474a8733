// Paragraphs and sentences as byte ranges of the original text.
//
// Paragraphs: a blank line always separates two. A single line break separates two as well,
// except in hard-wrapped text (most lines 40-90 bytes long, as in wire copy like Reuters-21578),
// where only blank lines and indented lines start a new paragraph.
//
// Sentences: split inside each paragraph after '.', '!', '?', '…' (and closing quotes or brackets)
// followed by white space and a capital letter, digit or opening quote; not after common
// abbreviations ("Mr.", "Dr.", "Jan.") or single capital initials ("John F. Kennedy", and so the
// end of "the U.S. Senate"). CJK full stops (。！？) end a sentence without needing a space.
//
// Spans are trimmed of white space at both ends, never empty, in text order and disjoint.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace samestory {

struct Span {
  uint32_t begin;
  uint32_t end;
  uint32_t length() const { return end - begin; }
  bool operator==(const Span&) const = default;
};

std::vector<Span> split_paragraphs(std::string_view text);
std::vector<Span> split_sentences(std::string_view text);
// The same into *out (cleared first), for callers that split many texts and reuse the vector.
void split_paragraphs(std::string_view text, std::vector<Span>* out);
void split_sentences(std::string_view text, std::vector<Span>* out);

// Words as runs of bytes other than space, tab, line feed and carriage return: a layout measure
// (how long a line is), not tokens.
uint32_t count_words(std::string_view text);

// Whether a text is hard-wrapped (see above).
bool is_hard_wrapped(std::string_view text);

}  // namespace samestory
