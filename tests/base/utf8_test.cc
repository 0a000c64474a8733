#include "base/utf8.h"

#include <gtest/gtest.h>

namespace samestory {
namespace {

std::string repaired(std::string_view in, size_t* count = nullptr) {
  std::string out;
  const size_t n = repair_utf8(in, &out);
  if (count) *count = n;
  return out;
}

constexpr std::string_view kFffd = "\xEF\xBF\xBD";

TEST(Utf8, ValidTextIsUnchanged) {
  const std::string text = "Sergei Lavrov — «Привет» 你好 🙂 café";
  EXPECT_TRUE(is_valid_utf8(text));
  size_t n = 1;
  EXPECT_EQ(repaired(text, &n), text);
  EXPECT_EQ(n, 0u);
}

// Every class of invalid UTF-8, each replaced by U+FFFD per maximal subpart.
struct BadCase {
  const char* name;
  std::string in;
  std::string expected;
  size_t replacements;
};

TEST(Utf8, EveryClassOfInvalidInputIsRepaired) {
  const std::string r(kFffd);
  const std::vector<BadCase> cases = {
      {"stray continuation byte", "a\x80z", "a" + r + "z", 1},
      {"lone lead byte at end", "a\xC3", "a" + r, 1},
      {"lead byte then ASCII", "\xC3(", r + "(", 1},
      {"overlong 2-byte (C0 80)", "\xC0\x80", r + r, 2},
      {"overlong 3-byte (E0 80 80)", "\xE0\x80\x80", r + r + r, 3},
      {"overlong 4-byte (F0 80 80 80)", "\xF0\x80\x80\x80", r + r + r + r, 4},
      {"UTF-16 surrogate (ED A0 80)", "\xED\xA0\x80", r + r + r, 3},
      {"above U+10FFFF (F4 90 80 80)", "\xF4\x90\x80\x80", r + r + r + r, 4},
      {"F5..FF lead bytes", "\xF5\xFF", r + r, 2},
      {"truncated 3-byte sequence", "\xE2\x80z", r + "z", 1},
      {"truncated 4-byte sequence at end", "ok\xF0\x9F\x99", "ok" + r, 1},
  };
  for (const BadCase& c : cases) {
    EXPECT_FALSE(is_valid_utf8(c.in)) << c.name;
    size_t n = 0;
    const std::string out = repaired(c.in, &n);
    EXPECT_EQ(out, c.expected) << c.name;
    EXPECT_EQ(n, c.replacements) << c.name;
    EXPECT_TRUE(is_valid_utf8(out)) << c.name;
  }
}

TEST(Utf8, DecodeAndAppendRoundTrip) {
  for (char32_t cp : {U'A', U'\u00E9', U'\u20AC', U'\U0001F642', U'\u4F60'}) {
    std::string s;
    append_utf8(cp, &s);
    size_t i = 0;
    EXPECT_EQ(decode_utf8(s, i), cp);
    EXPECT_EQ(i, s.size());
  }
}

}  // namespace
}  // namespace samestory

namespace samestory {
namespace {

TEST(Utf8Prefix, NeverCutsACharacter) {
  EXPECT_EQ(utf8_prefix("abc", 10), "abc");
  EXPECT_EQ(utf8_prefix("ab\xE2\x80\x99", 3), "ab");          // ’ is three bytes
  EXPECT_EQ(utf8_prefix("ab\xE2\x80\x99", 5), "ab\xE2\x80\x99");
  EXPECT_EQ(utf8_prefix("\xC3\xA9\xC3\xA9", 3), "\xC3\xA9");
  EXPECT_EQ(utf8_prefix("\xC3\xA9", 1), "");
}

}  // namespace
}  // namespace samestory
