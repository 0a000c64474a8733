#include "cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace samestory::cli {

Progress::Progress(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled && ::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()), last_draw_(start_) {}

Progress::~Progress() { finish(); }

void Progress::update(uint64_t done, uint64_t total, uint64_t items) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - start_ < std::chrono::milliseconds(500) || now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double mb = static_cast<double>(done) / 1e6;
  std::string line;
  if (total > 0) {
    const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(fraction * kWidth);
    line = fmt::format("{} [{}{}] {:5.1f}%  {:.0f} MB  {} docs  {:.0f} MB/s", label_, std::string(filled, '#'),
                       std::string(kWidth - filled, ' '), fraction * 100, mb, items, mb / seconds);
  } else {
    line = fmt::format("{}  {:.0f} MB  {} docs  {:.0f} MB/s", label_, mb, items, mb / seconds);
  }
  fmt::print(stderr, "\r\x1b[2K{}", line);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::step(const char* name, double fraction) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const bool new_step = name != step_;
  if (now - start_ < std::chrono::milliseconds(500) || (!new_step && now - last_draw_ < std::chrono::milliseconds(100))) {
    return;
  }
  step_ = name;
  last_draw_ = now;
  fraction = std::clamp(fraction, 0.0, 1.0);
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  fmt::print(stderr, "\r\x1b[2K{} {} [{}{}] {:5.1f}%  {:.1f} s", label_, name, std::string(filled, '#'),
             std::string(kWidth - filled, ' '), fraction * 100,
             std::chrono::duration<double>(now - start_).count());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (drawn_) {
    fmt::print(stderr, "\r\x1b[2K");
    std::fflush(stderr);
    drawn_ = false;
  }
}

}  // namespace samestory::cli
