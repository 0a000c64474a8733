// OutputFile: a buffered output that appears under its final name only when complete.
//
// Writes go to a temporary file beside the destination (`NAME.tmp-PID`); commit() flushes, fsyncs
// and renames it into place, so an interrupted run never leaves a truncated file where a complete
// one was expected. Destroying an uncommitted OutputFile removes the temporary file. The path "-"
// means standard output, written directly.
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
  OutputFile(std::string path, std::string temp_path, std::FILE* file);
  std::string path_;
  std::string temp_path_;  // empty for standard output
  std::FILE* file_;
  bool committed_ = false;
};

}  // namespace samestory
