#include "io/field_map.h"

#include <fmt/format.h>

namespace samestory {

namespace {
constexpr std::array<std::string_view, kFieldCount> kFieldNames = {"id", "outlet", "date", "url", "title", "text", "label"};
}

std::string_view field_name(Field f) { return kFieldNames[static_cast<size_t>(f)]; }

FieldMap FieldMap::defaults() {
  FieldMap m;
  m.names[static_cast<size_t>(Field::kId)] = {"id", "doc_id", "_id", "attrs.newid"};
  m.names[static_cast<size_t>(Field::kOutlet)] = {"outlet",    "source_domain", "source.name", "source",
                                                  "publisher", "site_name",     "sitename",    "domain"};
  m.names[static_cast<size_t>(Field::kDate)] = {"date_publish", "published_at", "published", "date_published",
                                                "publish_date", "pub_date",     "pubdate",   "date",
                                                "timestamp",    "datetime",     "time",      "created_at"};
  m.names[static_cast<size_t>(Field::kUrl)] = {"url", "link", "canonical_url", "uri"};
  m.names[static_cast<size_t>(Field::kTitle)] = {"title", "headline", "title_page", "title_rss"};
  m.names[static_cast<size_t>(Field::kText)] = {"text", "maintext", "body", "content", "article", "article_body"};
  m.names[static_cast<size_t>(Field::kLabel)] = {"label", "story", "newsCluster.EventId", "event_id", "cluster_id"};
  return m;
}

Status FieldMap::set(std::string_view spec) {
  const size_t eq = spec.find('=');
  if (eq == std::string_view::npos || eq == 0 || eq + 1 == spec.size()) {
    return Status::invalid_argument(fmt::format("--field expects FIELD=NAME[,NAME...], got '{}'", spec));
  }
  const std::string_view field = spec.substr(0, eq);
  for (size_t f = 0; f < kFieldCount; ++f) {
    if (field != kFieldNames[f]) continue;
    std::vector<std::string> list;
    std::string_view rest = spec.substr(eq + 1);
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      std::string_view name = rest.substr(0, comma);
      if (!name.empty()) list.emplace_back(name);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    if (list.empty()) return Status::invalid_argument(fmt::format("--field {}: no field name given", field));
    names[f] = std::move(list);
    return Status::ok();
  }
  return Status::invalid_argument(
      fmt::format("--field: unknown document field '{}' (known: id, outlet, date, url, title, text)", field));
}

}  // namespace samestory
