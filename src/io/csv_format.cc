// CSV and TSV input (RFC 4180): a header row names the fields; quoted fields may hold the
// delimiter, doubled quotes and newlines. Each row is one record.

#include <fmt/format.h>

#include <cctype>

#include "base/ascii.h"
#include "io/format_reader.h"

namespace samestory {

namespace {

class CsvReader final : public FormatReader {
 public:
  CsvReader(FileContext ctx, std::unique_ptr<BufferedReader> in, char delimiter)
      : ctx_(std::move(ctx)), in_(std::move(in)), delimiter_(delimiter) {}

  bool next(Document* doc) override {
    for (;;) {
      const Row row = read_row();
      if (row == Row::kEnd) return false;
      if (!header_read_) {
        header_read_ = true;
        if (row != Row::kComplete) {
          ctx_.reject(Reason::kMalformedCsv, where_, "the header row is malformed");
          finished_ = true;
          return false;
        }
        map_header();
        continue;
      }
      ++record_number_;
      where_.record = record_number_;
      if (!ctx_.wanted(record_number_)) continue;
      if (row == Row::kTooLarge) {
        ctx_.reject(Reason::kTooLarge, where_,
                    fmt::format("row of {} bytes is over the limit of {} (--max-doc-bytes)", row_bytes_,
                                ctx_.options->max_document_bytes));
        continue;
      }
      if (row == Row::kStreamError) {
        ctx_.reject(stream_error_.code() == StatusCode::kLimitExceeded ? Reason::kDecompressionLimit
                                                                        : Reason::kTruncatedInput,
                    where_, stream_error_.message());
        return false;
      }
      if (row == Row::kUnterminatedQuote) {
        ctx_.reject(Reason::kTruncatedInput, where_, "input ends inside a quoted field");
        return false;
      }
      if (fields_.size() != header_width_) {
        const bool last = finished_ && !ended_with_newline_;
        ctx_.reject(last && fields_.size() < header_width_ ? Reason::kTruncatedInput : Reason::kMalformedCsv,
                    where_,
                    fmt::format("{} {} of {} fields{}", last ? "row ends after" : "row has", fields_.size(),
                                header_width_, last ? " (the file is cut off)" : ""));
        continue;
      }
      RawRecord raw;
      for (size_t f = 0; f < kFieldCount; ++f) {
        if (column_[f] >= 0) raw[f] = {fields_[static_cast<size_t>(column_[f])], true, false};
      }
      if (build_document(raw, where_, /*sole_record=*/false, ctx_, doc)) return true;
    }
  }

  uint64_t raw_bytes_consumed() const override { return in_->raw_bytes_consumed(); }
  uint64_t decompressed_bytes() const override { return in_->offset(); }

 private:
  enum class Row { kComplete, kTooLarge, kUnterminatedQuote, kStreamError, kEnd };

  void map_header() {
    header_width_ = fields_.size();
    for (size_t f = 0; f < kFieldCount; ++f) {
      column_[f] = -1;
      for (const std::string& name : ctx_.options->fields.names[f]) {
        for (size_t c = 0; c < fields_.size() && column_[f] < 0; ++c) {
          std::string_view cell = fields_[c];
          if (c == 0 && cell.starts_with("\xEF\xBB\xBF")) cell.remove_prefix(3);
          if (iequals_ascii(cell, name)) column_[f] = static_cast<int>(c);
        }
        if (column_[f] >= 0) break;
      }
    }
  }

  // The next byte; -1 at the end of the input, -2 on a stream error, and -2 again on every later
  // call (the one-byte lookaheads after '"' and '\r' must not swallow an error).
  int get() {
    if (pos_ == chunk_.size()) {
      if (!stream_error_.is_ok()) return -2;
      // Forget the consumed chunk before reading on, so a failed read leaves nothing to consume twice.
      in_->consume(chunk_.size());
      chunk_ = {};
      pos_ = 0;
      auto next = in_->peek();
      if (!next) {
        stream_error_ = next.status();
        return -2;
      }
      chunk_ = *next;
      pos_ = 0;
      if (chunk_.empty()) return -1;
    }
    return static_cast<unsigned char>(chunk_[pos_++]);
  }

  // Reads one row into fields_. Blank lines are skipped.
  Row read_row() {
    if (line_ == 0) line_ = 1 + in_->line_base();
    if (finished_) return Row::kEnd;
    for (;;) {
      fields_.clear();
      row_bytes_ = 0;
      where_ = Provenance{ctx_.path, line_, record_number_ + 1, in_->offset() + pos_};
      std::string field;
      bool too_large = false, in_quotes = false, quoted = false, any = false;
      size_t stored = 0;
      const size_t limit = ctx_.options->max_document_bytes;
      for (;;) {
        const int c = get();
        if (c == -2) {
          finished_ = true;
          return Row::kStreamError;
        }
        if (c == -1) {
          finished_ = true;
          ended_with_newline_ = !any;
          if (in_quotes) return Row::kUnterminatedQuote;
          if (!any) return Row::kEnd;
          fields_.push_back(std::move(field));
          return too_large ? Row::kTooLarge : Row::kComplete;
        }
        ++row_bytes_;
        any = true;
        const char ch = static_cast<char>(c);
        if (ch == '\n') ++line_;
        if (in_quotes) {
          if (ch == '"') {
            const int n = get();
            if (n == '"') {
              ++row_bytes_;
            } else {
              in_quotes = false;
              if (n >= 0) --pos_;
              continue;
            }
          }
        } else if (ch == '"' && field.empty() && !quoted) {
          in_quotes = quoted = true;
          continue;
        } else if (ch == delimiter_) {
          fields_.push_back(std::move(field));
          field.clear();
          quoted = false;
          continue;
        } else if (ch == '\n' || ch == '\r') {
          if (ch == '\r') {
            const int n = get();
            if (n == '\n') {
              ++line_;
            } else if (n >= 0) {
              --pos_;
            }
          }
          if (fields_.empty() && field.empty() && !quoted) {  // a blank line
            any = false;
            row_bytes_ = 0;
            where_ = Provenance{ctx_.path, line_, record_number_ + 1, in_->offset() + pos_};
            continue;
          }
          fields_.push_back(std::move(field));
          return too_large ? Row::kTooLarge : Row::kComplete;
        }
        if (too_large) continue;
        if (++stored > limit) {
          too_large = true;
          field.clear();
          fields_.clear();
          continue;
        }
        field.push_back(ch);
      }
    }
  }

  FileContext ctx_;
  std::unique_ptr<BufferedReader> in_;
  char delimiter_;
  std::string_view chunk_;
  size_t pos_ = 0;
  uint64_t line_ = 0;  // set on first use: 1 + the blank lines skipped before the content
  uint64_t record_number_ = 0;
  uint64_t row_bytes_ = 0;
  bool header_read_ = false, finished_ = false, ended_with_newline_ = true;
  size_t header_width_ = 0;
  std::array<int, kFieldCount> column_{};
  std::vector<std::string> fields_;
  Provenance where_;
  Status stream_error_;
};

}  // namespace

std::unique_ptr<FormatReader> make_csv_reader(FileContext ctx, std::unique_ptr<BufferedReader> in, char delimiter) {
  return std::make_unique<CsvReader>(std::move(ctx), std::move(in), delimiter);
}

}  // namespace samestory
