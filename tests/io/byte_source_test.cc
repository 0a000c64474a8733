#include "io/byte_source.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace samestory {
namespace {

using testing::gzip;
using testing::zstd;

std::string drain(ByteSource& source, Status* error = nullptr) {
  std::string out;
  char buf[4096];
  for (;;) {
    auto n = source.read(buf, sizeof buf);
    if (!n) {
      if (error) *error = n.status();
      return out;
    }
    if (*n == 0) return out;
    out.append(buf, *n);
  }
}

std::string sample_text() {
  std::string s;
  for (int i = 0; i < 2000; ++i) s += "line " + std::to_string(i) + " of the wire story\n";
  return s;
}

TEST(ByteSource, PlainGzipAndZstdGiveTheSameBytes) {
  const std::string text = sample_text();
  auto plain = memory_byte_source(text);
  EXPECT_EQ(plain->compression(), Compression::kNone);
  EXPECT_EQ(drain(*plain), text);
  auto gz = memory_byte_source(gzip(text));
  EXPECT_EQ(gz->compression(), Compression::kGzip);
  EXPECT_EQ(drain(*gz), text);
  auto zs = memory_byte_source(zstd(text));
  EXPECT_EQ(zs->compression(), Compression::kZstd);
  EXPECT_EQ(drain(*zs), text);
}

TEST(ByteSource, ConcatenatedMembersAndFrames) {
  auto gz = memory_byte_source(gzip("first\n") + gzip("second\n"));
  EXPECT_EQ(drain(*gz), "first\nsecond\n");
  auto zs = memory_byte_source(zstd("first\n") + zstd("second\n"));
  EXPECT_EQ(drain(*zs), "first\nsecond\n");
}

TEST(ByteSource, TruncatedStreamsAreDataErrors) {
  const std::string text = sample_text();
  for (const std::string& compressed : {gzip(text), zstd(text)}) {
    auto source = memory_byte_source(compressed.substr(0, compressed.size() / 2));
    Status error;
    drain(*source, &error);
    EXPECT_EQ(error.code(), StatusCode::kDataError);
    EXPECT_NE(error.message().find("truncated"), std::string::npos) << error.message();
  }
}

TEST(ByteSource, CorruptGzipIsADataError) {
  std::string compressed = gzip(sample_text());
  for (size_t i = 20; i < 60; ++i) compressed[i] = static_cast<char>(compressed[i] ^ 0x5A);
  auto source = memory_byte_source(compressed);
  Status error;
  drain(*source, &error);
  EXPECT_EQ(error.code(), StatusCode::kDataError);
}

TEST(ByteSource, DecompressionBombsAreRefused) {
  const std::string zeros(64u << 20, 'a');  // 64 MiB of one letter: ~2 kB of zstd
  SourceOptions options;
  options.expansion_floor_bytes = 1u << 20;
  options.max_expansion_ratio = 100;
  auto source = memory_byte_source(zstd(zeros, 19), options);
  Status error;
  const std::string out = drain(*source, &error);
  EXPECT_EQ(error.code(), StatusCode::kLimitExceeded);
  EXPECT_LT(out.size(), 8u << 20);
  // Under the floor, the same ratio is fine: small files may compress very well.
  auto small = memory_byte_source(zstd(std::string(100000, 'a'), 19), options);
  Status ok;
  EXPECT_EQ(drain(*small, &ok).size(), 100000u);
  EXPECT_TRUE(ok.is_ok());
}

TEST(BufferedReader, LinesWithNumbersOffsetsAndCrLf) {
  BufferedReader in(memory_byte_source("one\r\ntwo\n\nlast"), 4);  // tiny buffer: lines span refills
  Line line;
  std::vector<std::string> texts;
  std::vector<uint64_t> offsets;
  while (*in.next_line(&line, 100)) {
    texts.emplace_back(line.text);
    offsets.push_back(line.offset);
    EXPECT_EQ(line.number, texts.size());
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"one", "two", "", "last"}));
  EXPECT_EQ(offsets, (std::vector<uint64_t>{0, 5, 9, 10}));
}

TEST(BufferedReader, OverlongLinesAreSkippedWithTheirLength) {
  const std::string big(10000, 'x');
  BufferedReader in(memory_byte_source("short\n" + big + "\nafter\n"), 512);
  Line line;
  ASSERT_TRUE(*in.next_line(&line, 1000));
  EXPECT_EQ(line.text, "short");
  ASSERT_TRUE(*in.next_line(&line, 1000));
  EXPECT_TRUE(line.too_long);
  EXPECT_EQ(line.length, 10000u);
  EXPECT_EQ(line.number, 2u);
  ASSERT_TRUE(*in.next_line(&line, 1000));
  EXPECT_EQ(line.text, "after");
  EXPECT_EQ(line.number, 3u);
  EXPECT_FALSE(*in.next_line(&line, 1000));
}

}  // namespace
}  // namespace samestory
