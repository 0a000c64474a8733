#include "cluster/neighbour_index.h"

#include <algorithm>
#include <cstdlib>

#include "cluster/story_clusterer.h"

namespace samestory {

uint64_t NeighbourIndex::indexed_length(uint32_t term) const {
  const uint32_t f = frequency_.get(term);
  return f > options_.max_posting || f < 2 ? 0 : f;  // too common, or no one to find
}

bool NeighbourIndex::within_window(int32_t a, int32_t b) const {
  if (options_.window_days <= 0) return true;
  if (a == kUnknownDay || b == kUnknownDay) return true;
  return std::abs(static_cast<int64_t>(a) - b) <= options_.window_days;
}

void NeighbourIndex::assign(std::vector<uint32_t> docs, std::vector<int32_t> days, std::vector<WeightedTerm> vectors,
                            std::vector<uint64_t> offsets) {
  docs_ = std::move(docs);
  days_ = std::move(days);
  vectors_ = std::move(vectors);
  offsets_ = std::move(offsets);
  // Posting lists numbered in order of their term's first appearance, so the layout is the same
  // on every run; one pass counts each list's length under that number.
  posting_of_term_ = U32Map();
  std::vector<uint64_t> length;
  for (const WeightedTerm& t : vectors_) {
    if (indexed_length(t.term) == 0) continue;
    uint32_t& slot = posting_of_term_[t.term];
    if (slot == 0) {
      length.push_back(0);
      slot = static_cast<uint32_t>(length.size());
    }
    ++length[slot - 1];
  }
  posting_offsets_.assign(1, 0);
  posting_offsets_.reserve(length.size() + 1);
  for (uint64_t l : length) posting_offsets_.push_back(posting_offsets_.back() + l);
  posting_slots_.resize(posting_offsets_.back());
  posting_weights_.resize(posting_offsets_.back());
  std::vector<uint64_t> fill(posting_offsets_.begin(), posting_offsets_.end() - 1);
  for (uint32_t d = 0; d < docs_.size(); ++d) {
    for (uint64_t k = offsets_[d]; k < offsets_[d + 1]; ++k) {
      const uint32_t slot = posting_of_term_.get(vectors_[k].term);
      if (slot == 0) continue;
      const uint64_t at = fill[slot - 1]++;
      posting_slots_[at] = d;
      posting_weights_[at] = vectors_[k].weight;
    }
  }
}

uint64_t NeighbourIndex::find(uint32_t doc, int32_t day, std::span<const WeightedTerm> v, Scratch* scratch,
                              std::vector<Neighbour>* out) const {
  std::vector<float>& score = scratch->score;
  if (score.size() < docs_.size()) score.assign(docs_.size(), 0.0f);
  std::vector<uint32_t>& touched = scratch->touched;
  std::vector<WeightedTerm>& query = scratch->query;
  query.assign(v.begin(), v.end());
  keep_heaviest(&query, options_.query_terms);
  // Rarest terms first: they find a story's articles among the fewest postings, and once
  // `posting_budget` postings have been read the commoner terms are not worth reading.
  std::vector<RankedTerm>& ranked = scratch->ranked;
  ranked.clear();
  for (const WeightedTerm& q : query) {
    const uint64_t length = indexed_length(q.term);
    if (length > 0) ranked.push_back({length, q.term, q.weight});
  }
  std::sort(ranked.begin(), ranked.end(), [](const RankedTerm& a, const RankedTerm& b) {
    return a.length != b.length ? a.length < b.length : a.term < b.term;
  });
  // The article's own slot, found once: comparing slots in the loop below spares a random read of
  // docs_ per posting, which was a good part of the search's time.
  const auto own = std::lower_bound(docs_.begin(), docs_.end(), doc);
  const uint32_t self = own != docs_.end() && *own == doc ? static_cast<uint32_t>(own - docs_.begin()) : UINT32_MAX;
  const bool windowed = options_.window_days > 0;
  uint64_t scanned = 0;
  size_t touched_count = 0;
  for (const RankedTerm& q : ranked) {
    if (scanned >= options_.posting_budget) break;
    scanned += q.length;  // the whole corpus's list, read or not here
    const uint32_t slot = posting_of_term_.get(q.term);
    if (slot == 0) continue;
    const uint64_t first = posting_offsets_[slot - 1], last = posting_offsets_[slot];
    // `touched` only grows, and only its first touched_count entries count: resizing it from
    // empty on every search would write zeros over every posting's place once more.
    if (touched.size() < touched_count + (last - first)) touched.resize(touched_count + (last - first));
    // Scores are scattered over an array of all slots (4 MB at 1M articles): the score a few
    // postings ahead is asked for early, and a first touch is recorded without a branch, which
    // would be mispredicted often enough to stall the loads behind it. Plain pointers, because
    // the compiler must otherwise assume that writing a score may move the vectors' buffers.
    uint32_t* const touched_out = touched.data();
    float* const scores = score.data();
    const uint32_t* const slots = posting_slots_.data();
    const float* const weights = posting_weights_.data();
    const float query_weight = q.weight;
    constexpr uint64_t kAhead = 16;
    for (uint64_t p = first; p < last; ++p) {
      if (p + kAhead < last) __builtin_prefetch(&scores[slots[p + kAhead]]);
      const uint32_t j = slots[p];
      if (j == self || (windowed && !within_window(day, days_[j]))) continue;
      float& s = scores[j];
      touched_out[touched_count] = j;
      touched_count += s == 0.0f;
      s += query_weight * weights[p];
    }
  }
  std::span<uint32_t> candidates(touched.data(), touched_count);
  if (candidates.size() > options_.candidates) {
    // Slots are in article order, so ties go to the earlier article as in a whole-corpus index.
    std::partial_sort(candidates.begin(), candidates.begin() + options_.candidates, candidates.end(),
                      [&](uint32_t a, uint32_t b) { return score[a] != score[b] ? score[a] > score[b] : a < b; });
    for (size_t k = options_.candidates; k < candidates.size(); ++k) score[candidates[k]] = 0.0f;
    candidates = candidates.first(options_.candidates);
  }
  out->clear();
  if (!candidates.empty()) scratch->vector.assign(v);
  for (uint32_t j : candidates) {
    score[j] = 0.0f;
    const float cos = scratch->vector.cosine_with(vector(j));
    if (cos >= options_.min_cosine) out->push_back({docs_[j], cos});
  }
  std::sort(out->begin(), out->end(), [](const Neighbour& a, const Neighbour& b) {
    return a.cosine != b.cosine ? a.cosine > b.cosine : a.doc < b.doc;
  });
  return candidates.size();
}

size_t NeighbourIndex::memory_bytes() const {
  return docs_.capacity() * 4 + days_.capacity() * 4 + vectors_.capacity() * sizeof(WeightedTerm) +
         offsets_.capacity() * 8 + posting_of_term_.memory_bytes() + posting_offsets_.capacity() * 8 +
         posting_slots_.capacity() * 4 + posting_weights_.capacity() * 4;
}

}  // namespace samestory
