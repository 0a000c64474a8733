// Problems found in the input, and the accounting that keeps every document visible.
//
// Each problem has a reason with a stable name (used in `--json` summaries) and an outcome: the
// document was kept after a repair or with a gap (invalid UTF-8 replaced, date missing, id renamed),
// or it was rejected. The log holds one count per reason and prints a message per problem, naming
// the file, the line or record and the reason, up to a cap per reason so a million bad records do
// not flood the terminal; the summary then says how many messages were left out.
//
// The invariant every command keeps: documents read = accepted + rejected, and rejected is the sum
// of the per-reason rejection counts.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace samestory {

enum class Reason : uint8_t {
  // rejected: the document (or the file, counted as one document) is dropped
  kUnreadableFile = 0,
  kBinaryFile,
  kEmptyFile,
  kUnsupportedFormat,
  kMalformedJson,
  kNotAnObject,
  kMalformedCsv,
  kMalformedWarc,
  kTruncatedInput,
  kMissingText,
  kTooLarge,
  kDecompressionLimit,
  kInvalidUtf8Strict,  // invalid UTF-8 under --strict
  kMissingId,          // no id where one is required (ReadOptions::require_id: the HTTP API)
  kNoArticleText,      // a web page (or WARC response) with no article text: not HTML, an HTTP
                       // error, or a page of links
  // kept: the document stays, repaired or with a gap
  kInvalidUtf8,
  kMissingDate,
  kMalformedDate,
  kImpossibleDate,
  kDuplicateId,
  kCount
};
inline constexpr size_t kReasonCount = static_cast<size_t>(Reason::kCount);

// Stable machine name ("invalid_utf8") and a phrase for people ("invalid UTF-8").
std::string_view reason_name(Reason r);
std::string_view reason_phrase(Reason r);
bool reason_rejects(Reason r);

struct ProblemLogOptions {
  // Messages printed per reason before the rest are only counted. 0 prints none.
  uint64_t max_messages_per_reason = 5;
  // Where messages go; nullptr keeps them silent (counts are still kept).
  std::FILE* sink = stderr;
};

class ProblemLog {
 public:
  explicit ProblemLog(ProblemLogOptions options = {}) : options_(options) {}

  // Records one problem. `where` is "FILE:LINE" or similar; `detail` adds specifics.
  void report(Reason reason, std::string_view where, std::string_view detail = {});

  // A message about the input that concerns no document (a directory loop skipped).
  void note(std::string_view where, std::string_view message);

  uint64_t count(Reason r) const { return counts_[static_cast<size_t>(r)]; }
  uint64_t total() const;
  uint64_t rejected() const;
  uint64_t messages_left_out() const;

 private:
  ProblemLogOptions options_;
  std::array<uint64_t, kReasonCount> counts_{};
};

}  // namespace samestory
