// The extract stage: web pages (HTML) into articles.
//
// What it offers:
//   decode_page, DecodedPage          (extract/charset.h)           a page's bytes as UTF-8, by BOM,
//                                                                    HTTP header, <meta> or sniffing
//   extract_article, ExtractedPage    (extract/article_extractor.h) the article's paragraphs and its
//                                                                    metadata, by generic rules
//   match_shingles, ExtractionScore   (extract/extraction_score.h)  the article-extraction
//                                                                    benchmark's measure
//
// What it guarantees: any bytes give a result and never a crash, in memory bounded by a constant
// times the page; no rule is keyed to a particular site.
#pragma once

#include "extract/article_extractor.h"
#include "extract/charset.h"
#include "extract/extraction_score.h"
