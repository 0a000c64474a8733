// CorpusReader: every document of a corpus, one at a time, in constant memory.
//
// Inputs are files, directory trees (read in sorted order; hidden entries and files of unknown
// type skipped and counted), `@LIST` files naming one input per line, and "-" for standard input.
// Each file may be plain, gzip or zstd (detected by magic bytes) and holds one of these formats,
// chosen by --format, else by extension (.txt .jsonl .ndjson .json .csv .tsv, before .gz/.zst),
// else by content:
//   text    one article per file; a first line "date YYYY-MM-DD" gives the date and may go on
//           with text (the seed format); without it the whole file is the text
//   jsonl   one JSON object per line
//   json    one object, an array of objects, or objects one after another
//   csv     RFC 4180 with a header row naming the fields (tsv: tab-separated)
//   html    one web page per file (.html .htm .xhtml, or content starting with '<'): the article's
//           text, title, date and URL extracted from it (extract/article_extractor.h)
//   warc    WARC files (.warc, or content starting with "WARC/"; per-record gzip as .warc.gz):
//           each HTTP response record holding HTML is one page, its id and URL the target URI
//
// Guarantees:
//  - Order is deterministic: inputs in the order given, directory entries sorted by name, records
//    in file order.
//  - Every record is accounted for: counts().read == counts().accepted + problems.rejected().
//    A file that cannot be read at all counts as one rejected document.
//  - Accepted documents have valid UTF-8 in every field, a non-empty text or title (unless
//    ReadOptions::labels_only), and an id
//    unique within the run (a repeated id is renamed "ID#2", "ID#3", ... and reported).
//  - The outlet comes from a field, else the URL's host (without "www."), else
//    ReadOptions::default_outlet, else the file name without extensions.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "base/hash_set.h"
#include "io/byte_source.h"
#include "io/document.h"
#include "io/field_map.h"
#include "io/problems.h"

namespace samestory {

enum class InputFormat : uint8_t { kAuto, kText, kJsonLines, kJson, kCsv, kTsv, kHtml, kWarc };
std::string_view to_string(InputFormat f);
Result<InputFormat> parse_input_format(std::string_view name);

struct ReadOptions {
  InputFormat format = InputFormat::kAuto;  // kAuto: by extension, then by content
  FieldMap fields = FieldMap::defaults();
  std::string default_outlet;  // used when neither a field nor a URL names the outlet
  // Records (lines, JSON values, CSV rows, text files) larger than this are rejected as too_large
  // without being held in memory. 16 MiB is over a hundred times the longest news article.
  size_t max_document_bytes = 16u << 20;
  // Invalid UTF-8 rejects the document instead of being repaired.
  bool strict = false;
  // Records may carry only an id and a label (eval's gold files): no text, title or date needed.
  bool labels_only = false;
  // Records without an id are rejected (missing_id) instead of being named after the file: the
  // HTTP API, where the caller's id is how an article is found again.
  bool require_id = false;
  // A repeated id is renamed "ID#2" (and reported); when false it is kept as it is, for a caller
  // that rejects repeats itself.
  bool rename_duplicate_ids = true;
  SourceOptions source;
  // When set, only records for which it returns true (given the file's 0-based position among the
  // expanded inputs and the record's 1-based number in the file) are parsed and returned; the rest
  // are passed over as cheaply as the format allows and counted in ReadCounts::filtered. Used to
  // read a known subset of a corpus again.
  std::function<bool(uint32_t file_index, uint64_t record)> record_filter;
  // When set, files for which it returns false (given their 0-based position among the expanded
  // inputs) are not opened at all: one part of a corpus read by one worker of a distributed run.
  std::function<bool(uint32_t file_index)> file_filter;
};

struct ReadCounts {
  uint64_t files = 0;          // files opened (or tried)
  uint64_t skipped_files = 0;  // files in directories passed over for their unknown type
  uint64_t read = 0;           // records met, accepted or not
  uint64_t accepted = 0;
  uint64_t filtered = 0;       // records passed over by ReadOptions::record_filter
  uint64_t raw_bytes = 0;      // bytes read from disk or standard input
  uint64_t decompressed_bytes = 0;
};

class FormatReader;

class CorpusReader {
 public:
  CorpusReader(std::vector<std::string> inputs, ReadOptions options, ProblemLog* log);
  // One input held in memory (an HTTP request body), named `name` in messages. Read exactly as a
  // file of that name would be, without touching the file system.
  struct InMemory {
    explicit InMemory(std::string name_, std::string bytes_) : name(std::move(name_)), bytes(std::move(bytes_)) {}
    std::string name;
    std::string bytes;
  };
  CorpusReader(InMemory input, ReadOptions options, ProblemLog* log);
  ~CorpusReader();
  CorpusReader(const CorpusReader&) = delete;
  CorpusReader& operator=(const CorpusReader&) = delete;

  // Fills *doc with the next accepted document; false when every input is done. Every field of
  // *doc is overwritten, so a Document can be read into again and again (its strings keep their
  // capacity).
  bool next(Document* doc);

  const ReadCounts& counts() const { return counts_; }
  // For progress displays: the total size of the input files (0 when unknown, e.g. stdin) and
  // how many of those bytes have been consumed. Safe to call from any thread.
  uint64_t bytes_total() const { return bytes_total_; }
  uint64_t bytes_done() const { return bytes_done_.load(std::memory_order_relaxed); }
  // The inputs expanded into files (directories walked, @lists read), in reading order, with their
  // sizes in bytes (0 for standard input).
  std::vector<std::pair<std::string, uint64_t>> files() const;

 private:
  struct PendingFile {
    std::string path;
    uint64_t size = 0;
    bool from_directory = false;
    std::unique_ptr<std::string> bytes;  // set for an InMemory input
  };
  void expand_inputs(const std::vector<std::string>& inputs);
  void expand_path(const std::string& path, bool from_list);
  void walk_directory(const std::string& dir, std::unordered_set<std::string>* visited);
  bool open_next_file();
  void make_id_unique(Document* doc);

  ReadOptions options_;
  ProblemLog* log_;
  std::vector<PendingFile> files_;
  size_t next_file_ = 0;
  std::unique_ptr<FormatReader> current_;
  uint64_t bytes_total_ = 0;
  uint64_t bytes_finished_ = 0;
  uint64_t current_size_ = 0;
  std::atomic<uint64_t> bytes_done_{0};
  U64HashSet seen_ids_;  // XXH3 of every id given out: ~16 bytes a document
  ReadCounts counts_;
};

}  // namespace samestory
