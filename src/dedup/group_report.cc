#include "dedup/group_report.h"

#include <algorithm>
#include <cmath>

#include "base/json_writer.h"
#include "base/parallel_region.h"

namespace samestory {

GroupReport report_group(const Deduplicator& dedup, const DuplicateGroup& group) {
  GroupReport r;
  r.representative = std::string(dedup.id(group.representative));
  r.first = group.representative;
  r.members.reserve(group.members.size());
  for (const GroupMember& m : group.members) {
    r.first = std::min(r.first, m.doc);
    MemberReport mr;
    mr.id = std::string(dedup.id(m.doc));
    mr.relation = m.relation;
    mr.jaccard = m.jaccard;
    mr.in_rep = m.in_rep;
    mr.rep_in = m.rep_in;
    mr.estimated = m.estimated;
    if (m.via != group.representative) mr.via = std::string(dedup.id(m.via));
    r.members.push_back(std::move(mr));
  }
  return r;
}

void append_group_jsonl(size_t number, const GroupReport& group, std::string* out) {
  JsonWriter w(out);
  w.begin_object();
  w.field("group", static_cast<uint64_t>(number));
  w.field("representative", group.representative);
  w.field("size", static_cast<uint64_t>(group.members.size() + 1));
  w.key("members").begin_array();
  w.begin_object().field("id", group.representative).field("relation", "representative").end_object();
  auto round3 = [](double v) { return std::round(v * 1000) / 1000; };
  for (const MemberReport& m : group.members) {
    w.begin_object();
    w.field("id", m.id).field("relation", to_string(m.relation));
    w.field("jaccard", round3(m.jaccard));
    w.field("containment", round3(m.in_rep));
    w.field("containment_of_representative", round3(m.rep_in));
    if (m.estimated) w.field("estimated", true);
    if (!m.via.empty()) w.field("via", m.via);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  out->push_back('\n');
}

Status write_group_reports(const Deduplicator& dedup, const std::function<Status(std::string_view)>& write) {
  // Formatting was a twentieth of a two-thread run on the bench corpus, all of it on one thread:
  // pieces of a few thousand groups are formatted side by side, a few waves of them at a time so
  // that memory holds a few megabytes of text, not the whole report.
  constexpr size_t kGroupsPerPiece = 4096;
  constexpr size_t kPiecesPerWave = 16;
  const auto& groups = dedup.groups();
  const size_t pieces = (groups.size() + kGroupsPerPiece - 1) / kGroupsPerPiece;
  std::vector<std::string> texts;
  for (size_t wave = 0; wave < pieces; wave += kPiecesPerWave) {
    texts.assign(std::min(kPiecesPerWave, pieces - wave), std::string());
    parallel_for_index(size_t{0}, texts.size(), [&](size_t i) {
      const size_t begin = (wave + i) * kGroupsPerPiece, end = std::min(groups.size(), begin + kGroupsPerPiece);
      for (size_t g = begin; g < end; ++g) append_group_jsonl(g + 1, report_group(dedup, groups[g]), &texts[i]);
    });
    for (const std::string& text : texts) {
      if (Status s = write(text); !s) return s;
    }
  }
  return Status::ok();
}

std::optional<Relation> relation_from_string(std::string_view name) {
  for (Relation r : {Relation::kRepresentative, Relation::kExact, Relation::kNear, Relation::kContained,
                     Relation::kContains, Relation::kLinked}) {
    if (to_string(r) == name) return r;
  }
  return std::nullopt;
}

}  // namespace samestory
