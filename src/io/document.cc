#include "io/document.h"

#include <fmt/format.h>

#include "base/json_writer.h"
#include "io/date.h"

namespace samestory {

std::string_view to_string(TimePrecision p) {
  switch (p) {
    case TimePrecision::kNone: return "none";
    case TimePrecision::kYear: return "year";
    case TimePrecision::kMonth: return "month";
    case TimePrecision::kDay: return "day";
    case TimePrecision::kMinute: return "minute";
    case TimePrecision::kSecond: return "second";
  }
  return "none";
}

std::string PublishedTime::iso() const {
  if (!known()) return "";
  const CivilTime c = civil_from_unix(unix_seconds);
  switch (precision) {
    case TimePrecision::kNone: return "";
    case TimePrecision::kYear: return fmt::format("{:04}", c.year);
    case TimePrecision::kMonth: return fmt::format("{:04}-{:02}", c.year, c.month);
    case TimePrecision::kDay: return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
    case TimePrecision::kMinute:
      return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}Z", c.year, c.month, c.day, c.hour, c.minute);
    case TimePrecision::kSecond:
      return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year, c.month, c.day, c.hour, c.minute,
                         c.second);
  }
  return "";
}

std::string Provenance::to_string() const {
  if (line > 0 && record > 1) return fmt::format("{}:{} (record {})", file, line, record);
  if (line > 0) return fmt::format("{}:{}", file, line);
  if (record > 0) return fmt::format("{} (record {})", file, record);
  return file;
}

void append_document_jsonl(const Document& doc, std::string* out) {
  JsonWriter w(out);
  w.begin_object();
  write_document_fields(w, doc, doc.text);
  w.end_object();
  out->push_back('\n');
}

void write_document_fields(JsonWriter& w, const Document& doc, std::string_view text) {
  w.field("id", doc.id).field("outlet", doc.outlet);
  if (doc.published.known()) {
    w.field("date", doc.published.iso()).field("date_precision", to_string(doc.published.precision));
  } else {
    w.key("date").null();
  }
  w.field("url", doc.url).field("title", doc.title).field("text", text);
  if (!doc.label.empty()) w.field("label", doc.label);
  w.field("source", doc.source.to_string());
  if (doc.page != nullptr) {
    const PageFacts& page = *doc.page;
    w.key("page").begin_object();
    w.key("authors").begin_array();
    for (const std::string& a : page.authors) w.value(a);
    w.end_array();
    w.field("site_name", page.site_name).field("language", page.language).field("description", page.description);
    w.field("charset", page.charset);
    w.end_object();
  }
}

}  // namespace samestory
