// GroupReport: one duplicate group as `samestory dedup --report` writes it, one JSON object a line.
//
// The CLI and the Python/Dask pipeline both write groups through append_group_jsonl(), so the
// reports of a single-machine and a distributed run can be compared byte for byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "dedup/deduplicator.h"

namespace samestory {

struct MemberReport {
  std::string id;
  Relation relation = Relation::kLinked;
  double jaccard = 0;   // with the representative
  double in_rep = 0;    // containment of this member in the representative
  double rep_in = 0;    // containment of the representative in this member
  bool estimated = false;
  std::string via;      // the member it was linked through; empty when linked to the representative
};

struct GroupReport {
  std::string representative;
  uint32_t first = 0;  // the group's first document number (groups are written in this order)
  std::vector<MemberReport> members;  // in document order, without the representative
};

GroupReport report_group(const Deduplicator& dedup, const DuplicateGroup& group);

// Appends {"group": number, "representative", "size", "members": [...]} and a newline.
void append_group_jsonl(size_t number, const GroupReport& group, std::string* out);

// Hands every group of a finished `dedup`, numbered from 1, to `write` as append_group_jsonl()
// text: in order, in pieces of about a megabyte, each piece formatted on any thread. Stops at
// and returns the first error `write` returns.
Status write_group_reports(const Deduplicator& dedup, const std::function<Status(std::string_view)>& write);

std::optional<Relation> relation_from_string(std::string_view name);

}  // namespace samestory
