#include "io/byte_source.h"

#include <gtest/gtest.h>

#include <tuple>
#include <vector>

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

// A file read through its mapping gives what read() gives: the same lines, numbers, offsets,
// overlong lines and a last line without a newline, over more than the 8 MiB windows whose page
// tables are filled ahead and dropped behind; and the bytes consumed advance as it is read.
TEST(BufferedReader, MappedFilesReadLikeReadOnes) {
  testing::TempDir dir;
  std::string text;
  for (int i = 0; text.size() < (20u << 20); ++i) {
    text += "line " + std::to_string(i) + (i % 7 == 0 ? " of the wire\r\n" : " of the story\n");
    if (i % 50000 == 0) text += std::string(3000, 'x') + "\n";  // overlong at the cap below
  }
  text += "last";
  const std::string path = dir.write("big.txt", text);
  auto read_all_lines = [&](uint64_t map_min_bytes, bool* was_mapped) {
    SourceOptions options;
    options.map_min_bytes = map_min_bytes;
    auto source = open_byte_source(path, options);
    EXPECT_TRUE(source.is_ok());
    *was_mapped = !(*source)->mapped().empty();
    BufferedReader in(std::move(*source));
    std::vector<std::tuple<std::string, uint64_t, uint64_t, uint64_t, bool>> lines;
    Line line;
    uint64_t last_consumed = 0;
    while (*in.next_line(&line, 2000)) {
      lines.emplace_back(std::string(line.text), line.number, line.offset, line.length, line.too_long);
      EXPECT_GE(in.raw_bytes_consumed(), last_consumed);
      last_consumed = in.raw_bytes_consumed();
    }
    EXPECT_EQ(in.raw_bytes_consumed(), text.size());
    return lines;
  };
  bool mapped = false, read = true;
  const auto from_map = read_all_lines(1, &mapped);
  const auto from_read = read_all_lines(0, &read);
  EXPECT_TRUE(mapped);
  EXPECT_FALSE(read);
  ASSERT_EQ(from_map.size(), from_read.size());
  EXPECT_TRUE(from_map == from_read);
  EXPECT_EQ(std::get<0>(from_map.back()), "last");
}

TEST(BufferedReader, SmallAndCompressedFilesAreNotMapped) {
  testing::TempDir dir;
  const std::string text = sample_text();
  SourceOptions options;  // default threshold: 4 MiB
  auto small = open_byte_source(dir.write("small.txt", text), options);
  ASSERT_TRUE(small.is_ok());
  EXPECT_TRUE((*small)->mapped().empty());
  options.map_min_bytes = 1;
  auto compressed = open_byte_source(dir.write("small.txt.gz", gzip(text)), options);
  ASSERT_TRUE(compressed.is_ok());
  EXPECT_TRUE((*compressed)->mapped().empty());
  EXPECT_EQ(drain(**compressed), text);
}

}  // namespace
}  // namespace samestory
