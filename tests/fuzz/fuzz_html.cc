// Fuzzes the HTML reader: charset detection and conversion, libxml2's parse, the compact tree,
// metadata and the article extractor, on arbitrary bytes (see reader_harness.h for the checks).
// The extractor is also run directly on the bytes repaired to UTF-8, with a small depth limit, so
// the flattening of deep markup is exercised too.
#include "extract/extract.h"
#include "reader_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samestory;
  fuzz::read_all(data, size, make_html_reader);
  std::string page;
  repair_utf8(std::string_view(reinterpret_cast<const char*>(data), size), &page);
  ExtractOptions options;
  options.max_depth = 8;
  const ExtractedPage extracted = extract_article(page, options);
  for (const std::string& p : extracted.paragraphs) fuzz::check(!p.empty() && is_valid_utf8(p));
  for (const std::string* field : {&extracted.title, &extracted.published, &extracted.canonical_url,
                                   &extracted.site_name, &extracted.language}) {
    fuzz::check(is_valid_utf8(*field));
  }
  return 0;
}
