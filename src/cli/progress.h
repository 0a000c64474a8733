// A progress line on stderr, shown only when stderr is a terminal and the work has taken more
// than half a second, redrawn at most ten times a second and erased when done.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace samestory::cli {

class Progress {
 public:
  Progress(std::string label, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // `done` and `total` in bytes (total 0: unknown); `items` counted so far (documents).
  void update(uint64_t done, uint64_t total, uint64_t items);
  // For work measured in steps rather than bytes: the step's name and how far it has got (0..1).
  void step(const char* name, double fraction);
  void finish();

 private:
  std::string label_;
  std::string step_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace samestory::cli
