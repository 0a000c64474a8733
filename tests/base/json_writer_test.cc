#include "base/json_writer.h"

#include <gtest/gtest.h>

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

TEST(JsonWriter, NonFiniteDoublesBecomeNull) {
  std::string out;
  JsonWriter w(&out);
  w.begin_array().value(std::nan("")).value(0.25).end_array();
  EXPECT_EQ(out, "[null,0.25]");
}

}  // namespace
}  // namespace samestory
