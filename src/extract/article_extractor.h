// ArticleExtractor: the article of a news web page, as paragraphs, with its metadata.
//
// The page is parsed by libxml2's HTML parser (the parser lxml uses, so it repairs broken markup
// the way the extractors we compare with see it) into a compact tree. Then, with rules that hold
// for any site and nothing keyed to particular sites:
//  - Markup that is never article text goes: scripts, styles, forms, navigation, asides, figures
//    and their captions, buttons, hidden elements, and elements whose class or id names
//    boilerplate (share, comment, related, newsletter, advert, cookie, caption...) unless they
//    hold most of the page's paragraph text.
//  - Each paragraph-like block scores by its length and commas; its score flows to its ancestors,
//    weighted by their kind and their class names and discounted by their link density; the best
//    ancestor is the article's container, and siblings that score near it join it.
//  - The container's blocks become paragraphs; link lists, lone short lines and the title go.
//  - Metadata comes from JSON-LD, Open Graph, <meta>, <link rel=canonical>, <time> and <html lang>.
//
// Guarantees: any bytes give a result (empty when there is no article), never a crash; memory is
// bounded by a constant times the page (pages over ExtractOptions::max_page_bytes are cut there);
// markup nested deeper than max_depth is flattened rather than followed.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace samestory {

struct ExtractOptions {
  // Pages are cut at this many bytes before parsing; 16 MiB is far past any news article page.
  size_t max_page_bytes = 16u << 20;
  // Elements deeper than this are read as if they were at this depth.
  size_t max_depth = 256;
  // A paragraph-like block shorter than this (in characters) gives its ancestors no score.
  size_t min_block_chars = 25;
};

struct ExtractedPage {
  std::vector<std::string> paragraphs;  // the article body, one entry a paragraph or heading
  std::string title;
  std::string published;      // as the page gives it ("2019-11-19T10:00:00-05:00"); "" if none
  std::vector<std::string> authors;
  std::string canonical_url;
  std::string site_name;
  std::string language;       // a BCP 47 tag as the page declares it ("en", "en-GB"); "" if none
  std::string description;

  // The paragraphs joined by newlines.
  std::string body() const;
};

// Extracts the article of `html`, which must be valid UTF-8 (see decode_page).
ExtractedPage extract_article(std::string_view html, const ExtractOptions& options = {});

}  // namespace samestory
