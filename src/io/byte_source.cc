#include "io/byte_source.h"

#include "base/interrupt.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace samestory {

std::string_view to_string(Compression c) {
  switch (c) {
    case Compression::kNone: return "none";
    case Compression::kGzip: return "gzip";
    case Compression::kZstd: return "zstd";
  }
  return "none";
}

namespace {

// Raw bytes: a file descriptor, or a string in memory. `prefix` holds bytes already read to sniff
// the compression, served first.
class RawSource {
 public:
  RawSource(int fd, bool owns_fd, std::string name) : fd_(fd), owns_fd_(owns_fd), name_(std::move(name)) {}
  explicit RawSource(std::string memory) : memory_(std::move(memory)), name_("<memory>") {}
  ~RawSource() {
    if (owns_fd_) ::close(fd_);
  }
  RawSource(const RawSource&) = delete;
  RawSource& operator=(const RawSource&) = delete;

  Result<size_t> read(char* buf, size_t n) {
    if (fd_ < 0) {
      const size_t k = std::min(n, memory_.size() - memory_pos_);
      std::memcpy(buf, memory_.data() + memory_pos_, k);
      memory_pos_ += k;
      consumed_ += k;
      return k;
    }
    for (;;) {
      const ssize_t k = ::read(fd_, buf, n);
      if (k >= 0) {
        consumed_ += static_cast<uint64_t>(k);
        return static_cast<size_t>(k);
      }
      if (errno == EINTR) {
        if (interrupt_requested().load()) return Status::io_error(fmt::format("{}: interrupted", name_));
        continue;
      }
      return Status::io_error(fmt::format("{}: read failed: {}", name_, std::strerror(errno)));
    }
  }
  uint64_t consumed() const { return consumed_; }
  const std::string& name() const { return name_; }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  bool owns_fd_ = false;
  std::string memory_;
  size_t memory_pos_ = 0;
  std::string name_;
  uint64_t consumed_ = 0;
};

// Serves `prefix` then the rest of `raw`; or, when map_whole() succeeds, the whole file as one
// mapped view.
class PlainSource final : public ByteSource {
 public:
  PlainSource(std::unique_ptr<RawSource> raw, std::string prefix) : raw_(std::move(raw)), prefix_(std::move(prefix)) {}
  ~PlainSource() override {
    if (map_ != nullptr) ::munmap(map_, map_bytes_);
  }
  PlainSource(const PlainSource&) = delete;
  PlainSource& operator=(const PlainSource&) = delete;

  Result<size_t> read(char* buf, size_t n) override {
    if (prefix_pos_ < prefix_.size()) {
      const size_t k = std::min(n, prefix_.size() - prefix_pos_);
      std::memcpy(buf, prefix_.data() + prefix_pos_, k);
      prefix_pos_ += k;
      return k;
    }
    return raw_->read(buf, n);
  }
  uint64_t raw_bytes_consumed() const override { return raw_->consumed(); }
  Compression compression() const override { return Compression::kNone; }
  std::string_view mapped() const override { return {static_cast<const char*>(map_), map_bytes_}; }

  // Maps a regular file of at least `min_bytes` (from its start: the sniffed prefix included).
  // Where mapping is not possible (a pipe, a small file, no address space) reading goes on.
  void map_whole(uint64_t min_bytes) {
    const int fd = raw_->fd();
    struct stat st;
    if (min_bytes == 0 || fd < 0 || ::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return;
    const auto size = static_cast<uint64_t>(st.st_size);
    if (size < min_bytes || size != static_cast<size_t>(size)) return;
    void* map = ::mmap(nullptr, static_cast<size_t>(size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) return;
    map_ = map;
    map_bytes_ = static_cast<size_t>(size);
  }

 private:
  std::unique_ptr<RawSource> raw_;
  std::string prefix_;
  size_t prefix_pos_ = 0;
  void* map_ = nullptr;
  size_t map_bytes_ = 0;
};

// Shared by the decompressors: compressed input buffering and the expansion limit.
class DecompressingSource : public ByteSource {
 public:
  DecompressingSource(std::unique_ptr<ByteSource> compressed, const SourceOptions& options)
      : in_(std::move(compressed)), options_(options), input_(kInputBytes, '\0') {}
  uint64_t raw_bytes_consumed() const override { return in_->raw_bytes_consumed(); }

 protected:
  static constexpr size_t kInputBytes = 256 << 10;
  // Refills the input window when it is exhausted. Returns false at the end of the compressed input.
  Result<bool> refill_input() {
    if (input_pos_ < input_len_) return true;
    auto n = in_->read(input_.data(), input_.size());
    if (!n) return n.status();
    input_pos_ = 0;
    input_len_ = *n;
    return *n > 0;
  }
  Status check_expansion(size_t produced, std::string_view format) {
    produced_ += produced;
    const uint64_t consumed = std::max<uint64_t>(1, in_->raw_bytes_consumed());
    if (produced_ > options_.expansion_floor_bytes && produced_ / consumed > options_.max_expansion_ratio) {
      return Status::limit_exceeded(fmt::format(
          "{} output passed {} bytes from {} compressed bytes (more than {}x expansion); refusing a likely "
          "decompression bomb",
          format, produced_, consumed, options_.max_expansion_ratio));
    }
    return Status::ok();
  }

  std::unique_ptr<ByteSource> in_;
  SourceOptions options_;
  std::string input_;
  size_t input_pos_ = 0, input_len_ = 0;
  uint64_t produced_ = 0;
};

class GzipSource final : public DecompressingSource {
 public:
  using DecompressingSource::DecompressingSource;
  ~GzipSource() override {
    if (initialised_) inflateEnd(&z_);
  }

  Result<size_t> read(char* buf, size_t n) override {
    if (!initialised_) {
      std::memset(&z_, 0, sizeof(z_));
      if (inflateInit2(&z_, 15 + 16) != Z_OK) return Status::data_error("gzip: cannot initialise zlib");
      initialised_ = true;
    }
    size_t produced = 0;
    while (produced == 0 && !finished_) {
      auto more = refill_input();
      if (!more) return more.status();
      if (!*more) {
        if (in_member_) return Status::data_error("truncated gzip stream (input ends inside a member)");
        finished_ = true;
        break;
      }
      if (!in_member_) {
        // Between members: skip zero padding some tools append, then start the next member.
        while (input_pos_ < input_len_ && input_[input_pos_] == '\0') ++input_pos_;
        if (input_pos_ == input_len_) continue;
        inflateReset(&z_);
        in_member_ = true;
      }
      z_.next_in = reinterpret_cast<Bytef*>(input_.data() + input_pos_);
      z_.avail_in = static_cast<uInt>(input_len_ - input_pos_);
      z_.next_out = reinterpret_cast<Bytef*>(buf);
      z_.avail_out = static_cast<uInt>(std::min<size_t>(n, 1u << 30));
      const int rc = inflate(&z_, Z_NO_FLUSH);
      input_pos_ = input_len_ - z_.avail_in;
      produced = static_cast<size_t>(reinterpret_cast<char*>(z_.next_out) - buf);
      if (rc == Z_STREAM_END) {
        in_member_ = false;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return Status::data_error(fmt::format("corrupt gzip stream: {}", z_.msg ? z_.msg : "inflate failed"));
      }
    }
    if (Status s = check_expansion(produced, "gzip"); !s) return s;
    return produced;
  }
  Compression compression() const override { return Compression::kGzip; }

 private:
  z_stream z_{};
  bool initialised_ = false;
  bool in_member_ = false;
  bool finished_ = false;
};

class ZstdSource final : public DecompressingSource {
 public:
  ZstdSource(std::unique_ptr<ByteSource> compressed, const SourceOptions& options)
      : DecompressingSource(std::move(compressed), options), stream_(ZSTD_createDStream()) {}
  ~ZstdSource() override { ZSTD_freeDStream(stream_); }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;

  Result<size_t> read(char* buf, size_t n) override {
    ZSTD_outBuffer out{buf, n, 0};
    while (out.pos == 0 && !finished_) {
      auto more = refill_input();
      if (!more) return more.status();
      if (!*more) {
        if (frame_open_) return Status::data_error("truncated zstd stream (input ends inside a frame)");
        finished_ = true;
        break;
      }
      ZSTD_inBuffer in{input_.data(), input_len_, input_pos_};
      const size_t rc = ZSTD_decompressStream(stream_, &out, &in);
      input_pos_ = in.pos;
      if (ZSTD_isError(rc)) {
        return Status::data_error(fmt::format("corrupt zstd stream: {}", ZSTD_getErrorName(rc)));
      }
      frame_open_ = rc != 0;
    }
    if (Status s = check_expansion(out.pos, "zstd"); !s) return s;
    return out.pos;
  }
  Compression compression() const override { return Compression::kZstd; }

 private:
  ZSTD_DStream* stream_;
  bool frame_open_ = false;
  bool finished_ = false;
};

Result<std::unique_ptr<ByteSource>> wrap(std::unique_ptr<RawSource> raw, const SourceOptions& options) {
  // Sniff the first four bytes; short files are fine.
  std::string prefix(4, '\0');
  size_t got = 0;
  while (got < prefix.size()) {
    auto n = raw->read(prefix.data() + got, prefix.size() - got);
    if (!n) return n.status();
    if (*n == 0) break;
    got += *n;
  }
  prefix.resize(got);
  auto plain = std::make_unique<PlainSource>(std::move(raw), prefix);
  if (got >= 2 && static_cast<unsigned char>(prefix[0]) == 0x1F && static_cast<unsigned char>(prefix[1]) == 0x8B) {
    return std::unique_ptr<ByteSource>(std::make_unique<GzipSource>(std::move(plain), options));
  }
  if (got == 4 && prefix == std::string_view("\x28\xB5\x2F\xFD", 4)) {
    return std::unique_ptr<ByteSource>(std::make_unique<ZstdSource>(std::move(plain), options));
  }
  plain->map_whole(options.map_min_bytes);
  return std::unique_ptr<ByteSource>(std::move(plain));
}

}  // namespace

Result<std::unique_ptr<ByteSource>> open_byte_source(const std::string& path, const SourceOptions& options) {
  if (path == "-") return wrap(std::make_unique<RawSource>(STDIN_FILENO, false, "standard input"), options);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::io_error(std::strerror(errno));
  return wrap(std::make_unique<RawSource>(fd, true, path), options);
}

std::unique_ptr<ByteSource> memory_byte_source(std::string bytes, const SourceOptions& options) {
  auto r = wrap(std::make_unique<RawSource>(std::move(bytes)), options);
  return std::move(r).value();  // reading memory cannot fail
}

BufferedReader::BufferedReader(std::unique_ptr<ByteSource> source, size_t buffer_bytes)
    : source_(std::move(source)) {
  if (const std::string_view whole = source_->mapped(); !whole.empty()) {
    data_ = whole.data();
    capacity_ = end_ = whole.size();
    chunk_bytes_ = std::max<size_t>(buffer_bytes, 1);
    mapped_ = true;
  } else {
    buffer_.assign(buffer_bytes, '\0');
    data_ = buffer_.data();
    capacity_ = buffer_.size();
  }
}

uint64_t BufferedReader::raw_bytes_consumed() const { return mapped_ ? offset_ : source_->raw_bytes_consumed(); }

Result<bool> BufferedReader::refill() {
  if (!deferred_error_.is_ok()) {
    Status error = std::move(deferred_error_);
    deferred_error_ = Status::ok();
    eof_ = true;
    return error;
  }
  if (eof_) return false;
  if (mapped_) {  // everything was there from the start
    eof_ = true;
    return false;
  }
  if (begin_ > 0 && begin_ == end_) begin_ = end_ = 0;
  if (end_ == buffer_.size()) {
    // Move unread bytes to the front to make room.
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) return true;  // full of unread bytes: nothing to read into
  auto n = source_->read(buffer_.data() + end_, buffer_.size() - end_);
  if (!n) return n.status();
  if (*n == 0) {
    eof_ = true;
    return false;
  }
  end_ += *n;
  return true;
}

void BufferedReader::slide_mapped_window() {
  // Page tables are filled a window ahead in one call (MADV_POPULATE_READ: 16,000 page faults of
  // 64 KiB each cost twice as much system time on 1 GB), and those of consumed windows dropped,
  // so the file's pages never count in the process's resident memory beyond two windows. The
  // pages stay in the page cache and the mapping stays whole: a dropped page that is read again is
  // faulted back in, so no view ever reads wrong bytes.
  constexpr size_t kWindow = 8 << 20;  // a multiple of the page size
  while (populated_ < capacity_ && begin_ + kWindow / 2 >= populated_) {
    const size_t until = std::min(capacity_, populated_ + kWindow);
    ::madvise(const_cast<char*>(data_) + populated_, until - populated_, MADV_POPULATE_READ);  // a hint
    populated_ = until;
  }
  while (dropped_ + kWindow <= begin_) {
    ::madvise(const_cast<char*>(data_) + dropped_, kWindow, MADV_DONTNEED);
    dropped_ += kWindow;
  }
}

Result<std::string_view> BufferedReader::peek() {
  if (mapped_) {
    // Chunks of a buffer's size, as when reading: consumers that take a chunk whole then let the
    // window slide.
    slide_mapped_window();
    return std::string_view(data_ + begin_, std::min(end_ - begin_, chunk_bytes_));
  }
  if (begin_ == end_) {
    begin_ = end_ = 0;
    auto more = refill();
    if (!more) return more.status();
  }
  return std::string_view(data_ + begin_, end_ - begin_);
}

Result<std::string_view> BufferedReader::peek_head(size_t n) {
  if (mapped_) {
    slide_mapped_window();
    return std::string_view(data_ + begin_, std::min(end_ - begin_, std::max(n, chunk_bytes_)));
  }
  n = std::min(n, capacity_);
  while (end_ - begin_ < n) {
    auto more = refill();
    if (!more) {
      // Hand out what came before the error (a truncated stream keeps its good records); the
      // error comes back from the next read.
      if (end_ == begin_) return more.status();
      deferred_error_ = more.status();
      break;
    }
    if (!*more) break;
  }
  return std::string_view(data_ + begin_, end_ - begin_);
}

void BufferedReader::consume(size_t n) {
  begin_ += n;
  offset_ += n;
}

Result<bool> BufferedReader::next_line(Line* line, size_t max_line_bytes) {
  if (mapped_) slide_mapped_window();
  carry_.clear();
  line->too_long = false;
  line->offset = offset_;
  uint64_t length = 0;
  for (;;) {
    if (begin_ == end_) {
      if (!mapped_) begin_ = end_ = 0;
      auto more = refill();
      if (!more) return more.status();
      if (!*more) {
        if (length == 0) return false;  // clean end of input
        break;                          // a last line without a newline
      }
    }
    const char* start = data_ + begin_;
    const size_t avail = end_ - begin_;
    const auto* nl = static_cast<const char*>(std::memchr(start, '\n', avail));
    const size_t take = nl ? static_cast<size_t>(nl - start) : avail;
    if (nl && length == 0 && take <= max_line_bytes) {
      // The whole line is in the buffer: hand out a view, no copy.
      line->text = std::string_view(start, take);
      length = take;
      consume(take + 1);
      if (!line->text.empty() && line->text.back() == '\r') line->text.remove_suffix(1);
      line->length = length;
      line->number = ++line_number_;
      return true;
    }
    if (!line->too_long) {
      if (length + take > max_line_bytes) {
        line->too_long = true;
        carry_.clear();
        carry_.shrink_to_fit();
      } else {
        carry_.append(start, take);
      }
    }
    length += take;
    consume(take + (nl ? 1 : 0));
    if (nl) break;
  }
  line->length = length;
  line->number = ++line_number_;
  if (line->too_long) {
    line->text = {};
  } else {
    line->text = carry_;
    if (!line->text.empty() && line->text.back() == '\r') line->text.remove_suffix(1);
  }
  return true;
}

Result<bool> BufferedReader::skip_blank_prefix() {
  for (;;) {
    auto chunk = peek();
    if (!chunk) return chunk.status();
    if (chunk->empty()) return false;
    size_t i = 0;
    if (offset_ == 0 && chunk->starts_with("\xEF\xBB\xBF")) i = 3;
    for (; i < chunk->size(); ++i) {
      const char c = (*chunk)[i];
      if (c == '\n') {
        ++blank_lines_;
      } else if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') {
        break;
      }
    }
    consume(i);
    if (i < chunk->size()) {
      line_number_ = blank_lines_;
      return true;
    }
  }
}

Status BufferedReader::read_all(std::string* out, size_t max_bytes, bool* too_large, uint64_t* total) {
  *too_large = false;
  *total = 0;
  for (;;) {
    auto chunk = peek();
    if (!chunk) return chunk.status();
    if (chunk->empty()) return Status::ok();
    *total += chunk->size();
    if (!*too_large) {
      if (out->size() + chunk->size() > max_bytes) {
        *too_large = true;
        out->clear();
        out->shrink_to_fit();
      } else {
        out->append(*chunk);
      }
    }
    consume(chunk->size());
  }
}

}  // namespace samestory
