#include "cli/spooled_stdin.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "cli/commands.h"

namespace samestory::cli {

SpooledStdin::~SpooledStdin() {
  if (!path_.empty()) std::remove(path_.c_str());
}

Status SpooledStdin::replace_dash(std::vector<std::string>* inputs) {
  for (std::string& input : *inputs) {
    if (input != "-") continue;
    if (path_.empty()) {
      std::string tmpl = (std::filesystem::temp_directory_path() / "samestory-stdin-XXXXXX").string();
      const int fd = ::mkstemp(tmpl.data());
      if (fd < 0) return Status::io_error("cannot create a temporary file to hold standard input");
      path_ = tmpl;
      std::FILE* out = ::fdopen(fd, "wb");
      char buf[1 << 16];
      size_t n;
      while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
        if (std::fwrite(buf, 1, n, out) != n) {
          std::fclose(out);
          return Status::io_error(fmt::format("{}: cannot spool standard input", path_));
        }
      }
      std::fclose(out);
      if (stop_requested().load()) return Status::io_error("interrupted while reading standard input");
    }
    input = path_;
  }
  return Status::ok();
}

}  // namespace samestory::cli
