// Tokens: the words of a text, each with the hash of its normalised form and its byte range in
// the original text.
//
// A token is a run of letters, marks and digits, joined across an apostrophe between letters
// ("Healey’s"), a '.' or ',' between digits ("3.5", "1,000"), a soft hyphen or zero-width joiner
// inside a word, and the periods of an acronym ("U.S." is one token, "us"). Hyphens, slashes and
// all other punctuation separate tokens. Scripts written without spaces between words (Han,
// Hiragana, Katakana, Thai, Lao, Khmer, Myanmar) give one token per character, so a Chinese
// sentence is a sequence of short tokens rather than one giant one.
//
// Guarantees: tokens are in text order, do not overlap, and text.substr(begin, end - begin) is
// the token's original spelling; `hash` is hash_token() of normalize_token() of those bytes. The
// input must be valid UTF-8 (every Document's text is).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace samestory {

enum TokenFlag : uint8_t {
  kTokenNumeric = 1,      // digits only (with . or , between them)
  kTokenCapitalized = 2,  // first character is upper case in the original
  kTokenUnspaced = 4,     // one character of a script written without spaces
};

struct Token {
  uint64_t hash;
  uint32_t begin;
  uint32_t end;
  uint8_t flags;

  uint32_t length() const { return end - begin; }
};

// Appends the tokens of `text` to `out`. `text` must be smaller than 4 GiB.
void tokenize(std::string_view text, std::vector<Token>* out);

// The same tokens without the vectorised fast path for short ASCII words: the reference that
// tests compare tokenize() with.
void tokenize_one_byte_at_a_time(std::string_view text, std::vector<Token>* out);

// The first `count` tokens of `text` (fewer if it has fewer) into `out`, as tokenize() would give
// them, found without reading further than the last one's end; returns how many. For asking about
// the start of a text span cheaply: they are the tokens tokenize() gives for a longer text from
// the span's start on where the span starts between words.
size_t first_tokens(std::string_view text, size_t count, Token* out);

// Hash of a normalised token, as Token::hash holds it: up to 16 bytes, one branch-free mix of the
// zero-padded bytes as two little-endian words and the length (XXH3's 9-16-byte mixing and its
// rrmxmx finish, for every length: XXH3's own choice of path by length mispredicted on every
// other word); longer, XXH3-64. The same on every machine. Saved models and indexes hold values derived from it, and
// their format versions change whenever it does.
uint64_t hash_token(std::string_view normalized);

}  // namespace samestory
