// Text normalisation: the form in which two spellings of the same text compare equal.
//
// normalize_text() applies Unicode NFKC with case folding (utf8proc), drops default-ignorable
// code points (soft hyphens, zero-width joiners), unifies quotes (‘ ’ ‚ ‛ ′ ʼ ` -> ', “ ” „ ‟ ″ « »
// -> "), dashes (‐ ‑ ‒ – — ― − -> -) and white space (every Unicode space, tab and line break ->
// one space, runs collapsed, ends trimmed). ASCII input takes a fast path with the same result.
//
// The normalised string is for comparing and hashing only: positions are always reported in the
// original text (see tokenize.h).
#pragma once

#include <string>
#include <string_view>

namespace samestory {

std::string normalize_text(std::string_view text);
void normalize_text(std::string_view text, std::string* out);

// The normalised form of one token's original bytes: NFKC with case folding, apostrophes as ',
// '.' kept only between digits, ',' dropped (so "U.S." -> "us", "1,000" -> "1000", "3.5" -> "3.5",
// "Healey’s" -> "healey's"). tokenize() hashes exactly this form.
void normalize_token(std::string_view original, std::string* out);

// Classifies code points the way the tokenizer does.
bool is_word_code_point(char32_t cp);          // letters, marks and numbers
bool is_unspaced_script(char32_t cp);          // Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar...
bool is_apostrophe(char32_t cp);               // ' ’ ʼ
bool is_uppercase_code_point(char32_t cp);

}  // namespace samestory
