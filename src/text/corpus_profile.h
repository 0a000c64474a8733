// CorpusProfile: what a corpus looks like — documents, outlets, dates, bytes, tokens.
//
// Built document by document (add()), or per batch in parallel and then merged in order
// (merge()); the result does not depend on how the work was split.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "io/document.h"

namespace samestory {

struct CorpusProfile {
  uint64_t documents = 0;
  uint64_t title_only = 0;  // documents with a title and no text (headline corpora)
  uint64_t text_bytes = 0;
  uint64_t title_bytes = 0;
  uint64_t tokens = 0;
  uint64_t sentences = 0;
  uint64_t paragraphs = 0;
  uint64_t dated = 0;
  int64_t first_published = 0;  // unix seconds, valid when dated > 0
  int64_t last_published = 0;
  std::map<std::string, uint64_t> outlets;  // documents per outlet

  // Adds one document; `with_segments` also counts sentences and paragraphs (slower).
  void add(const Document& doc, bool with_segments);
  void merge(const CorpusProfile& other);

  // The `n` outlets with the most documents (ties by name).
  std::vector<std::pair<std::string, uint64_t>> top_outlets(size_t n) const;
};

}  // namespace samestory
