// Document: one article as samestory sees it, whatever format it came from.
//
// `text` is the article text as the input gave it (JSON escapes decoded, a CSV field unquoted),
// with one change only: invalid UTF-8 is replaced by U+FFFD, and that repair is reported. Every
// later stage reports positions as byte offsets into this `text`, never into a normalised copy.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace samestory {

class JsonWriter;

// How much of a published time the input gave. A date alone is a date: 2025-02-18 has day
// precision and is not midnight.
enum class TimePrecision : uint8_t { kNone = 0, kYear, kMonth, kDay, kMinute, kSecond };

std::string_view to_string(TimePrecision p);

struct PublishedTime {
  // Seconds since 1970-01-01T00:00:00Z of the start of the given period (for a date: its midnight
  // UTC; for a time with an offset: converted to UTC).
  int64_t unix_seconds = 0;
  TimePrecision precision = TimePrecision::kNone;

  bool known() const { return precision != TimePrecision::kNone; }
  // Days since 1970-01-01 (floor), for windows and date ranges.
  int64_t unix_day() const { return unix_seconds >= 0 ? unix_seconds / 86400 : -((-unix_seconds + 86399) / 86400); }
  // ISO 8601 at the known precision: "2025", "2025-02", "2025-02-18", "2025-02-18T09:30Z",
  // "2025-02-18T09:30:05Z"; "" when unknown.
  std::string iso() const;
};

// Where a document came from, for messages: "FILE:LINE" or "FILE:LINE (record N)".
struct Provenance {
  std::string file;       // the path as given, or "-" for standard input
  uint64_t line = 0;      // 1-based line of the record's first byte (0 when not line-oriented)
  uint64_t record = 0;    // 1-based index of the record within the file
  uint64_t byte_offset = 0;  // offset of the record's first byte in the (decompressed) file
  uint32_t file_index = 0;   // 0-based position of the file among the run's expanded inputs

  std::string to_string() const;
};

// What a web page says of itself beyond a Document's fields: set for HTML and WARC input only.
struct PageFacts {
  std::vector<std::string> authors;
  std::string site_name;
  std::string language;     // as the page declares it ("en", "en-GB")
  std::string description;
  std::string charset;      // what the page's bytes were decoded from ("utf-8", "windows-1252")
};

struct Document {
  std::string id;
  std::string outlet;
  PublishedTime published;
  std::string url;
  std::string title;
  std::string text;
  // A gold story label when the input carries one (--field label=...), for `samestory eval`.
  std::string label;
  Provenance source;
  std::shared_ptr<const PageFacts> page;  // null unless the document came from a web page
};

// Appends `doc` as one JSON Lines record (id, outlet, date, date_precision, url, title, text,
// source, and for a web page an object "page" with authors, site_name, language, description and
// charset): the form `samestory read` writes and every reader reads back.
void append_document_jsonl(const Document& doc, std::string* out);

// The fields append_document_jsonl writes, with `text` in place of doc.text, into an object the
// caller has opened: for writers that add fields of their own (samestory clean).
void write_document_fields(JsonWriter& w, const Document& doc, std::string_view text);

}  // namespace samestory
