#include "io/problems.h"

#include <fmt/format.h>

namespace samestory {

namespace {

struct ReasonInfo {
  std::string_view name;
  std::string_view phrase;
  bool rejects;
};

constexpr std::array<ReasonInfo, kReasonCount> kReasons = {{
    {"unreadable_file", "unreadable file", true},
    {"binary_file", "binary file", true},
    {"empty_file", "empty file", true},
    {"unsupported_format", "unsupported format", true},
    {"malformed_json", "malformed JSON", true},
    {"not_an_object", "JSON record is not an object", true},
    {"malformed_csv", "malformed CSV row", true},
    {"malformed_warc", "malformed WARC record", true},
    {"truncated_input", "truncated input", true},
    {"missing_text", "no text or title", true},
    {"too_large", "document too large", true},
    {"decompression_limit", "decompressed size past the limit", true},
    {"invalid_utf8_strict", "invalid UTF-8 (rejected under --strict)", true},
    {"missing_id", "no id", true},
    {"no_article", "no article in the page", true},
    {"invalid_utf8", "invalid UTF-8 (repaired with U+FFFD)", false},
    {"missing_date", "missing date", false},
    {"malformed_date", "malformed date", false},
    {"impossible_date", "impossible date", false},
    {"duplicate_id", "duplicate id (renamed)", false},
}};

}  // namespace

std::string_view reason_name(Reason r) { return kReasons[static_cast<size_t>(r)].name; }
std::string_view reason_phrase(Reason r) { return kReasons[static_cast<size_t>(r)].phrase; }
bool reason_rejects(Reason r) { return kReasons[static_cast<size_t>(r)].rejects; }

void ProblemLog::report(Reason reason, std::string_view where, std::string_view detail) {
  const uint64_t n = ++counts_[static_cast<size_t>(reason)];
  if (options_.sink == nullptr || n > options_.max_messages_per_reason) return;
  if (detail.empty()) {
    fmt::print(options_.sink, "samestory: {}: {}\n", where, reason_phrase(reason));
  } else {
    fmt::print(options_.sink, "samestory: {}: {}: {}\n", where, reason_phrase(reason), detail);
  }
}

void ProblemLog::note(std::string_view where, std::string_view message) {
  if (options_.sink != nullptr) fmt::print(options_.sink, "samestory: {}: {}\n", where, message);
}

uint64_t ProblemLog::total() const {
  uint64_t t = 0;
  for (uint64_t c : counts_) t += c;
  return t;
}

uint64_t ProblemLog::rejected() const {
  uint64_t t = 0;
  for (size_t r = 0; r < kReasonCount; ++r) {
    if (kReasons[r].rejects) t += counts_[r];
  }
  return t;
}

uint64_t ProblemLog::messages_left_out() const {
  uint64_t t = 0;
  for (uint64_t c : counts_) {
    if (c > options_.max_messages_per_reason) t += c - options_.max_messages_per_reason;
  }
  return t;
}

}  // namespace samestory
