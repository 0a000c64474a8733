// The text format: one article per file, optionally opened by a "date YYYY-MM-DD" header (the
// format of samestory's seed articles). The header line may go on with text after the date; if it
// does not, "outlet: NAME", "title: TEXT", "url: URL" and "id: ID" lines may follow it.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "base/ascii.h"
#include "io/format_reader.h"

namespace samestory {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

// Reads "key: value" lines for the keys below, starting at `pos`; returns where the text starts.
size_t read_header_lines(std::string_view body, size_t pos, RawRecord* raw) {
  struct Key {
    std::string_view name;
    Field field;
  };
  static constexpr Key kKeys[] = {{"outlet", Field::kOutlet}, {"title", Field::kTitle}, {"url", Field::kUrl}, {"id", Field::kId}};
  for (;;) {
    const size_t eol = std::min(body.find('\n', pos), body.size());
    std::string_view line = body.substr(pos, eol - pos);
    const size_t colon = line.find(':');
    const Key* key = nullptr;
    for (const Key& k : kKeys) {
      if (colon == k.name.size() && iequals_ascii(line.substr(0, colon), k.name)) key = &k;
    }
    if (key == nullptr) return pos;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && is_space(value.front())) value.remove_prefix(1);
    while (!value.empty() && is_space(value.back())) value.remove_suffix(1);
    (*raw)[static_cast<size_t>(key->field)] = {value, true, false};
    pos = eol == body.size() ? eol : eol + 1;
  }
}

class TextReader final : public FormatReader {
 public:
  TextReader(FileContext ctx, std::unique_ptr<BufferedReader> in) : ctx_(std::move(ctx)), in_(std::move(in)) {}

  bool next(Document* doc) override {
    if (done_) return false;
    done_ = true;
    if (!ctx_.wanted(1)) return false;
    Provenance where{ctx_.path, 1, 1, 0};
    std::string content;
    bool too_large = false;
    uint64_t total = 0;
    if (Status s = in_->read_all(&content, ctx_.options->max_document_bytes, &too_large, &total); !s) {
      ctx_.reject(s.code() == StatusCode::kLimitExceeded ? Reason::kDecompressionLimit : Reason::kTruncatedInput,
                  where, s.message());
      return false;
    }
    if (too_large) {
      ctx_.reject(Reason::kTooLarge, where,
                  fmt::format("{} bytes is over the limit of {} (--max-doc-bytes)", total,
                              ctx_.options->max_document_bytes));
      return false;
    }
    std::string_view body = content;
    if (body.starts_with("\xEF\xBB\xBF")) body.remove_prefix(3);
    size_t i = 0;
    while (i < body.size() && is_space(body[i])) ++i;
    if (i == body.size()) {
      ctx_.reject(Reason::kEmptyFile, where, total == 0 ? "0 bytes" : "only white space");
      return false;
    }

    RawRecord raw;
    std::string_view header = body.substr(i, 5);
    const bool has_header = header.size() == 5 && (header[0] == 'd' || header[0] == 'D') &&
                            (header.substr(1, 3) == "ate" || header.substr(1, 3) == "ATE") &&
                            (header[4] == ' ' || header[4] == ':' || header[4] == '\t');
    if (has_header) {
      size_t j = i + 4;
      if (body[j] == ':') ++j;
      while (j < body.size() && (body[j] == ' ' || body[j] == '\t')) ++j;
      size_t k = j;
      while (k < body.size() && !is_space(body[k])) ++k;
      raw[static_cast<size_t>(Field::kDate)] = {body.substr(j, k - j), true, false};
      // The text starts after the blanks that follow the date; a header alone on its line ends
      // with its newline, and more header lines may follow.
      while (k < body.size() && (body[k] == ' ' || body[k] == '\t')) ++k;
      if (k < body.size() && body[k] == '\r') ++k;
      if (k < body.size() && body[k] == '\n') {
        ++k;
        k = read_header_lines(body, k, &raw);
      }
      i = k;
    }
    raw[static_cast<size_t>(Field::kText)] = {body.substr(i), true, false};
    where.byte_offset = static_cast<uint64_t>(body.data() + i - content.data());
    return build_document(raw, where, /*sole_record=*/true, ctx_, doc);
  }

  uint64_t raw_bytes_consumed() const override { return in_->raw_bytes_consumed(); }
  uint64_t decompressed_bytes() const override { return in_->offset(); }

 private:
  FileContext ctx_;
  std::unique_ptr<BufferedReader> in_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<FormatReader> make_text_reader(FileContext ctx, std::unique_ptr<BufferedReader> in) {
  return std::make_unique<TextReader>(std::move(ctx), std::move(in));
}

}  // namespace samestory
