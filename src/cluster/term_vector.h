// Term vectors: what an article is about, as the few words that tell it apart from the others.
//
// An article becomes a bag of weighted term counts (count_terms), then, once document frequencies
// are known, a TF-IDF vector of its highest-weighted terms (weigh_terms). What counts, and why:
//   - title words weigh FeatureOptions::title_weight, the lead's words lead_weight, the rest 1:
//     the title and first paragraphs name the event; later paragraphs drift into background;
//   - a capitalised word inside a sentence (a name: "Lavrov", "Riyadh") also counts as a separate
//     name term, so that who and where weigh more than common vocabulary;
//   - weights are (1 + ln count) x ln((N + 1) / (df + 1)), so a word every article has weighs 0.
//
// Guarantees: a bag and a vector are sorted by term and hold each term once; a vector has at most
// max_terms entries and unit length (or none at all); everything is a pure function of the text,
// title and frequencies, so any thread computes the same vector.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "cluster/term_map.h"
#include "text/tokenize.h"

namespace samestory {

struct FeatureOptions {
  float title_weight = 3.0f;
  uint32_t lead_words = 50;
  float lead_weight = 2.0f;
  bool names = true;
  // Terms kept per article. 100 keeps what matters of a long article and bounds memory; on the
  // Giveme5W1H set 64 terms lose 2-3 points of ARI and 150 gain nothing (docs/ARCHITECTURE.md).
  uint32_t max_terms = 100;
};

struct TermCount {
  uint32_t term;
  float count;
};

struct WeightedTerm {
  uint32_t term;
  float weight;
};

// The 32-bit term of a token hash (never 0), and of the same token read as a name.
uint32_t word_term(uint64_t token_hash);
uint32_t name_term(uint64_t token_hash);

// Fills `bag` (cleared first) with the weighted term counts of an article. `tokens` is scratch.
void count_terms(std::string_view title, std::string_view text, const FeatureOptions& options,
                 std::vector<Token>* tokens, std::vector<TermCount>* bag);

// How many articles hold each term.
class DocumentFrequencies {
 public:
  void add(std::span<const TermCount> bag);
  void merge(const DocumentFrequencies& other);
  uint32_t frequency(uint32_t term) const { return counts_.get(term); }
  uint64_t documents() const { return documents_; }
  const U32Map& counts() const { return counts_; }
  // For frequencies counted elsewhere (another process): adds `count` articles holding `term`,
  // and articles to the total.
  void add_count(uint32_t term, uint32_t count) { counts_[term] += count; }
  void add_documents(uint64_t n) { documents_ += n; }
  double idf(uint32_t term) const;
  size_t memory_bytes() const { return counts_.memory_bytes(); }

  // A text file: a header line, "documents N", then one "TERM COUNT" line a term (TERM in hex).
  // Errors name the file and line.
  Status save(const std::string& path) const;
  static Result<DocumentFrequencies> load(const std::string& path);

 private:
  U32Map counts_;
  uint64_t documents_ = 0;
};

// The article's TF-IDF vector: its `max_terms` heaviest terms (ties: smaller term first), unit
// length, sorted by term. Terms of weight 0 are left out.
void weigh_terms(std::span<const TermCount> bag, const DocumentFrequencies& df, uint32_t max_terms,
                 std::vector<WeightedTerm>* out);

// Keeps the `n` heaviest terms of `terms` (ties: smaller term first), in no particular order:
// the terms an article looks its neighbours up by.
void keep_heaviest(std::vector<WeightedTerm>* terms, uint32_t n);

// Dot product of two vectors sorted by term (their cosine, as both have unit length).
float cosine(std::span<const WeightedTerm> a, std::span<const WeightedTerm> b);

// One vector's cosines with many: its terms in a small open-addressing table, so that each
// other vector is read once, term by term, instead of merged with it. cosine_with(b) returns
// exactly cosine(query, b), to the bit: the same products, added in the same order.
class QueryVector {
 public:
  // `query` sorted by term, without terms of weight 0 (as weigh_terms makes them).
  void assign(std::span<const WeightedTerm> query);
  float cosine_with(std::span<const WeightedTerm> b) const;

 private:
  // A slot of weight 0 is empty: a term not in the query finds one and adds 0 * weight, which
  // leaves the sum as it was.
  std::vector<WeightedTerm> slots_;
  uint32_t mask_ = 0;
};

}  // namespace samestory
