// The html format: one web page per file. The page's charset is decoded and its article
// extracted (extract/); the document is the article's text with the page's title, date and URL.

#include <fmt/format.h>

#include "extract/extract.h"
#include "io/format_reader.h"

namespace samestory {

bool build_page_document(std::string_view bytes, const PageEnvelope& envelope, const Provenance& where,
                         bool sole_record, const FileContext& ctx, Document* doc) {
  DecodedPage decoded = decode_page(bytes, envelope.content_type);
  ExtractedPage page = extract_article(decoded.text);
  if (page.paragraphs.empty()) {
    ctx.reject(Reason::kNoArticleText, where, "no block of text scored as an article (a page of links, or no text)");
    return false;
  }
  const std::string body = page.body();
  RawRecord raw;
  auto set = [&](Field f, std::string_view v) {
    if (!v.empty()) raw[static_cast<size_t>(f)] = {v, true, false};
  };
  set(Field::kText, body);
  set(Field::kTitle, page.title);
  set(Field::kId, envelope.id);
  set(Field::kUrl, page.canonical_url.starts_with("http") ? std::string_view(page.canonical_url) : envelope.url);
  set(Field::kDate, page.published.empty() ? envelope.date : std::string_view(page.published));
  // Without a URL the site's name is the best outlet the page offers.
  if (!raw[static_cast<size_t>(Field::kUrl)].present) set(Field::kOutlet, page.site_name);
  if (!build_document(raw, where, sole_record, ctx, doc)) return false;
  if (decoded.replacements > 0) {
    ctx.log->report(Reason::kInvalidUtf8, where.to_string(),
                    fmt::format("{} byte sequence(s) not valid {} replaced with U+FFFD", decoded.replacements,
                                decoded.charset));
  }
  auto facts = std::make_shared<PageFacts>();
  facts->authors = std::move(page.authors);
  facts->site_name = std::move(page.site_name);
  facts->language = std::move(page.language);
  facts->description = std::move(page.description);
  facts->charset = std::move(decoded.charset);
  doc->page = std::move(facts);
  return true;
}

namespace {

class HtmlReader final : public FormatReader {
 public:
  HtmlReader(FileContext ctx, std::unique_ptr<BufferedReader> in) : ctx_(std::move(ctx)), in_(std::move(in)) {}

  bool next(Document* doc) override {
    if (done_) return false;
    done_ = true;
    if (!ctx_.wanted(1)) return false;
    const Provenance where{ctx_.path, 1, 1, 0};
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
                  fmt::format("a page of {} bytes is over the limit of {} (--max-doc-bytes)", total,
                              ctx_.options->max_document_bytes));
      return false;
    }
    return build_page_document(content, PageEnvelope{}, where, /*sole_record=*/true, ctx_, doc);
  }

  uint64_t raw_bytes_consumed() const override { return in_->raw_bytes_consumed(); }
  uint64_t decompressed_bytes() const override { return in_->offset(); }

 private:
  FileContext ctx_;
  std::unique_ptr<BufferedReader> in_;
  bool done_ = false;
};

}  // namespace

std::unique_ptr<FormatReader> make_html_reader(FileContext ctx, std::unique_ptr<BufferedReader> in) {
  return std::make_unique<HtmlReader>(std::move(ctx), std::move(in));
}

}  // namespace samestory
