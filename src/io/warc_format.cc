// The warc format (ISO 28500, WARC/1.0 and 1.1): a crawl's records one after another, plain or
// gzip-compressed record by record (the byte source reads concatenated gzip members).
//
// Each `response` record whose HTTP payload is HTML is one page: its HTTP headers give the
// charset, chunked transfer coding and gzip/deflate content coding are undone, and the page goes
// through build_page_document with the record's target URI as id and URL and its WARC-Date as
// the date a page without one falls back on. Other record types (warcinfo, request, metadata,
// revisit...) hold no page and are passed over; responses that are not HTML, or carry an HTTP
// error, are rejected as no_article, with the reason. A record that does not parse is reported
// as malformed_warc and reading resumes at the next line that starts a record.

#include <fmt/format.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>

#include "base/ascii.h"
#include "io/format_reader.h"

namespace samestory {

namespace {

constexpr size_t kMaxHeaderLine = 64 << 10;

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The value of header `name` in a block of "Name: value" lines; "" when absent.
std::string_view header_value(std::string_view headers, std::string_view name) {
  size_t pos = 0;
  while (pos < headers.size()) {
    size_t eol = headers.find('\n', pos);
    if (eol == std::string_view::npos) eol = headers.size();
    std::string_view line = headers.substr(pos, eol - pos);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos && iequals_ascii(trim_blanks(line.substr(0, colon)), name)) {
      return trim_blanks(line.substr(colon + 1));
    }
    pos = eol + 1;
  }
  return {};
}

// Undoes chunked transfer coding; false when the chunks are broken (the body is then kept as is).
bool dechunk(std::string_view body, std::string* out) {
  out->clear();
  size_t pos = 0;
  while (pos < body.size()) {
    const size_t eol = body.find('\n', pos);
    if (eol == std::string_view::npos) return false;
    std::string_view size_text = trim_blanks(body.substr(pos, eol - pos));
    if (const size_t semi = size_text.find(';'); semi != std::string_view::npos) size_text = size_text.substr(0, semi);
    size_t size = 0;
    const auto [end, ec] = std::from_chars(size_text.data(), size_text.data() + size_text.size(), size, 16);
    if (ec != std::errc() || end != size_text.data() + size_text.size()) return false;
    pos = eol + 1;
    if (size == 0) return true;
    if (size > body.size() - pos) return false;
    out->append(body.substr(pos, size));
    pos += size;
    if (pos < body.size() && body[pos] == '\r') ++pos;
    if (pos < body.size() && body[pos] == '\n') ++pos;
  }
  return true;
}

// Inflates gzip or zlib (or raw deflate) content up to `max_bytes`; false when it is corrupt or
// larger.
bool inflate_content(std::string_view in, size_t max_bytes, std::string* out) {
  for (int window_bits : {15 + 32, -15}) {
    z_stream z{};
    if (inflateInit2(&z, window_bits) != Z_OK) return false;
    out->clear();
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    char buffer[65536];
    int rc = Z_OK;
    while (rc == Z_OK && out->size() <= max_bytes) {
      z.next_out = reinterpret_cast<Bytef*>(buffer);
      z.avail_out = sizeof buffer;
      rc = inflate(&z, Z_NO_FLUSH);
      out->append(buffer, sizeof buffer - z.avail_out);
      if (rc == Z_BUF_ERROR && z.avail_in == 0) rc = Z_STREAM_END;  // a body cut short: keep what came
    }
    inflateEnd(&z);
    if (rc == Z_STREAM_END && out->size() <= max_bytes) return true;
  }
  return false;
}

class WarcReader final : public FormatReader {
 public:
  WarcReader(FileContext ctx, std::unique_ptr<BufferedReader> in) : ctx_(std::move(ctx)), in_(std::move(in)) {}

  bool next(Document* doc) override {
    for (;;) {
      Line line;
      // Find the next record's version line, passing blank lines (and, after an error, anything).
      bool found = false;
      while (!found) {
        Result<bool> more = in_->next_line(&line, kMaxHeaderLine);
        if (!more) {
          fail_file(more.status());
          return false;
        }
        if (!*more) return false;
        if (line.text.starts_with("WARC/")) {
          found = true;
        } else if (!trim_blanks(line.text).empty() && !resyncing_) {
          ++record_;
          ctx_.reject(Reason::kMalformedWarc, {ctx_.path, line.number, record_, line.offset},
                      "expected a WARC/1.x version line; looking for the next record");
          resyncing_ = true;
        }
      }
      resyncing_ = false;
      ++record_;
      const Provenance where{ctx_.path, line.number, record_, line.offset};
      std::string headers;
      for (;;) {
        Result<bool> more = in_->next_line(&line, kMaxHeaderLine);
        if (!more || !*more) {
          ctx_.reject(Reason::kTruncatedInput, where, "the input ends inside the record's headers");
          return false;
        }
        if (trim_blanks(line.text).empty()) break;
        headers.append(line.text).push_back('\n');
      }
      const std::string_view length_text = header_value(headers, "Content-Length");
      uint64_t length = 0;
      const auto [end, ec] = std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
      if (length_text.empty() || ec != std::errc() || end != length_text.data() + length_text.size()) {
        ctx_.reject(Reason::kMalformedWarc, where, "no valid Content-Length header");
        resyncing_ = true;
        continue;
      }
      const bool response = iequals_ascii(header_value(headers, "WARC-Type"), "response");
      const bool keep = response && length <= ctx_.options->max_document_bytes && ctx_.wanted(record_);
      std::string block;
      Status s = read_block(length, keep ? &block : nullptr);
      if (!s) {
        ctx_.reject(Reason::kTruncatedInput, where, s.message());
        return false;
      }
      if (!response) continue;  // warcinfo, request, metadata, revisit: no page
      if (length > ctx_.options->max_document_bytes) {
        ctx_.reject(Reason::kTooLarge, where,
                    fmt::format("a record of {} bytes is over the limit of {} (--max-doc-bytes)", length,
                                ctx_.options->max_document_bytes));
        continue;
      }
      if (!keep) continue;  // passed over by the record filter (counted there)
      if (build_response(block, headers, where, doc)) return true;
    }
  }

  uint64_t raw_bytes_consumed() const override { return in_->raw_bytes_consumed(); }
  uint64_t decompressed_bytes() const override { return in_->offset(); }

 private:
  void fail_file(const Status& s) {
    ctx_.reject(s.code() == StatusCode::kLimitExceeded ? Reason::kDecompressionLimit : Reason::kTruncatedInput,
                {ctx_.path, 0, record_ + 1, in_->offset()}, s.message());
  }

  // Reads `length` bytes of a record's block into *out (or skips them when out is null).
  Status read_block(uint64_t length, std::string* out) {
    uint64_t left = length;
    while (left > 0) {
      Result<std::string_view> avail = in_->peek();
      if (!avail) return avail.status();
      if (avail->empty()) return Status::data_error(fmt::format("the input ends {} bytes into a block of {}", length - left, length));
      const size_t take = static_cast<size_t>(std::min<uint64_t>(left, avail->size()));
      if (out != nullptr) out->append(avail->data(), take);
      in_->consume(take);
      left -= take;
    }
    return Status::ok();
  }

  bool build_response(const std::string& block, const std::string& warc_headers, const Provenance& where,
                      Document* doc) {
    // An HTTP response: status line, headers, a blank line, the body.
    size_t header_end = block.find("\r\n\r\n");
    size_t body_start = header_end == std::string::npos ? std::string::npos : header_end + 4;
    if (const size_t lf = block.find("\n\n"); lf != std::string::npos && (header_end == std::string::npos || lf < header_end)) {
      header_end = lf;
      body_start = lf + 2;
    }
    if (!std::string_view(block).starts_with("HTTP/") || header_end == std::string::npos) {
      ctx_.reject(Reason::kMalformedWarc, where, "the response record does not hold an HTTP response");
      return false;
    }
    const std::string_view http_headers = std::string_view(block).substr(0, header_end);
    const std::string_view status_line = http_headers.substr(0, http_headers.find('\n'));
    const size_t sp = status_line.find(' ');
    const std::string_view code = sp == std::string_view::npos ? std::string_view() : status_line.substr(sp + 1, 3);
    if (code.size() != 3 || code[0] != '2') {
      ctx_.reject(Reason::kNoArticleText, where, fmt::format("HTTP status '{}'", trim_blanks(status_line)));
      return false;
    }
    const std::string_view content_type = header_value(http_headers, "Content-Type");
    const std::string type = lower_ascii(content_type.substr(0, content_type.find(';')));
    if (!type.empty() && type.find("html") == std::string::npos) {
      ctx_.reject(Reason::kNoArticleText, where, fmt::format("the response is {}, not HTML", trim_blanks(type)));
      return false;
    }
    std::string_view body = std::string_view(block).substr(body_start);
    std::string decoded;
    if (lower_ascii(header_value(http_headers, "Transfer-Encoding")).find("chunked") != std::string::npos &&
        dechunk(body, &scratch_)) {
      decoded.swap(scratch_);
      body = decoded;
    }
    const std::string coding = lower_ascii(header_value(http_headers, "Content-Encoding"));
    if (coding == "gzip" || coding == "x-gzip" || coding == "deflate") {
      if (!inflate_content(body, ctx_.options->max_document_bytes, &scratch_)) {
        ctx_.reject(Reason::kNoArticleText, where, fmt::format("the {} content does not decompress", coding));
        return false;
      }
      decoded.swap(scratch_);
      body = decoded;
    } else if (!coding.empty() && coding != "identity") {
      ctx_.reject(Reason::kNoArticleText, where, fmt::format("content coding '{}' is not supported", coding));
      return false;
    }
    PageEnvelope envelope;
    envelope.content_type = content_type;
    std::string_view uri = header_value(warc_headers, "WARC-Target-URI");
    if (uri.starts_with('<') && uri.ends_with('>')) uri = uri.substr(1, uri.size() - 2);  // WARC/1.0's form
    envelope.id = uri;
    envelope.url = uri;
    envelope.date = header_value(warc_headers, "WARC-Date");
    return build_page_document(body, envelope, where, /*sole_record=*/false, ctx_, doc);
  }

  FileContext ctx_;
  std::unique_ptr<BufferedReader> in_;
  uint64_t record_ = 0;
  bool resyncing_ = false;
  std::string scratch_;
};

}  // namespace

std::unique_ptr<FormatReader> make_warc_reader(FileContext ctx, std::unique_ptr<BufferedReader> in) {
  return std::make_unique<WarcReader>(std::move(ctx), std::move(in));
}

}  // namespace samestory
