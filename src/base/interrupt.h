// The process-wide "stop" request: set by the CLI's SIGINT/SIGTERM handler, read by long loops
// and by blocking reads (which the signal interrupts), so a run stops at the next safe point and
// leaves no partial output behind.
#pragma once

#include <atomic>

namespace samestory {

inline std::atomic<bool>& interrupt_requested() {
  static std::atomic<bool> flag{false};
  return flag;
}

}  // namespace samestory
