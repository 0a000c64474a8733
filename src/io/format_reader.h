// Internal to src/io: the interface each input format implements, and the record builder that
// turns a record's raw fields into a Document with the same rules for every format.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "base/hash_set.h"
#include "io/byte_source.h"
#include "io/corpus_reader.h"

namespace samestory {

// What a format reader needs to know about the file it reads.
struct FileContext {
  std::string path;  // as given; "-" for standard input
  std::string stem;  // the file name without directories and extensions ("stdin" for "-")
  const ReadOptions* options = nullptr;
  ProblemLog* log = nullptr;
  ReadCounts* counts = nullptr;
  uint32_t file_index = 0;
  // The XXH3 hashes of the ids given out so far (CorpusReader makes ids unique with them); when
  // set, build_document asks for a record's slot early, so the miss overlaps the record's copying.
  const U64HashSet* seen_ids = nullptr;

  // Reports a problem at `where`; a rejecting reason also counts one record as read.
  void reject(Reason reason, const Provenance& where, std::string_view detail = {}) const;
  // False when ReadOptions::record_filter passes over this record (which is then counted).
  bool wanted(uint64_t record) const;
};

class FormatReader {
 public:
  virtual ~FormatReader() = default;
  // The next accepted document of this file, or false at its end. Each record met increments
  // counts->read; each rejected one is reported through FileContext::reject.
  virtual bool next(Document* doc) = 0;
  virtual uint64_t raw_bytes_consumed() const = 0;
  virtual uint64_t decompressed_bytes() const = 0;
};

std::unique_ptr<FormatReader> make_text_reader(FileContext ctx, std::unique_ptr<BufferedReader> in);
std::unique_ptr<FormatReader> make_json_lines_reader(FileContext ctx, std::unique_ptr<BufferedReader> in);
std::unique_ptr<FormatReader> make_json_reader(FileContext ctx, std::unique_ptr<BufferedReader> in);
std::unique_ptr<FormatReader> make_csv_reader(FileContext ctx, std::unique_ptr<BufferedReader> in, char delimiter);
std::unique_ptr<FormatReader> make_html_reader(FileContext ctx, std::unique_ptr<BufferedReader> in);
std::unique_ptr<FormatReader> make_warc_reader(FileContext ctx, std::unique_ptr<BufferedReader> in);

// One field of a record as found in the input, before any checking.
struct RawValue {
  std::string_view text;
  bool present = false;
  bool is_number = false;  // a JSON number (dates: Unix epoch)
  bool valid_utf8 = false;  // known to be valid UTF-8 (simdjson validated it), not checked again
};
using RawRecord = std::array<RawValue, kFieldCount>;

// Builds *doc from a record's raw fields: repairs invalid UTF-8 (or rejects it under --strict),
// rejects a record with neither text nor title or one past the size limit, derives the outlet,
// parses the date and reports a missing or bad one, and fills a missing id from the file stem.
// `sole_record` says the file holds one document, whose default id is then the bare stem.
// Returns false if the record was rejected (already reported).
bool build_document(const RawRecord& raw, const Provenance& where, bool sole_record, const FileContext& ctx,
                    Document* doc);

// What a web page's container says about it: a WARC record's headers, or nothing for a file.
struct PageEnvelope {
  std::string_view content_type;  // the HTTP Content-Type ("" when unknown)
  std::string_view id;            // "" for the file's stem
  std::string_view url;           // the URL the page was fetched from, used when it names none
  std::string_view date;          // the fetch date, used when the page gives no publication date
};

// Builds *doc from a web page's bytes: decodes its charset, extracts the article (rejecting the
// page as no_article when it has no text) and passes the result through build_document.
bool build_page_document(std::string_view bytes, const PageEnvelope& envelope, const Provenance& where,
                         bool sole_record, const FileContext& ctx, Document* doc);

// "www.example.com" from "https://www.example.com:8080/path" -> "example.com"; "" if none.
std::string outlet_from_url(std::string_view url);

}  // namespace samestory
