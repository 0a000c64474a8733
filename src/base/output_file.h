// OutputFile: a buffered output that appears under its final name only when complete.
//
// Writes go to a temporary file beside the destination (`NAME.tmp-PID`); commit() flushes, fsyncs
// and renames it into place, so an interrupted run never leaves a truncated file where a complete
// one was expected. Destroying an uncommitted OutputFile removes the temporary file. The path "-"
// means standard output, written directly; so is a path that names something other than a regular
// file (/dev/null, a FIFO, a terminal), which a rename would replace with a regular file.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace samestory {

class OutputFile {
 public:
  static Result<std::unique_ptr<OutputFile>> open(const std::string& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  Status write(std::string_view bytes);
  Status commit();
  const std::string& path() const { return path_; }

 private:
  OutputFile(std::string path, std::string temp_path, std::FILE* file, bool owned);
  std::string path_;
  std::string temp_path_;  // empty when written directly
  std::FILE* file_;
  bool owned_;             // false for standard output, which stays open
  bool committed_ = false;
};

}  // namespace samestory
