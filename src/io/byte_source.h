// ByteSource: the bytes of one input, decompressed, in constant memory.
//
// open_byte_source() opens a file or standard input ("-") and looks at its first bytes: gzip
// (1F 8B, also concatenated members, as `cat a.gz b.gz` makes) and zstd (28 B5 2F FD, also several
// frames) are decompressed on the fly; anything else is passed through. The extension plays no part.
//
// Decompression bombs: once a source has produced more than `expansion_floor_bytes`, it fails with
// kLimitExceeded as soon as its output exceeds `max_expansion_ratio` times the compressed bytes
// consumed. Real news text compresses 3-10x, so the defaults (64 MiB, 250x) never stop real data.
//
// BufferedReader sits on a ByteSource and hands out lines (with their number and offset, and a
// length cap so a 100 MB line is skipped in constant memory) or raw chunks.
//
// An uncompressed regular file of at least SourceOptions::map_min_bytes is read through a
// read-only memory mapping instead of read(): lines are views into the page cache, with no copy
// (the copy was 4% of a dedup run, whose passes read each byte twice). As with any mapping, a file
// truncated by another process while it is read ends the process with SIGBUS.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace samestory {

enum class Compression : uint8_t { kNone, kGzip, kZstd };
std::string_view to_string(Compression c);

struct SourceOptions {
  uint64_t expansion_floor_bytes = 64ull << 20;
  uint64_t max_expansion_ratio = 250;
  // Uncompressed regular files of at least this many bytes are mapped rather than read (0: never).
  uint64_t map_min_bytes = 4ull << 20;
};

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `n` decompressed bytes into `buf`; 0 means the end of the input. A truncated or
  // corrupt compressed stream is a kDataError; a failing read is a kIoError.
  virtual Result<size_t> read(char* buf, size_t n) = 0;
  // Bytes consumed from the underlying file so far (compressed bytes for compressed input).
  virtual uint64_t raw_bytes_consumed() const = 0;
  virtual Compression compression() const = 0;
  // The whole input as one mapped view when the source is a mapped file, else empty. A source is
  // read either through read() or through this view, never both.
  virtual std::string_view mapped() const { return {}; }
};

Result<std::unique_ptr<ByteSource>> open_byte_source(const std::string& path, const SourceOptions& options = {});

// A ByteSource over bytes in memory (for tests and for decompressing buffers).
std::unique_ptr<ByteSource> memory_byte_source(std::string bytes, const SourceOptions& options = {});

struct Line {
  std::string_view text;  // without the line terminator (\n or \r\n); empty if too long
  uint64_t number = 0;    // 1-based
  uint64_t offset = 0;    // byte offset of the line's first byte in the decompressed input
  uint64_t length = 0;    // full length in bytes, even when too long
  bool too_long = false;
};

class BufferedReader {
 public:
  explicit BufferedReader(std::unique_ptr<ByteSource> source, size_t buffer_bytes = 1 << 20);

  // The next line, or false at the end of input. `line.text` stays valid until the next call.
  // Lines longer than `max_line_bytes` come back with too_long set and no text; their bytes are
  // skipped without being held in memory.
  Result<bool> next_line(Line* line, size_t max_line_bytes);

  // Raw access for byte-level parsers: the unread bytes currently buffered (refilling when empty;
  // empty at the end of input), and consume() to mark some of them read.
  Result<std::string_view> peek();
  // Like peek(), but reads until at least `n` bytes are buffered or the input ends: for sniffing
  // formats, where one short read (a pipe, a compressed stream) would show too little.
  Result<std::string_view> peek_head(size_t n);
  void consume(size_t n);

  // Reads everything that is left, up to `max_bytes`. Sets *too_large (and stops storing bytes,
  // but keeps counting them in *total) when there is more.
  Status read_all(std::string* out, size_t max_bytes, bool* too_large, uint64_t* total);

  // Consumes leading white space (and a UTF-8 byte order mark); false if nothing else follows.
  // Lines consumed this way still count in the line numbers next_line() and line_base() give.
  Result<bool> skip_blank_prefix();
  // Newlines consumed before the current position by skip_blank_prefix().
  uint64_t line_base() const { return blank_lines_; }

  uint64_t offset() const { return offset_; }  // decompressed bytes consumed so far
  uint64_t raw_bytes_consumed() const;  // the file's bytes (compressed ones for compressed input)
  Compression compression() const { return source_->compression(); }

 private:
  Result<bool> refill();
  void slide_mapped_window();
  std::unique_ptr<ByteSource> source_;
  std::string buffer_;  // empty when the source is mapped
  // The bytes [begin_, end_) of data_ are read and not consumed; data_ is buffer_'s, or the
  // whole mapped file.
  const char* data_ = nullptr;
  size_t capacity_ = 0;
  size_t chunk_bytes_ = 0;  // the most peek() shows of a mapped file at once
  bool mapped_ = false;
  size_t populated_ = 0, dropped_ = 0;  // mapped bytes with page tables filled, and dropped again
  size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  uint64_t offset_ = 0;
  uint64_t line_number_ = 0;
  uint64_t blank_lines_ = 0;
  std::string carry_;  // a line that spans buffer refills
  Status deferred_error_;  // met by peek_head() after some bytes: reported by the next read
};

}  // namespace samestory
