// NeighbourIndex: an inverted index over article vectors that finds each article's most similar
// articles (step 2 of story_clusterer.h).
//
// An article asks for the articles sharing any of its `query_terms` heaviest terms, rarest terms
// first, until `posting_budget` postings have been read; the `candidates` best by partial score
// get an exact cosine, and those of at least `min_cosine` (within `window_days`) are its
// neighbours, most similar first.
//
// Which terms are indexed, their order and the budget all follow `frequency`, the number of
// vectors holding each term in the *whole* corpus, not in this index. So an index holding only
// part of a corpus (the articles within the window of some queries, as on a Dask worker) finds
// exactly the neighbours an index of the whole corpus finds for those queries: the articles it
// lacks are ones the window would have dropped anyway. Articles are known by their number in the
// corpus and must be added in increasing order.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "cluster/shared_neighbours.h"
#include "cluster/term_map.h"
#include "cluster/term_vector.h"

namespace samestory {

struct ClusterOptions;

class NeighbourIndex {
 public:
  // `options` and `frequency` must outlive the index.
  NeighbourIndex(const ClusterOptions& options, const U32Map& frequency) : options_(options), frequency_(frequency) {}

  // Takes the articles' numbers (increasing), days (kUnknownDay when unknown) and vectors
  // (offsets: articles + 1 entries), and builds the postings.
  void assign(std::vector<uint32_t> docs, std::vector<int32_t> days, std::vector<WeightedTerm> vectors,
              std::vector<uint64_t> offsets);
  size_t size() const { return docs_.size(); }
  std::span<const WeightedTerm> vector(size_t slot) const {
    return {vectors_.data() + offsets_[slot], offsets_[slot + 1] - offsets_[slot]};
  }
  uint32_t doc(size_t slot) const { return docs_[slot]; }
  int32_t day(size_t slot) const { return days_[slot]; }

  // Per-thread working memory for find().
  struct RankedTerm {
    uint64_t length;  // indexed_length()
    uint32_t term;
    float weight;
  };
  struct Scratch {
    std::vector<float> score;
    std::vector<uint32_t> touched;
    std::vector<WeightedTerm> query;
    std::vector<RankedTerm> ranked;
    QueryVector vector;  // the article's own, for the exact cosines
  };
  // The neighbours of article `doc` (any article, indexed or not) into `out`; returns how many
  // exact cosines were computed. Thread-safe.
  uint64_t find(uint32_t doc, int32_t day, std::span<const WeightedTerm> vector, Scratch* scratch,
                std::vector<Neighbour>* out) const;

  size_t memory_bytes() const;

 private:
  // The corpus-wide posting length of a term, or 0 if it is not worth indexing.
  uint64_t indexed_length(uint32_t term) const;
  bool within_window(int32_t a, int32_t b) const;

  const ClusterOptions& options_;
  const U32Map& frequency_;
  std::vector<uint32_t> docs_;
  std::vector<int32_t> days_;
  std::vector<WeightedTerm> vectors_;
  std::vector<uint64_t> offsets_;
  U32Map posting_of_term_;  // term -> 1 + index into posting_offsets_
  std::vector<uint64_t> posting_offsets_;
  std::vector<uint32_t> posting_slots_;
  std::vector<float> posting_weights_;
};

}  // namespace samestory
