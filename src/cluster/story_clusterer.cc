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

uint64_t StoryClusterer::posting_length(uint32_t term) const {
  const uint32_t slot = posting_of_term_.get(term);
  return slot == 0 ? 0 : posting_offsets_[slot] - posting_offsets_[slot - 1];
}

bool StoryClusterer::within_window(uint32_t a, uint32_t b) const {
  if (options_.window_days <= 0) return true;
  const int32_t da = days_[a], db = days_[b];
  if (da == kUnknownDay || db == kUnknownDay) return true;
  return std::abs(static_cast<int64_t>(da) - db) <= options_.window_days;
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

void StoryClusterer::build_index() {
  U32Map vector_frequency;
  for (const WeightedTerm& t : vectors_) ++vector_frequency[t.term];
  posting_offsets_.assign(1, 0);
  // Posting lists in order of first appearance, so the layout is the same on every run.
  for (const WeightedTerm& t : vectors_) {
    const uint32_t f = vector_frequency.get(t.term);
    if (f > options_.max_posting || f < 2) continue;  // too common, or no one to find
    uint32_t& slot = posting_of_term_[t.term];
    if (slot != 0) continue;
    posting_offsets_.push_back(posting_offsets_.back() + f);
    slot = static_cast<uint32_t>(posting_offsets_.size() - 1);
  }
  posting_docs_.resize(posting_offsets_.back());
  posting_weights_.resize(posting_offsets_.back());
  std::vector<uint64_t> fill(posting_offsets_.begin(), posting_offsets_.end() - 1);
  const size_t n = days_.size();
  for (uint32_t d = 0; d < n; ++d) {
    for (uint64_t k = vector_offsets_[d]; k < vector_offsets_[d + 1]; ++k) {
      const uint32_t slot = posting_of_term_.get(vectors_[k].term);
      if (slot == 0) continue;
      const uint64_t at = fill[slot - 1]++;
      posting_docs_[at] = d;
      posting_weights_[at] = vectors_[k].weight;
    }
  }
}

void StoryClusterer::find_neighbours(const std::function<void(const char*, double)>& progress) {
  const size_t n = days_.size();
  std::vector<std::vector<Neighbour>> parts(chunks(n));
  std::vector<std::vector<uint32_t>> counts(chunks(n));
  std::vector<uint64_t> computed(chunks(n), 0);
  std::atomic<size_t> done{0};
  // One score array a thread, all zeros between articles: allocating one per task would fault in
  // gigabytes of fresh pages on a large corpus.
  tbb::enumerable_thread_specific<std::vector<float>> scores([n] { return std::vector<float>(n, 0.0f); });
  parallel_for_index(size_t{0}, chunks(n), [&](size_t c) {
    std::vector<float>& score = scores.local();
    std::vector<uint32_t> touched;
    std::vector<WeightedTerm> query;
    std::vector<Neighbour> found;
    for (size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) {
      const std::span<const WeightedTerm> v(vectors_.data() + vector_offsets_[i],
                                            vector_offsets_[i + 1] - vector_offsets_[i]);
      query.assign(v.begin(), v.end());
      if (query.size() > options_.query_terms) {
        std::partial_sort(query.begin(), query.begin() + options_.query_terms, query.end(),
                          [](const WeightedTerm& a, const WeightedTerm& b) {
                            return a.weight != b.weight ? a.weight > b.weight : a.term < b.term;
                          });
        query.resize(options_.query_terms);
      }
      // Rarest terms first: they find a story's articles among the fewest postings, and once
      // `posting_budget` postings have been read the commoner terms are not worth reading.
      std::sort(query.begin(), query.end(), [&](const WeightedTerm& a, const WeightedTerm& b) {
        const uint64_t la = posting_length(a.term), lb = posting_length(b.term);
        return la != lb ? la < lb : a.term < b.term;
      });
      touched.clear();
      uint64_t scanned = 0;
      for (const WeightedTerm& q : query) {
        const uint32_t slot = posting_of_term_.get(q.term);
        if (slot == 0) continue;
        if (scanned >= options_.posting_budget) break;
        scanned += posting_offsets_[slot] - posting_offsets_[slot - 1];
        for (uint64_t p = posting_offsets_[slot - 1]; p < posting_offsets_[slot]; ++p) {
          const uint32_t j = posting_docs_[p];
          if (j == i || !within_window(static_cast<uint32_t>(i), j)) continue;
          if (score[j] == 0.0f) touched.push_back(j);
          score[j] += q.weight * posting_weights_[p];
        }
      }
      if (touched.size() > options_.candidates) {
        std::partial_sort(touched.begin(), touched.begin() + options_.candidates, touched.end(),
                          [&](uint32_t a, uint32_t b) { return score[a] != score[b] ? score[a] > score[b] : a < b; });
        for (size_t k = options_.candidates; k < touched.size(); ++k) score[touched[k]] = 0.0f;
        touched.resize(options_.candidates);
      }
      found.clear();
      for (uint32_t j : touched) {
        score[j] = 0.0f;
        const std::span<const WeightedTerm> w(vectors_.data() + vector_offsets_[j],
                                              vector_offsets_[j + 1] - vector_offsets_[j]);
        const float cos = cosine(v, w);
        if (cos >= options_.min_cosine) found.push_back({j, cos});
      }
      computed[c] += touched.size();
      std::sort(found.begin(), found.end(), [](const Neighbour& a, const Neighbour& b) {
        return a.cosine != b.cosine ? a.cosine > b.cosine : a.doc < b.doc;
      });
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
  build_index();
  find_neighbours(progress);
  std::vector<uint32_t>().swap(posting_docs_);
  std::vector<float>().swap(posting_weights_);

  // Each article's k nearest neighbours, itself included, sorted for intersection.
  const uint32_t k = options_.shared_neighbours;
  std::vector<uint32_t> near(static_cast<size_t>(n) * (k + 1), UINT32_MAX);
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t* row = &near[static_cast<size_t>(i) * (k + 1)];
    row[0] = i;
    const uint64_t begin = neighbour_offsets_[i];
    const uint64_t end = std::min<uint64_t>(neighbour_offsets_[i + 1], begin + k);
    for (uint64_t p = begin; p < end; ++p) row[1 + p - begin] = neighbours_[p].doc;
    std::sort(row, row + k + 1);
  }
  std::vector<SimilarityEdge> edges;
  for (uint32_t i = 0; i < n; ++i) {
    for (uint64_t p = neighbour_offsets_[i]; p < neighbour_offsets_[i + 1]; ++p) {
      const uint32_t j = neighbours_[p].doc;
      const float cos = neighbours_[p].cosine;
      const uint32_t shared = count_shared(&near[static_cast<size_t>(i) * (k + 1)], &near[static_cast<size_t>(j) * (k + 1)], k + 1);
      edges.push_back({i, j, pair_similarity(cos, shared, k, options_.strong_cosine)});
    }
  }
  std::vector<Neighbour>().swap(neighbours_);
  std::vector<uint64_t>().swap(neighbour_offsets_);
  std::vector<WeightedTerm>().swap(vectors_);
  std::vector<uint64_t>().swap(vector_offsets_);
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
         posting_of_term_.memory_bytes() + posting_offsets_.capacity() * 8 + posting_docs_.capacity() * 4 +
         posting_weights_.capacity() * 4 + neighbours_.capacity() * sizeof(Neighbour) +
         neighbour_offsets_.capacity() * 8;
}

}  // namespace samestory
