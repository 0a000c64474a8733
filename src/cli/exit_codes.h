// The exit codes of the samestory command (documented in the README).
#pragma once

namespace samestory::cli {

enum ExitCode : int {
  kExitOk = 0,
  kExitInputProblems = 1,  // --strict and the input had problems (each reported on stderr)
  kExitUsage = 2,          // bad command line
  kExitIoFailure = 3,      // an output could not be written, or no input could be opened
  kExitInterrupted = 130,  // SIGINT or SIGTERM; no partial output file is left behind
};

}  // namespace samestory::cli
