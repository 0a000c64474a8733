// SpooledStdin: standard input copied to a temporary file, for commands that read their input
// more than once (dedup verifies candidates in a second pass, clean learns before it cleans).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace samestory::cli {

class SpooledStdin {
 public:
  SpooledStdin() = default;
  SpooledStdin(const SpooledStdin&) = delete;
  SpooledStdin& operator=(const SpooledStdin&) = delete;
  ~SpooledStdin();  // removes the file

  // If `inputs` names standard input ("-"), copies it to a temporary file and puts that file's
  // path in its place. Fails on an I/O error or when interrupted.
  Status replace_dash(std::vector<std::string>* inputs);

 private:
  std::string path_;
};

}  // namespace samestory::cli
