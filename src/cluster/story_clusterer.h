// StoryClusterer: groups a corpus's articles into stories, in one batch.
//
// The method, chosen by measurement on Giveme5W1H and the UCI headlines (docs/ARCHITECTURE.md):
//  1. each article is a TF-IDF vector of its 100 heaviest terms (term_vector.h), IDF from the
//     whole corpus;
//  2. candidates come from an inverted index (neighbour_index.h): an article asks for the articles sharing any of its
//     `query_terms` heaviest terms (terms in more than `max_posting` vectors are too common to
//     find a story by), and keeps the `candidates` best by partial score; their exact cosines are
//     computed, and those at least `min_cosine` kept, within `window_days` when set;
//  3. each pair's cosine is tempered by how many nearest neighbours the two share (shared
//     nearest neighbours: sqrt(cosine x shared / (k + 1)) with each article counted among its own
//     k neighbours), which stops a hub article from gluing two stories together; a pair above
//     `strong_cosine` (shared wire copy, a re-run) keeps its cosine whatever its neighbours;
//  4. average linkage over those pair similarities (average_linkage.h), cut at `threshold`.
//
// Guarantees: the stories depend only on the articles, their order and the options, never on the
// thread count; every added article is in exactly one story (a story may have one member).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <vector>

#include "cluster/neighbour_index.h"
#include "cluster/term_vector.h"

namespace samestory {

inline constexpr int32_t kUnknownDay = std::numeric_limits<int32_t>::min();

struct ClusterOptions {
  FeatureOptions features;
  // 20 query terms find what 100 find on Giveme5W1H; 10 lose 5 points of ARI.
  uint32_t query_terms = 20;
  uint32_t candidates = 32;
  float min_cosine = 0.05f;
  uint32_t max_posting = 5000;
  // Postings read per article at most (rarest terms first; the list that crosses it is read whole).
  uint64_t posting_budget = 4096;
  uint32_t shared_neighbours = 5;  // k
  float strong_cosine = 0.5f;
  // The average similarity at which two groups of articles are one story. On Giveme5W1H, ARI
  // stays >= 0.92 from 0.08 to 0.22 (docs/ARCHITECTURE.md); 0.15 sits in the middle.
  double threshold = 0.15;
  // Articles further apart than this many days are never compared; 0: no limit. Articles of
  // unknown date are compared with all.
  int32_t window_days = 0;
};

struct ClusterResult {
  std::vector<uint32_t> story;      // story of each article, numbered from 0 by first article
  std::vector<float> centrality;    // each article's summed similarity to the story members it found
  uint64_t candidate_pairs = 0;     // pairs whose exact cosine was computed
  uint64_t edges = 0;               // similar pairs found (each direction counted)
};

class StoryClusterer {
 public:
  explicit StoryClusterer(ClusterOptions options = {}) : options_(options) {}

  // Adds the next article's term bag (count_terms) and its day (days since 1970, or kUnknownDay).
  void add(std::span<const TermCount> bag, int32_t day);
  size_t size() const { return days_.size(); }

  // Adds a background corpus's document frequencies to the corpus's own.
  void add_background(const DocumentFrequencies& df) { df_.merge(df); }
  const DocumentFrequencies& frequencies() const { return df_; }

  // Clusters everything added; call once (it frees its working memory as it goes). `progress`,
  // when set, is told the phase and its fraction done, from any thread.
  ClusterResult finish(const std::function<void(const char*, double)>& progress = {});

  size_t memory_bytes() const;

 private:
  void build_vectors();
  void find_neighbours(const NeighbourIndex& index, const std::function<void(const char*, double)>& progress);

  ClusterOptions options_;
  DocumentFrequencies df_;
  std::vector<TermCount> bags_;
  std::vector<uint64_t> bag_offsets_{0};
  std::vector<int32_t> days_;
  std::vector<WeightedTerm> vectors_;
  std::vector<uint64_t> vector_offsets_;
  std::vector<Neighbour> neighbours_;
  std::vector<uint64_t> neighbour_offsets_;
  uint64_t candidate_pairs_ = 0;
  size_t index_bytes_ = 0;
};

}  // namespace samestory
