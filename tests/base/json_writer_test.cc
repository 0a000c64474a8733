#include "base/json_writer.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include <cmath>

namespace samestory {
namespace {

TEST(JsonWriter, WritesNestedStructures) {
  std::string out;
  JsonWriter w(&out);
  w.begin_object();
  w.field("id", "a").field("n", uint64_t{3}).field("neg", int64_t{-2}).field("ok", true);
  w.key("list").begin_array().value("x").value(1.5).null().end_array();
  w.key("empty").begin_object().end_object();
  w.end_object();
  EXPECT_EQ(out, R"({"id":"a","n":3,"neg":-2,"ok":true,"list":["x",1.5,null],"empty":{}})");
}

TEST(JsonWriter, EscapesWhatJsonRequires) {
  std::string out;
  append_json_string("q\"b\\n\nt\tc\x01 é “x”", &out);
  EXPECT_EQ(out, "\"q\\\"b\\\\n\\nt\\tc\\u0001 é “x”\"");
}

// Long runs are passed over 16 bytes at a time: the result must be what escaping byte by byte
// gives, wherever in a block the bytes to escape fall, and for bytes above 0x7F (never escaped).
TEST(JsonWriter, EscapingInBlocksMatchesEscapingByteByByte) {
  auto reference = [](std::string_view s) {
    std::string out = "\"";
    for (char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      if (c == '"') out += "\\\"";
      else if (c == '\\') out += "\\\\";
      else if (c == '\n') out += "\\n";
      else if (c == '\r') out += "\\r";
      else if (c == '\t') out += "\\t";
      else if (c == '\b') out += "\\b";
      else if (c == '\f') out += "\\f";
      else if (c < 0x20) out += fmt::format("\\u{:04x}", c);
      else out += ch;
    }
    return out + "\"";
  };
  const char bytes[] = {'a', 'b', ' ', '"', '\\', '\n', '\x01', '\x1f', '\x20', '\x7f', '\x80', '\xe2', '\xff', 'z'};
  uint64_t seed = 99;
  for (int trial = 0; trial < 3000; ++trial) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    std::string s((seed >> 33) % 70, 'x');
    for (char& c : s) {
      seed = seed * 6364136223846793005ull + 1442695040888963407ull;
      // Mostly plain letters, so that whole clean blocks occur too.
      if ((seed >> 60) < 3) c = bytes[(seed >> 33) % sizeof bytes];
    }
    std::string out;
    append_json_string(s, &out);
    ASSERT_EQ(out, reference(s));
  }
}

TEST(JsonWriter, NonFiniteDoublesBecomeNull) {
  std::string out;
  JsonWriter w(&out);
  w.begin_array().value(std::nan("")).value(0.25).end_array();
  EXPECT_EQ(out, "[null,0.25]");
}

}  // namespace
}  // namespace samestory
