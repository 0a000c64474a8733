// UTF-8 validation and repair.
//
// samestory keeps every document's text as valid UTF-8: readers validate what they read and, where
// the bytes are broken, replace each maximal invalid subsequence with U+FFFD (the practice the
// Unicode standard recommends and WHATWG's decoder follows), counting the replacements so that the
// repair is reported, never silent. Validation uses simdjson's SIMD validator, so the common case
// (valid input) costs a few GB/s.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace samestory {

bool is_valid_utf8(std::string_view bytes);

// Appends `bytes` to `out` with every maximal invalid subsequence replaced by U+FFFD (EF BF BD).
// Returns how many replacements were made (0 when the input was valid).
size_t repair_utf8(std::string_view bytes, std::string* out);

// Decodes the code point at `s[i]` of a string known to be valid UTF-8 and advances `i` past it.
inline char32_t decode_utf8(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    ++i;
    return b;
  }
  auto cont = [&](size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k]) & 0x3Fu); };
  char32_t cp;
  if (b < 0xE0) {
    cp = (static_cast<char32_t>(b & 0x1Fu) << 6) | cont(1);
    i += 2;
  } else if (b < 0xF0) {
    cp = (static_cast<char32_t>(b & 0x0Fu) << 12) | (cont(1) << 6) | cont(2);
    i += 3;
  } else {
    cp = (static_cast<char32_t>(b & 0x07u) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3);
    i += 4;
  }
  return cp;
}

// The longest prefix of valid UTF-8 `s` of at most `max_bytes` bytes that does not cut a
// character in two: for snippets and samples.
inline std::string_view utf8_prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut);
}

// Appends the UTF-8 encoding of `cp` to `out`.
void append_utf8(char32_t cp, std::string* out);

}  // namespace samestory
