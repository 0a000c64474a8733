#include "cluster/story_clusterer.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <tbb/enumerable_thread_specific.h>

#include "base/parallel_region.h"
#include "cluster/average_linkage.h"
#include "cluster/shared_neighbours.h"

namespace samestory {

namespace {

constexpr size_t kChunk = 2048;  // articles per parallel task

size_t chunks(size_t n) { return (n + kChunk - 1) / kChunk; }

// Concatenates per-chunk arrays into one, with offsets per article.
template <typename T>
void flatten(std::vector<std::vector<T>>& parts, std::vector<std::vector<uint32_t>>& counts, std::vector<T>* out,
             std::vector<uint64_t>* offsets) {
  size_t total = 0, articles = 0;
  for (size_t c = 0; c < parts.size(); ++c) {
    total += parts[c].size();
    articles += counts[c].size();
  }
  out->clear();
  out->reserve(total);
  offsets->assign(1, 0);
  offsets->reserve(articles + 1);
  for (size_t c = 0; c < parts.size(); ++c) {
    out->insert(out->end(), parts[c].begin(), parts[c].end());
    for (uint32_t n : counts[c]) offsets->push_back(offsets->back() + n);
    std::vector<T>().swap(parts[c]);
  }
}

}  // namespace

void StoryClusterer::add(std::span<const TermCount> bag, int32_t day) {
  df_.add(bag);
  bags_.insert(bags_.end(), bag.begin(), bag.end());
  bag_offsets_.push_back(bags_.size());
  days_.push_back(day);
}

void StoryClusterer::build_vectors() {
  const size_t n = days_.size();
  std::vector<std::vector<WeightedTerm>> parts(chunks(n));
  std::vector<std::vector<uint32_t>> counts(chunks(n));
  parallel_for_index(size_t{0}, chunks(n), [&](size_t c) {
    std::vector<WeightedTerm> v;
    for (size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) {
      const std::span<const TermCount> bag(bags_.data() + bag_offsets_[i], bag_offsets_[i + 1] - bag_offsets_[i]);
      weigh_terms(bag, df_, options_.features.max_terms, &v);
      parts[c].insert(parts[c].end(), v.begin(), v.end());
      counts[c].push_back(static_cast<uint32_t>(v.size()));
    }
  });
  std::vector<TermCount>().swap(bags_);
  std::vector<uint64_t>().swap(bag_offsets_);
  flatten(parts, counts, &vectors_, &vector_offsets_);
}

void StoryClusterer::find_neighbours(const NeighbourIndex& index,
                                     const std::function<void(const char*, double)>& progress) {
  const size_t n = index.size();
  std::vector<std::vector<Neighbour>> parts(chunks(n));
  std::vector<std::vector<uint32_t>> counts(chunks(n));
  std::vector<uint64_t> computed(chunks(n), 0);
  std::atomic<size_t> done{0};
  // One scratch a thread, its score array all zeros between articles: allocating one per task
  // would fault in gigabytes of fresh pages on a large corpus.
  tbb::enumerable_thread_specific<NeighbourIndex::Scratch> scratches;
  parallel_for_index(size_t{0}, chunks(n), [&](size_t c) {
    NeighbourIndex::Scratch& scratch = scratches.local();
    std::vector<Neighbour> found;
    for (size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) {
      computed[c] += index.find(index.doc(i), index.day(i), index.vector(i), &scratch, &found);
      parts[c].insert(parts[c].end(), found.begin(), found.end());
      counts[c].push_back(static_cast<uint32_t>(found.size()));
    }
    const size_t d = done.fetch_add(1) + 1;
    if (progress) progress("neighbours", static_cast<double>(d) / static_cast<double>(chunks(n)));
  });
  for (uint64_t x : computed) candidate_pairs_ += x;
  flatten(parts, counts, &neighbours_, &neighbour_offsets_);
}

ClusterResult StoryClusterer::finish(const std::function<void(const char*, double)>& progress) {
  const auto n = static_cast<uint32_t>(days_.size());
  if (progress) progress("vectors", 0.0);
  build_vectors();
  if (progress) progress("index", 0.0);
  {
    U32Map vector_frequency;
    for (const WeightedTerm& t : vectors_) ++vector_frequency[t.term];
    NeighbourIndex index(options_, vector_frequency);
    std::vector<uint32_t> docs(n);
    for (uint32_t i = 0; i < n; ++i) docs[i] = i;
    index.assign(std::move(docs), std::move(days_), std::move(vectors_), std::move(vector_offsets_));
    index_bytes_ = index.memory_bytes() + vector_frequency.memory_bytes();
    find_neighbours(index, progress);
  }

  if (progress) progress("edges", 0.0);
  // Each article's k nearest neighbours, itself included, sorted for intersection.
  const uint32_t k = options_.shared_neighbours;
  std::vector<uint32_t> near(static_cast<size_t>(n) * (k + 1), UINT32_MAX);
  parallel_for_index(size_t{0}, chunks(n), [&](size_t c) {
    for (size_t i = c * kChunk; i < std::min<size_t>(n, (c + 1) * kChunk); ++i) {
      near_row(static_cast<uint32_t>(i), neighbours_.data() + neighbour_offsets_[i],
               neighbour_offsets_[i + 1] - neighbour_offsets_[i], k, &near[i * (k + 1)]);
    }
  });
  // One edge a neighbour, at the neighbour's own position, so the chunks fill it side by side.
  std::vector<SimilarityEdge> edges(neighbours_.size());
  parallel_for_index(size_t{0}, chunks(n), [&](size_t c) {
    for (size_t i = c * kChunk; i < std::min<size_t>(n, (c + 1) * kChunk); ++i) {
      for (uint64_t p = neighbour_offsets_[i]; p < neighbour_offsets_[i + 1]; ++p) {
        const uint32_t j = neighbours_[p].doc;
        const float cos = neighbours_[p].cosine;
        const uint32_t shared = count_shared(&near[i * (k + 1)], &near[static_cast<size_t>(j) * (k + 1)], k + 1);
        edges[p] = {static_cast<uint32_t>(i), j, pair_similarity(cos, shared, k, options_.strong_cosine)};
      }
    }
  });
  std::vector<Neighbour>().swap(neighbours_);
  std::vector<uint64_t>().swap(neighbour_offsets_);
  if (progress) progress("linkage", 0.0);
  ClusterResult result;
  result.candidate_pairs = candidate_pairs_;
  result.edges = edges.size();
  // Each article's centrality: its summed similarity to the members of its story it found.
  result.story = average_linkage(n, edges, options_.threshold);
  result.centrality.assign(n, 0.0f);
  for (const SimilarityEdge& e : edges) {
    if (result.story[e.a] == result.story[e.b]) result.centrality[e.a] += e.similarity;
  }
  return result;
}

size_t StoryClusterer::memory_bytes() const {
  return bags_.capacity() * sizeof(TermCount) + bag_offsets_.capacity() * 8 + days_.capacity() * 4 +
         vectors_.capacity() * sizeof(WeightedTerm) + vector_offsets_.capacity() * 8 + df_.memory_bytes() +
         index_bytes_ + neighbours_.capacity() * sizeof(Neighbour) + neighbour_offsets_.capacity() * 8;
}

}  // namespace samestory
