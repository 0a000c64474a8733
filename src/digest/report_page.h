// render_report: the story map as one self-contained HTML page (no network, no files beside it).
//
// The page (web/report/, compiled in) lists the stories largest first, 50 to a page with a filter
// box, and renders a story only when it is opened: its timeline of outlets with each member's
// relation and shared/own share, its quotes with speakers and outlets, and any two members side
// by side with their shared passages highlighted and removed boilerplate struck through.
// Offsets in the embedded data are UTF-16 code units, as JavaScript strings count.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "digest/story_map.h"

namespace samestory {

struct ReportOptions {
  // The largest stories shown; the texts of their members are embedded, so this bounds the page
  // (10,000 stories of a few articles each: tens of MB, which browsers open in seconds).
  uint64_t max_stories = 10000;
};

struct ReportStats {
  uint64_t stories = 0;   // shown
  uint64_t left_out = 0;  // beyond max_stories
};

std::string render_report(const StoryMap& map, const ReportOptions& options, ReportStats* stats = nullptr);

namespace report_assets {
std::string_view page();
std::string_view style();
std::string_view script();
}  // namespace report_assets

}  // namespace samestory
