// Page metadata: title, date, authors, canonical URL, site name, language and description, from
// the markup publishers give search engines and social sites.
//
// Sources, strongest first: JSON-LD objects of an article type (schema.org NewsArticle, Article,
// BlogPosting, ReportageNews...; inside arrays and @graph too), Open Graph and article:* <meta>
// properties, other well-known <meta> names (author, date, dc.*, parsely-*, sailthru.*),
// itemprop microdata, <link rel=canonical>, the first <time datetime>, <html lang> and <title>.
#pragma once

#include "extract/article_extractor.h"
#include "extract/html_tree.h"

namespace samestory {

// Fills the metadata fields of *page (all but paragraphs) from `tree`.
void read_page_metadata(const HtmlTree& tree, ExtractedPage* page);

}  // namespace samestory
