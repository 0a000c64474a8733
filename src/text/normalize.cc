#include "text/normalize.h"

#include <utf8proc.h>

#include <cstdlib>

#include "base/utf8.h"

namespace samestory {

namespace {

constexpr int kNormalizeOptions =
    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE;

// NFKC + case fold + ignorables dropped, via utf8proc. Input must be valid UTF-8.
void utf8proc_fold(std::string_view in, std::string* out) {
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(in.data()),
                                          static_cast<utf8proc_ssize_t>(in.size()), &mapped,
                                          static_cast<utf8proc_option_t>(kNormalizeOptions));
  if (n < 0) {  // cannot happen on valid UTF-8; keep the bytes rather than lose them
    out->append(in);
    return;
  }
  out->append(reinterpret_cast<const char*>(mapped), static_cast<size_t>(n));
  std::free(mapped);
}

enum class Unified : uint8_t { kKeep, kSingleQuote, kDoubleQuote, kDash, kSpace };

Unified unify(char32_t cp) {
  switch (cp) {
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x02BC: case 0x0060: case 0x00B4:
      return Unified::kSingleQuote;
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x00AB: case 0x00BB:
      return Unified::kDoubleQuote;
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2212: case 0xFE58:
    case 0xFE63: case 0xFF0D:
      return Unified::kDash;
    case 0x0085: case 0x2028: case 0x2029:
      return Unified::kSpace;
    default:
      break;
  }
  if (cp < 0x80) return (cp == ' ' || (cp >= '\t' && cp <= '\r')) ? Unified::kSpace : Unified::kKeep;
  return utf8proc_category(static_cast<utf8proc_int32_t>(cp)) == UTF8PROC_CATEGORY_ZS ? Unified::kSpace
                                                                                       : Unified::kKeep;
}

bool all_ascii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

}  // namespace

bool is_word_code_point(char32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z');
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

bool is_unspaced_script(char32_t cp) {
  return (cp >= 0x0E00 && cp <= 0x0EFF) ||    // Thai, Lao
         (cp >= 0x1000 && cp <= 0x109F) ||    // Myanmar
         (cp >= 0x1780 && cp <= 0x17FF) ||    // Khmer
         (cp >= 0x19E0 && cp <= 0x19FF) ||    // Khmer symbols
         (cp >= 0x2E80 && cp <= 0x2FDF) ||    // CJK radicals
         (cp >= 0x3040 && cp <= 0x30FF) ||    // Hiragana, Katakana
         (cp >= 0x3100 && cp <= 0x312F) ||    // Bopomofo
         (cp >= 0x31F0 && cp <= 0x31FF) ||    // Katakana extensions
         (cp >= 0x3400 && cp <= 0x4DBF) ||    // CJK extension A
         (cp >= 0x4E00 && cp <= 0x9FFF) ||    // CJK unified ideographs
         (cp >= 0xF900 && cp <= 0xFAFF) ||    // CJK compatibility ideographs
         (cp >= 0xFF66 && cp <= 0xFF9F) ||    // half-width Katakana
         (cp >= 0x20000 && cp <= 0x3134F);    // CJK extensions B-G
}

bool is_apostrophe(char32_t cp) { return cp == '\'' || cp == 0x2019 || cp == 0x02BC; }

bool is_uppercase_code_point(char32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

void normalize_text(std::string_view text, std::string* out) {
  out->clear();
  std::string folded;
  std::string_view src = text;
  if (!all_ascii(text)) {
    utf8proc_fold(text, &folded);
    src = folded;
  }
  bool pending_space = false;
  size_t i = 0;
  while (i < src.size()) {
    const auto b = static_cast<unsigned char>(src[i]);
    char32_t cp;
    if (b < 0x80) {
      cp = b;
      ++i;
      if (cp >= 'A' && cp <= 'Z') cp += 32;
    } else {
      cp = decode_utf8(src, i);
    }
    const Unified u = unify(cp);
    if (u == Unified::kSpace) {
      pending_space = !out->empty();
      continue;
    }
    if (pending_space) {
      out->push_back(' ');
      pending_space = false;
    }
    switch (u) {
      case Unified::kSingleQuote: out->push_back('\''); break;
      case Unified::kDoubleQuote: out->push_back('"'); break;
      case Unified::kDash: out->push_back('-'); break;
      default: append_utf8(cp, out);
    }
  }
}

std::string normalize_text(std::string_view text) {
  std::string out;
  normalize_text(text, &out);
  return out;
}

void normalize_token(std::string_view original, std::string* out) {
  out->clear();
  std::string folded;
  std::string_view src = original;
  if (!all_ascii(original)) {
    utf8proc_fold(original, &folded);
    src = folded;
  }
  auto is_digit = [&](size_t k) { return k < src.size() && src[k] >= '0' && src[k] <= '9'; };
  size_t i = 0;
  while (i < src.size()) {
    const auto b = static_cast<unsigned char>(src[i]);
    if (b < 0x80) {
      const char c = static_cast<char>(b);
      if (c == ',') {
        ++i;
        continue;
      }
      if (c == '.') {
        if (i > 0 && is_digit(i - 1) && is_digit(i + 1)) out->push_back('.');
        ++i;
        continue;
      }
      out->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
      ++i;
      continue;
    }
    const size_t start = i;
    const char32_t cp = decode_utf8(src, i);
    if (is_apostrophe(cp)) {
      out->push_back('\'');
    } else {
      out->append(src.substr(start, i - start));
    }
  }
}

}  // namespace samestory
