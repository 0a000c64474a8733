#include "io/corpus_reader.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>

#include "base/ascii.h"
#include "io/format_reader.h"

namespace samestory {

namespace fs = std::filesystem;

std::string_view to_string(InputFormat f) {
  switch (f) {
    case InputFormat::kAuto: return "auto";
    case InputFormat::kText: return "text";
    case InputFormat::kJsonLines: return "jsonl";
    case InputFormat::kJson: return "json";
    case InputFormat::kCsv: return "csv";
    case InputFormat::kTsv: return "tsv";
    case InputFormat::kHtml: return "html";
    case InputFormat::kWarc: return "warc";
  }
  return "auto";
}

Result<InputFormat> parse_input_format(std::string_view name) {
  for (InputFormat f : {InputFormat::kAuto, InputFormat::kText, InputFormat::kJsonLines, InputFormat::kJson,
                        InputFormat::kCsv, InputFormat::kTsv, InputFormat::kHtml, InputFormat::kWarc}) {
    if (name == to_string(f)) return f;
  }
  if (name == "ndjson") return InputFormat::kJsonLines;
  return Status::invalid_argument(
      fmt::format("unknown input format '{}' (known: auto, text, jsonl, json, csv, tsv, html, warc)", name));
}

namespace {

// The file name without directories and without its extensions: "a/b/reut2-000.json.gz" ->
// "reut2-000". A leading dot is part of the name.
std::string file_stem(const std::string& path) {
  if (path == "-") return "stdin";
  std::string name = fs::path(path).filename().string();
  const size_t dot = name.find('.', 1);
  return dot == std::string::npos ? name : name.substr(0, dot);
}

// The format an extension names, looking through .gz/.zst; nullopt when it names none.
std::optional<InputFormat> format_from_extension(const std::string& path) {
  std::string name = lower_ascii(fs::path(path).filename().string());
  for (std::string_view z : {".gz", ".zst", ".zstd"}) {
    if (name.ends_with(z)) {
      name.resize(name.size() - z.size());
      break;
    }
  }
  const std::string ext = fs::path(name).extension().string();
  if (ext == ".txt" || ext == ".text") return InputFormat::kText;
  if (ext == ".jsonl" || ext == ".ndjson") return InputFormat::kJsonLines;
  if (ext == ".json") return InputFormat::kJson;
  if (ext == ".csv") return InputFormat::kCsv;
  if (ext == ".tsv") return InputFormat::kTsv;
  if (ext == ".html" || ext == ".htm" || ext == ".xhtml" || ext == ".shtml") return InputFormat::kHtml;
  if (ext == ".warc" || ext == ".arc") return InputFormat::kWarc;
  return std::nullopt;
}

std::string_view skip_bom_and_space(std::string_view s) {
  if (s.starts_with("\xEF\xBB\xBF")) s.remove_prefix(3);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s;
}

// JSON Lines or one JSON value? JSON Lines when the first line is a whole object and the next
// non-blank line starts another.
bool looks_like_json_lines(std::string_view head) {
  head = skip_bom_and_space(head);
  const size_t nl = head.find('\n');
  if (nl == std::string_view::npos) return false;
  std::string_view first = head.substr(0, nl);
  while (!first.empty() && std::isspace(static_cast<unsigned char>(first.back()))) first.remove_suffix(1);
  if (!first.starts_with('{') || !first.ends_with('}')) return false;
  std::string_view rest = skip_bom_and_space(head.substr(nl + 1));
  return rest.empty() || rest.front() == '{';
}

InputFormat format_from_content(std::string_view head) {
  std::string_view s = skip_bom_and_space(head);
  if (s.starts_with("WARC/")) return InputFormat::kWarc;
  if (s.starts_with('<')) return InputFormat::kHtml;
  if (s.starts_with('[')) return InputFormat::kJson;
  if (s.starts_with('{')) return looks_like_json_lines(head) ? InputFormat::kJsonLines : InputFormat::kJson;
  return InputFormat::kText;
}

bool looks_binary(std::string_view head) {
  return std::memchr(head.data(), '\0', std::min<size_t>(head.size(), 8192)) != nullptr;
}

bool is_hidden(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.size() > 1 && name[0] == '.';
}

}  // namespace

CorpusReader::CorpusReader(std::vector<std::string> inputs, ReadOptions options, ProblemLog* log)
    : options_(std::move(options)), log_(log) {
  expand_inputs(inputs);
}

CorpusReader::CorpusReader(InMemory input, ReadOptions options, ProblemLog* log)
    : options_(std::move(options)), log_(log) {
  const uint64_t size = input.bytes.size();
  files_.push_back({std::move(input.name), size, false, std::make_unique<std::string>(std::move(input.bytes))});
  bytes_total_ = size;
}

CorpusReader::~CorpusReader() = default;

std::vector<std::pair<std::string, uint64_t>> CorpusReader::files() const {
  std::vector<std::pair<std::string, uint64_t>> out;
  out.reserve(files_.size());
  for (const PendingFile& f : files_) out.emplace_back(f.path, f.size);
  return out;
}

void CorpusReader::expand_inputs(const std::vector<std::string>& inputs) {
  for (const std::string& input : inputs) {
    if (input.size() > 1 && input[0] == '@') {
      const std::string list = input.substr(1);
      std::ifstream in(list);
      if (!in) {
        // The list itself cannot be read: one rejected "document", like any unreadable input.
        ++counts_.read;
        ++counts_.files;
        log_->report(Reason::kUnreadableFile, list, fmt::format("cannot read the input list: {}", std::strerror(errno)));
        continue;
      }
      std::string line;
      while (std::getline(in, line)) {
        while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        expand_path(line, true);
      }
      continue;
    }
    expand_path(input, false);
  }
  for (const PendingFile& f : files_) bytes_total_ += f.size;
}

void CorpusReader::expand_path(const std::string& path, bool /*from_list*/) {
  if (path == "-") {
    files_.push_back({path, 0, false, nullptr});
    return;
  }
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (!ec && fs::is_directory(st)) {
    std::unordered_set<std::string> visited;
    walk_directory(path, &visited);
    return;
  }
  const uint64_t size = (!ec && fs::is_regular_file(st)) ? fs::file_size(path, ec) : 0;
  files_.push_back({path, ec ? 0 : size, false, nullptr});
}

void CorpusReader::walk_directory(const std::string& dir, std::unordered_set<std::string>* visited) {
  std::error_code ec;
  // Symbolic links to directories are followed, once: the canonical path guards against loops.
  const std::string canonical = fs::canonical(dir, ec).string();
  if (ec || !visited->insert(canonical).second) {
    if (!ec) log_->note(dir, fmt::format("directory already visited (a symbolic link loop?); not read again"));
    return;
  }
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(it->path());
  if (ec) {
    ++counts_.read;
    ++counts_.files;
    log_->report(Reason::kUnreadableFile, dir, fmt::format("cannot list directory: {}", ec.message()));
    return;
  }
  std::sort(entries.begin(), entries.end());
  for (const fs::path& p : entries) {
    if (is_hidden(p)) continue;
    std::error_code st_ec;
    const fs::file_status st = fs::status(p, st_ec);
    if (!st_ec && fs::is_directory(st)) {
      walk_directory(p.string(), visited);
      continue;
    }
    if (st_ec || !fs::is_regular_file(st) || !format_from_extension(p.string())) {
      ++counts_.skipped_files;
      continue;
    }
    std::error_code size_ec;
    const uint64_t size = fs::file_size(p, size_ec);
    files_.push_back({p.string(), size_ec ? 0 : size, true, nullptr});
  }
}

bool CorpusReader::open_next_file() {
  while (next_file_ < files_.size()) {
    PendingFile& file = files_[next_file_++];
    if (options_.file_filter && !options_.file_filter(static_cast<uint32_t>(next_file_ - 1))) {
      bytes_finished_ += file.size;
      continue;
    }
    ++counts_.files;
    FileContext ctx{file.path, file_stem(file.path), &options_, log_, &counts_,
                    static_cast<uint32_t>(next_file_ - 1), options_.rename_duplicate_ids ? &seen_ids_ : nullptr};
    const Provenance whole_file{file.path, 0, 0, 0};

    std::error_code ec;
    if (!file.bytes && file.path != "-" && fs::is_directory(file.path, ec)) {
      ctx.reject(Reason::kUnreadableFile, whole_file, "is a directory");
      continue;
    }
    Result<std::unique_ptr<ByteSource>> source =
        file.bytes ? Result<std::unique_ptr<ByteSource>>(memory_byte_source(std::move(*file.bytes), options_.source))
                   : open_byte_source(file.path, options_.source);
    if (!source) {
      ctx.reject(Reason::kUnreadableFile, whole_file, source.status().message());
      continue;
    }
    auto reader = std::make_unique<BufferedReader>(std::move(source).value());
    // Enough of the start to sniff the format and spot binary data.
    constexpr size_t kSniffBytes = 64 << 10;
    auto head = reader->peek_head(kSniffBytes);
    if (!head) {
      const Status& s = head.status();
      ctx.reject(s.code() == StatusCode::kIoError ? Reason::kUnreadableFile : Reason::kTruncatedInput, whole_file,
                 s.message());
      bytes_finished_ += file.size;
      continue;
    }
    if (skip_bom_and_space(*head).empty()) {
      auto content = reader->skip_blank_prefix();
      if (!content || !*content) {
        if (!content) {
          ctx.reject(Reason::kTruncatedInput, whole_file, content.status().message());
        } else {
          ctx.reject(Reason::kEmptyFile, whole_file, reader->offset() == 0 ? "0 bytes" : "only white space");
        }
        bytes_finished_ += file.size;
        continue;
      }
      head = reader->peek_head(kSniffBytes);
      if (!head) {
        ctx.reject(Reason::kTruncatedInput, whole_file, head.status().message());
        bytes_finished_ += file.size;
        continue;
      }
    }
    // A WARC file holds images and other binary records between its pages.
    const bool warc = options_.format == InputFormat::kWarc ||
                      (options_.format == InputFormat::kAuto &&
                       (format_from_extension(file.path) == InputFormat::kWarc ||
                        skip_bom_and_space(*head).starts_with("WARC/")));
    // An HTML page may be UTF-16 with a byte order mark; its charset decoder reads it.
    const bool utf16_page = (head->starts_with("\xFF\xFE") || head->starts_with("\xFE\xFF")) &&
                            (options_.format == InputFormat::kHtml ||
                             (options_.format == InputFormat::kAuto && format_from_extension(file.path) == InputFormat::kHtml));
    if (!warc && !utf16_page && looks_binary(*head)) {
      ctx.reject(Reason::kBinaryFile, whole_file,
                 head->size() >= 2 && (*head)[1] == '\0' ? "NUL bytes near the start (UTF-16 text is not supported)"
                                                         : "NUL bytes near the start");
      bytes_finished_ += file.size;
      continue;
    }

    InputFormat format = options_.format;
    if (format == InputFormat::kAuto) {
      const auto by_extension = format_from_extension(file.path);
      format = by_extension ? *by_extension : format_from_content(*head);
      // A .json file that holds JSON Lines is read line by line, so one bad line costs one record.
      if (format == InputFormat::kJson && looks_like_json_lines(*head)) format = InputFormat::kJsonLines;
    }
    switch (format) {
      case InputFormat::kText: current_ = make_text_reader(std::move(ctx), std::move(reader)); break;
      case InputFormat::kJsonLines: current_ = make_json_lines_reader(std::move(ctx), std::move(reader)); break;
      case InputFormat::kJson: current_ = make_json_reader(std::move(ctx), std::move(reader)); break;
      case InputFormat::kCsv: current_ = make_csv_reader(std::move(ctx), std::move(reader), ','); break;
      case InputFormat::kTsv: current_ = make_csv_reader(std::move(ctx), std::move(reader), '\t'); break;
      case InputFormat::kHtml: current_ = make_html_reader(std::move(ctx), std::move(reader)); break;
      case InputFormat::kWarc: current_ = make_warc_reader(std::move(ctx), std::move(reader)); break;
      case InputFormat::kAuto: break;
    }
    current_size_ = file.size;
    return true;
  }
  return false;
}

void CorpusReader::make_id_unique(Document* doc) {
  if (!options_.rename_duplicate_ids) return;
  if (seen_ids_.insert(XXH3_64bits(doc->id.data(), doc->id.size()))) return;
  const std::string original = doc->id;
  for (uint64_t k = 2;; ++k) {
    std::string candidate = fmt::format("{}#{}", original, k);
    if (seen_ids_.insert(XXH3_64bits(candidate.data(), candidate.size()))) {
      doc->id = std::move(candidate);
      break;
    }
  }
  log_->report(Reason::kDuplicateId, doc->source.to_string(),
               fmt::format("id '{}' was already used; renamed to '{}'", original, doc->id));
}

bool CorpusReader::next(Document* doc) {
  for (;;) {
    if (current_) {
      if (current_->next(doc)) {
        make_id_unique(doc);
        bytes_done_.store(bytes_finished_ + current_->raw_bytes_consumed(), std::memory_order_relaxed);
        return true;
      }
      counts_.raw_bytes += current_->raw_bytes_consumed();
      counts_.decompressed_bytes += current_->decompressed_bytes();
      bytes_finished_ += current_size_;
      bytes_done_.store(bytes_finished_, std::memory_order_relaxed);
      current_.reset();
    }
    if (!open_next_file()) return false;
  }
}

}  // namespace samestory
