// FieldMap: which input fields hold a document's id, outlet, date, url, title and text.
//
// Each document field has a list of candidate names, tried in order; the first one present in a
// record wins. Names match JSON keys and CSV header cells case-insensitively, and a dotted name
// descends into nested JSON objects ("attrs.newid"). The defaults read news-please, CC-News-like
// records, Reuters-21578 in JSON and the UCI News Aggregator CSV without any flag:
//
//   id      id, doc_id, _id, attrs.newid
//   outlet  outlet, source_domain, source.name, source, publisher, site_name, sitename, domain
//   date    date_publish, published_at, published, date_published, publish_date, pub_date,
//           pubdate, date, timestamp, datetime, time, created_at
//   url     url, link, canonical_url, uri
//   title   title, headline, title_page, title_rss
//   text    text, maintext, body, content, article, article_body
//   label   label, story, newsCluster.EventId, event_id, cluster_id   (gold story labels, for eval)
//
// `--field text=body` replaces the list for one field; `--field text=body,content` gives several.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace samestory {

enum class Field : uint8_t { kId = 0, kOutlet, kDate, kUrl, kTitle, kText, kLabel, kCount };
inline constexpr size_t kFieldCount = static_cast<size_t>(Field::kCount);

std::string_view field_name(Field f);

struct FieldMap {
  std::array<std::vector<std::string>, kFieldCount> names;

  static FieldMap defaults();
  // Applies one "FIELD=NAME[,NAME...]" specification.
  Status set(std::string_view spec);
  const std::vector<std::string>& operator[](Field f) const { return names[static_cast<size_t>(f)]; }
};

}  // namespace samestory
