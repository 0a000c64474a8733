#include "base/utf8.h"

#include <simdjson.h>

namespace samestory {

bool is_valid_utf8(std::string_view bytes) { return simdjson::validate_utf8(bytes.data(), bytes.size()); }

namespace {

// Length of the valid sequence starting at s[i], or 0 if it is invalid. On invalid input,
// `*bad_len` is the length of the maximal subpart to replace with one U+FFFD (at least 1).
size_t valid_sequence_length(std::string_view s, size_t i, size_t* bad_len) {
  auto at = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char b0 = at(0);
  const size_t avail = s.size() - i;
  size_t need;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 3;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 4;
    if (b0 == 0xF0) lo = 0x90;  // no overlong forms
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    *bad_len = 1;  // C0, C1, F5..FF and stray continuation bytes
    return 0;
  }
  size_t k = 1;
  for (; k < need && k < avail; ++k) {
    const unsigned char b = at(k);
    const unsigned char l = (k == 1) ? lo : 0x80, h = (k == 1) ? hi : 0xBF;
    if (b < l || b > h) break;
  }
  if (k == need) return need;
  *bad_len = k;  // the lead byte and the continuation bytes that were still plausible
  return 0;
}

}  // namespace

size_t repair_utf8(std::string_view bytes, std::string* out) {
  size_t replaced = 0;
  size_t i = 0;
  size_t run_start = 0;
  out->reserve(out->size() + bytes.size());
  while (i < bytes.size()) {
    if (static_cast<unsigned char>(bytes[i]) < 0x80) {
      ++i;
      continue;
    }
    size_t bad_len = 0;
    const size_t len = valid_sequence_length(bytes, i, &bad_len);
    if (len > 0) {
      i += len;
      continue;
    }
    out->append(bytes.substr(run_start, i - run_start));
    out->append("\xEF\xBF\xBD");
    ++replaced;
    i += bad_len;
    run_start = i;
  }
  out->append(bytes.substr(run_start));
  return replaced;
}

void append_utf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace samestory
