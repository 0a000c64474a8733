#include "base/output_file.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace samestory {

Result<std::unique_ptr<OutputFile>> OutputFile::open(const std::string& path) {
  if (path == "-") return std::unique_ptr<OutputFile>(new OutputFile(path, "", stdout, false));
  static constexpr size_t kBufferBytes = 1 << 20;
  // Something that is not a regular file (`-o /dev/null`) is written where it is: renaming a
  // temporary file over it replaced the device with a file, for every program on the machine.
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) return Status::io_error(fmt::format("{}: is a directory", path));
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) return Status::io_error(fmt::format("{}: cannot open for writing: {}", path, std::strerror(errno)));
    std::setvbuf(f, nullptr, _IOFBF, kBufferBytes);
    return std::unique_ptr<OutputFile>(new OutputFile(path, "", f, true));
  }
  std::string temp = fmt::format("{}.tmp-{}", path, ::getpid());
  std::FILE* f = std::fopen(temp.c_str(), "wb");
  if (f == nullptr) {
    return Status::io_error(fmt::format("{}: cannot create output file: {}", path, std::strerror(errno)));
  }
  std::setvbuf(f, nullptr, _IOFBF, kBufferBytes);
  return std::unique_ptr<OutputFile>(new OutputFile(path, std::move(temp), f, true));
}

OutputFile::OutputFile(std::string path, std::string temp_path, std::FILE* file, bool owned)
    : path_(std::move(path)), temp_path_(std::move(temp_path)), file_(file), owned_(owned) {}

OutputFile::~OutputFile() {
  if (temp_path_.empty()) {
    if (owned_ && !committed_) {
      std::fclose(file_);
    } else if (!owned_) {
      std::fflush(file_);
    }
    return;
  }
  if (!committed_) {
    std::fclose(file_);
    std::remove(temp_path_.c_str());
  }
}

Status OutputFile::write(std::string_view bytes) {
  if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
    return Status::io_error(fmt::format("{}: write failed: {}", path_, std::strerror(errno)));
  }
  return Status::ok();
}

Status OutputFile::commit() {
  if (temp_path_.empty()) {
    const std::string what = owned_ ? path_ : std::string("standard output");
    if (std::fflush(file_) != 0) return Status::io_error(fmt::format("{}: {}", what, std::strerror(errno)));
    if (owned_) {
      committed_ = true;  // the FILE is gone either way
      if (std::fclose(file_) != 0) return Status::io_error(fmt::format("{}: {}", what, std::strerror(errno)));
    }
    return Status::ok();
  }
  const bool flushed = std::fflush(file_) == 0 && ::fsync(fileno(file_)) == 0;
  const int saved_errno = errno;
  const bool closed = std::fclose(file_) == 0;
  committed_ = true;  // the FILE is gone either way
  if (!flushed || !closed) {
    std::remove(temp_path_.c_str());
    return Status::io_error(fmt::format("{}: write failed: {}", path_, std::strerror(saved_errno)));
  }
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    const int e = errno;
    std::remove(temp_path_.c_str());
    return Status::io_error(fmt::format("{}: cannot move output into place: {}", path_, std::strerror(e)));
  }
  return Status::ok();
}

}  // namespace samestory
