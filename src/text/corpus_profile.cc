#include "text/corpus_profile.h"

#include <algorithm>

#include "text/segment.h"
#include "text/tokenize.h"

namespace samestory {

void CorpusProfile::add(const Document& doc, bool with_segments) {
  ++documents;
  if (doc.text.empty()) ++title_only;
  text_bytes += doc.text.size();
  title_bytes += doc.title.size();
  // Token vectors are reused per thread: allocation would dominate the cost on short documents.
  thread_local std::vector<Token> scratch;
  scratch.clear();
  tokenize(doc.title, &scratch);
  tokenize(doc.text, &scratch);
  tokens += scratch.size();
  if (with_segments) {
    sentences += split_sentences(doc.text).size();
    paragraphs += split_paragraphs(doc.text).size();
  }
  if (doc.published.known()) {
    const int64_t t = doc.published.unix_seconds;
    first_published = dated == 0 ? t : std::min(first_published, t);
    last_published = dated == 0 ? t : std::max(last_published, t);
    ++dated;
  }
  ++outlets[doc.outlet];
}

void CorpusProfile::merge(const CorpusProfile& other) {
  if (other.dated > 0) {
    first_published = dated == 0 ? other.first_published : std::min(first_published, other.first_published);
    last_published = dated == 0 ? other.last_published : std::max(last_published, other.last_published);
  }
  documents += other.documents;
  title_only += other.title_only;
  text_bytes += other.text_bytes;
  title_bytes += other.title_bytes;
  tokens += other.tokens;
  sentences += other.sentences;
  paragraphs += other.paragraphs;
  dated += other.dated;
  for (const auto& [name, count] : other.outlets) outlets[name] += count;
}

std::vector<std::pair<std::string, uint64_t>> CorpusProfile::top_outlets(size_t n) const {
  std::vector<std::pair<std::string, uint64_t>> all(outlets.begin(), outlets.end());
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  if (all.size() > n) all.resize(n);
  return all;
}

}  // namespace samestory
