// JSON Lines and JSON input. Both parse one record at a time, so a JSON array of a million records
// is read in the memory of its largest record: a small splitter finds where each top-level element
// starts and ends (tracking strings, escapes and nesting) and hands the element alone to simdjson.
//
// simdjson's DOM API, not On-Demand: On-Demand picks its SIMD kernel at compile time from -march
// (a portable build gets the scalar fallback), while DOM dispatches at run time to the best kernel
// the CPU has, and it validates the whole record, so a broken field we do not read is still caught.

#include <fmt/format.h>
#include <simdjson.h>

#include <array>
#include <cctype>

#include "base/ascii.h"
#include "base/utf8.h"
#include "io/format_reader.h"

namespace samestory {

namespace {

namespace dom = simdjson::dom;

// Bytes the record splitter must look at; everything else is skipped in a tight loop.
constexpr std::array<bool, 256> make_structural() {
  std::array<bool, 256> t{};
  for (unsigned char c : {'"', '\\', '{', '}', '[', ']', '\n'}) t[c] = true;
  return t;
}
constexpr std::array<bool, 256> kStructural = make_structural();

// simdjson's default nesting limit; deeper records are rejected as malformed.
constexpr size_t kMaxJsonDepth = simdjson::DEFAULT_MAX_DEPTH;

// The candidate field names as a trie over dotted paths, so a record's keys are matched in one
// pass in document order (On-Demand is forward-only).
struct PathNode {
  std::string key;
  std::vector<std::pair<Field, int>> ends;  // (field, priority) pairs this path names
  std::vector<PathNode> children;
};

PathNode build_trie(const FieldMap& fields) {
  PathNode root;
  for (size_t f = 0; f < kFieldCount; ++f) {
    const auto& names = fields.names[f];
    for (size_t p = 0; p < names.size(); ++p) {
      PathNode* node = &root;
      std::string_view rest = names[p];
      while (!rest.empty()) {
        const size_t dot = rest.find('.');
        std::string_view part = rest.substr(0, dot);
        rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
        auto it = std::find_if(node->children.begin(), node->children.end(),
                               [&](const PathNode& n) { return iequals_ascii(n.key, part); });
        if (it == node->children.end()) {
          node->children.push_back(PathNode{std::string(part), {}, {}});
          it = node->children.end() - 1;
        }
        node = &*it;
      }
      node->ends.emplace_back(static_cast<Field>(f), static_cast<int>(p));
    }
  }
  return root;
}

class RecordParser {
 public:
  explicit RecordParser(const FieldMap& fields) : trie_(build_trie(fields)) {}

  // Parses one JSON value held in `json` (which the parser may pad). On success fills `raw`,
  // whose views stay valid until the next call. On failure returns the reason and a detail.
  bool parse(std::string* json, RawRecord* raw, Reason* reason, std::string* detail, size_t* utf8_repairs) {
    *utf8_repairs = 0;
    for (int attempt = 0; attempt < 2; ++attempt) {
      raw->fill(RawValue{});
      best_.fill(1 << 30);
      const size_t len = json->size();
      json->reserve(len + simdjson::SIMDJSON_PADDING);
      dom::element doc;
      simdjson::error_code err = parser_.parse(json->data(), len, false).get(doc);
      dom::object obj;
      if (!err) err = doc.get_object().get(obj);
      if (!err) walk(obj, trie_, raw);
      if (!err) return true;
      if (err == simdjson::UTF8_ERROR && attempt == 0) {
        std::string repaired;
        *utf8_repairs = repair_utf8(*json, &repaired);
        if (*utf8_repairs > 0) {
          json->swap(repaired);
          continue;
        }
      }
      if (err == simdjson::INCORRECT_TYPE && first_non_space(*json) != '{') {
        *reason = Reason::kNotAnObject;
        *detail = fmt::format("found {} where a record object was expected", describe(first_non_space(*json)));
      } else if (err == simdjson::DEPTH_ERROR) {
        *reason = Reason::kMalformedJson;
        *detail = fmt::format("nested deeper than {} levels", kMaxJsonDepth);
      } else {
        *reason = Reason::kMalformedJson;
        *detail = simdjson::error_message(err);
      }
      return false;
    }
    return false;
  }

 private:
  static char first_non_space(std::string_view s) {
    for (char c : s) {
      if (!std::isspace(static_cast<unsigned char>(c))) return c;
    }
    return '\0';
  }
  static std::string_view describe(char c) {
    switch (c) {
      case '[': return "an array";
      case '"': return "a string";
      case 't':
      case 'f': return "a boolean";
      case 'n': return "null";
      case '\0': return "nothing";
      default: return std::isdigit(static_cast<unsigned char>(c)) || c == '-' ? "a number" : "something else";
    }
  }

  void walk(dom::object obj, const PathNode& node, RawRecord* raw) {
    for (const auto [key, value] : obj) {
      const PathNode* match = nullptr;
      for (const PathNode& child : node.children) {
        if (iequals_ascii(child.key, key)) {
          match = &child;
          break;
        }
      }
      if (match == nullptr) continue;
      const dom::element_type type = value.type();
      if (type == dom::element_type::OBJECT) {
        if (!match->children.empty()) walk(dom::object(value), *match, raw);
        continue;
      }
      if (match->ends.empty()) continue;
      RawValue v;
      if (type == dom::element_type::STRING) {
        v.text = std::string_view(value);
        v.present = true;
        v.valid_utf8 = true;  // simdjson validates the input and rejects unpaired surrogate escapes
      } else if (type == dom::element_type::INT64 || type == dom::element_type::UINT64 ||
                 type == dom::element_type::DOUBLE) {
        number_text_[slot_of(match)] = simdjson::to_string(value);  // numbers come back minified
        v.text = number_text_[slot_of(match)];
        v.present = true;
        v.is_number = true;
      } else {
        continue;  // null, booleans and arrays do not name a document field
      }
      for (const auto& [f, priority] : match->ends) {
        const auto slot = static_cast<size_t>(f);
        if (priority < best_[slot]) {
          best_[slot] = priority;
          (*raw)[slot] = v;
        }
      }
    }
  }

  // Storage for number texts, one per field slot so views stay valid for the record.
  size_t slot_of(const PathNode* node) const { return static_cast<size_t>(node->ends.front().first); }

  PathNode trie_;
  dom::parser parser_;
  std::array<std::string, kFieldCount> number_text_;
  std::array<int, kFieldCount> best_{};
};

class JsonReaderBase : public FormatReader {
 public:
  JsonReaderBase(FileContext ctx, std::unique_ptr<BufferedReader> in)
      : ctx_(std::move(ctx)), in_(std::move(in)), parser_(ctx_.options->fields) {}
  uint64_t raw_bytes_consumed() const override { return in_->raw_bytes_consumed(); }
  uint64_t decompressed_bytes() const override { return in_->offset(); }

 protected:
  // Parses the record in record_ and builds *doc from it.
  bool build(const Provenance& where, bool sole_record, Document* doc) {
    RawRecord raw;
    Reason reason{};
    std::string detail;
    size_t repairs = 0;
    if (!parser_.parse(&record_, &raw, &reason, &detail, &repairs)) {
      ctx_.reject(reason, where, detail);
      return false;
    }
    if (repairs > 0) {
      if (ctx_.options->strict) {
        ctx_.reject(Reason::kInvalidUtf8Strict, where, fmt::format("{} invalid byte sequence(s)", repairs));
        return false;
      }
      ctx_.log->report(Reason::kInvalidUtf8, where.to_string(),
                       fmt::format("{} invalid byte sequence(s) replaced with U+FFFD", repairs));
    }
    return build_document(raw, where, sole_record, ctx_, doc);
  }

  void reject_stream_error(const Status& s, const Provenance& where) {
    ctx_.reject(s.code() == StatusCode::kLimitExceeded ? Reason::kDecompressionLimit : Reason::kTruncatedInput,
                where, s.message());
  }

  FileContext ctx_;
  std::unique_ptr<BufferedReader> in_;
  RecordParser parser_;
  std::string record_;
};

class JsonLinesReader final : public JsonReaderBase {
 public:
  using JsonReaderBase::JsonReaderBase;

  bool next(Document* doc) override {
    while (!done_) {
      Line line;
      auto more = in_->next_line(&line, ctx_.options->max_document_bytes);
      if (!more) {
        done_ = true;
        reject_stream_error(more.status(), Provenance{ctx_.path, line_number_ + 1, record_number_ + 1, in_->offset()});
        return false;
      }
      if (!*more) {
        done_ = true;
        return false;
      }
      line_number_ = line.number;
      std::string_view text = line.text;
      if (line.number == 1 && text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
      if (!line.too_long && text.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      Provenance where{ctx_.path, line.number, ++record_number_, line.offset};
      if (!ctx_.wanted(record_number_)) continue;
      if (line.too_long) {
        ctx_.reject(Reason::kTooLarge, where,
                    fmt::format("line of {} bytes is over the limit of {} (--max-doc-bytes)", line.length,
                                ctx_.options->max_document_bytes));
        continue;
      }
      record_.assign(text);
      if (build(where, /*sole_record=*/false, doc)) return true;
    }
    return false;
  }

 private:
  bool done_ = false;
  uint64_t line_number_ = 0;
  uint64_t record_number_ = 0;
};

// Splits a JSON text into its top-level records: the elements of a top-level array, or a
// sequence of top-level values.
class JsonReader final : public JsonReaderBase {
 public:
  using JsonReaderBase::JsonReaderBase;

  bool next(Document* doc) override {
    for (;;) {
      Provenance where;
      bool too_large = false;
      uint64_t length = 0;
      const Split s = split_next(&where, &too_large, &length);
      if (s == Split::kEnd) return false;
      if (s == Split::kError) continue;  // reported; the file may go on
      if (!ctx_.wanted(where.record)) continue;
      if (too_large) {
        ctx_.reject(Reason::kTooLarge, where,
                    fmt::format("record of {} bytes is over the limit of {} (--max-doc-bytes)", length,
                                ctx_.options->max_document_bytes));
        continue;
      }
      if (build(where, sole_record(), doc)) return true;
    }
  }

 private:
  enum class Split { kRecord, kError, kEnd };

  bool sole_record() const { return !in_array_ && record_number_ == 1; }

  // Moves to the next buffered chunk; false at the end of input or on a stream error (kept in
  // stream_error_).
  bool next_chunk() {
    in_->consume(chunk_.size());
    chunk_ = {};
    pos_ = 0;
    auto next = in_->peek();
    if (!next) {
      stream_error_ = next.status();
      return false;
    }
    chunk_ = *next;
    return !chunk_.empty();
  }

  // Reads one byte; '\0' with *eof at the end of the input.
  char get(bool* eof) {
    if (pos_ == chunk_.size() && !next_chunk()) {
      *eof = true;
      return '\0';
    }
    const char c = chunk_[pos_++];
    if (c == '\n') ++line_;
    return c;
  }
  void unget() {
    --pos_;
    if (chunk_[pos_] == '\n') --line_;
  }
  uint64_t offset() const { return in_->offset() + pos_; }

  // Skips white space (and commas between array elements); returns the next byte.
  char skip_blank(bool* eof, bool commas) {
    for (;;) {
      const char c = get(eof);
      if (*eof) return '\0';
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || (commas && c == ',')) continue;
      if (offset() == 1 && c == '\xEF') {  // a UTF-8 byte order mark
        bool e = false;
        if (get(&e) == '\xBB' && get(&e) == '\xBF') continue;
      }
      return c;
    }
  }

  Split split_next(Provenance* where, bool* too_large, uint64_t* length) {
    if (line_ == 0) line_ = 1 + in_->line_base();
    if (finished_) return Split::kEnd;
    bool eof = false;
    char c = skip_blank(&eof, in_array_);
    if (!started_ && !eof) {
      started_ = true;
      if (c == '[') {
        in_array_ = true;
        c = skip_blank(&eof, true);
      }
    }
    if (eof) {
      finished_ = true;
      if (!stream_error_.is_ok()) {
        reject_stream_error(stream_error_, Provenance{ctx_.path, line_, record_number_ + 1, offset()});
        return Split::kError;
      }
      if (in_array_) {  // the closing bracket never came: records may be missing
        ctx_.reject(Reason::kTruncatedInput, Provenance{ctx_.path, line_, record_number_ + 1, offset()},
                    "input ends inside the top-level array (no closing ']')");
        return Split::kError;
      }
      return Split::kEnd;
    }
    if (in_array_ && c == ']') {
      const char after = skip_blank(&eof, false);
      finished_ = true;
      if (!eof) {
        ctx_.reject(Reason::kMalformedJson, Provenance{ctx_.path, line_, record_number_ + 1, offset() - 1},
                    fmt::format("unexpected '{}' after the closing ']'", after));
        return Split::kError;
      }
      return Split::kEnd;
    }
    *where = Provenance{ctx_.path, line_, ++record_number_, offset() - 1};
    record_.clear();
    const size_t limit = ctx_.options->max_document_bytes;
    uint64_t n = 0;
    auto keep = [&](const char* bytes, size_t count) {
      n += count;
      if (*too_large) return;
      if (record_.size() + count > limit) {
        *too_large = true;
        record_.clear();
        record_.shrink_to_fit();
        return;
      }
      record_.append(bytes, count);
    };
    if (c == '{' || c == '[') {
      keep(&c, 1);
      uint64_t depth = 1;
      bool in_string = false, escaped = false, closed = false;
      while (!closed) {
        if (pos_ == chunk_.size() && !next_chunk()) {
          finished_ = true;
          if (!stream_error_.is_ok()) {
            reject_stream_error(stream_error_, *where);
          } else {
            ctx_.reject(Reason::kTruncatedInput, *where, "input ends inside this record");
          }
          return Split::kError;
        }
        const auto* d = reinterpret_cast<const unsigned char*>(chunk_.data());
        const size_t end = chunk_.size();
        size_t k = pos_;
        if (escaped) {  // the byte after a backslash that ended the previous chunk
          escaped = false;
          ++k;
        }
        while (k < end) {
          while (k < end && !kStructural[d[k]]) ++k;  // most bytes: text inside strings
          if (k == end) break;
          const unsigned char ch = d[k];
          if (ch == '\n') {
            ++line_;
          } else if (in_string) {
            if (ch == '"') {
              in_string = false;
            } else if (ch == '\\') {
              if (k + 1 == end) {
                escaped = true;
              } else {
                ++k;
              }
            }
          } else if (ch == '"') {
            in_string = true;
          } else if (ch == '{' || ch == '[') {
            ++depth;
          } else if (ch == '}' || ch == ']') {
            if (--depth == 0) {
              ++k;
              closed = true;
              break;
            }
          }
          ++k;
        }
        keep(chunk_.data() + pos_, k - pos_);
        pos_ = k;
      }
    } else {
      // A scalar where a record should be: take it up to the next separator and let the parser
      // say what it is.
      while (!eof && c != ',' && c != ']' && c != '\n') {
        keep(&c, 1);
        c = get(&eof);
      }
      if (!eof) unget();
      if (!in_array_) {
        // Outside an array there is no separator to resynchronise on: give up on the file.
        finished_ = true;
        ctx_.reject(Reason::kMalformedJson, *where,
                    fmt::format("expected '{{' or '[' but found '{}'", record_.empty() ? ' ' : record_[0]));
        return Split::kError;
      }
    }
    *length = n;
    return Split::kRecord;
  }

  std::string_view chunk_;
  size_t pos_ = 0;
  uint64_t line_ = 0;  // set on first use: 1 + the blank lines skipped before the content
  uint64_t record_number_ = 0;
  bool started_ = false, in_array_ = false, finished_ = false;
  Status stream_error_;
};

}  // namespace

std::unique_ptr<FormatReader> make_json_lines_reader(FileContext ctx, std::unique_ptr<BufferedReader> in) {
  return std::make_unique<JsonLinesReader>(std::move(ctx), std::move(in));
}

std::unique_ptr<FormatReader> make_json_reader(FileContext ctx, std::unique_ptr<BufferedReader> in) {
  return std::make_unique<JsonReader>(std::move(ctx), std::move(in));
}

}  // namespace samestory
