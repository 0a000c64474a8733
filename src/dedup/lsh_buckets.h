// LSH buckets: how documents that share a key become candidate pairs.
//
// The single-machine Deduplicator and the Dask pipeline (python/samestory/dask.py) both turn
// buckets into pairs with these functions, so the two find exactly the same candidates.
//
// A bucket is a run of (key, document) entries with one key, sorted by document. Buckets up to
// `max_all_pairs` entries give every pair; larger ones (texts shared by very many documents) a
// star from the first entry and a chain through consecutive entries, which keeps them connected
// at linear cost.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace samestory {

using KeyedDoc = std::pair<uint64_t, uint32_t>;

// Calls consider(a, b) for the pairs of one bucket (a before b in the run).
template <typename Fn>
void pair_bucket(const KeyedDoc* run, size_t count, size_t max_all_pairs, Fn&& consider) {
  if (count <= max_all_pairs) {
    for (size_t a = 0; a < count; ++a) {
      for (size_t b = a + 1; b < count; ++b) consider(run[a].second, run[b].second);
    }
  } else {
    for (size_t a = 1; a < count; ++a) {
      consider(run[0].second, run[a].second);
      consider(run[a - 1].second, run[a].second);
    }
  }
}

// Reorders `keyed` so equal keys are adjacent, each run sorted by document, and calls
// fn(run, count) for each run of two or more. A counting pass on the top 16 key bits first, then
// small sorts: std::sort of a million entries per band dominated the whole run.
template <typename Fn>
void for_each_equal_key_run(std::vector<KeyedDoc>* keyed, Fn&& fn) {
  constexpr size_t kBuckets = 1 << 16;
  thread_local std::vector<uint32_t> offsets;
  thread_local std::vector<KeyedDoc> sorted;
  offsets.assign(kBuckets + 1, 0);
  for (const auto& e : *keyed) ++offsets[(e.first >> 48) + 1];
  for (size_t b = 1; b <= kBuckets; ++b) offsets[b] += offsets[b - 1];
  sorted.resize(keyed->size());
  {
    std::vector<uint32_t> next(offsets.begin(), offsets.end() - 1);
    for (const auto& e : *keyed) sorted[next[e.first >> 48]++] = e;
  }
  for (size_t b = 0; b < kBuckets; ++b) {
    auto* begin = sorted.data() + offsets[b];
    auto* end = sorted.data() + offsets[b + 1];
    if (end - begin < 2) continue;
    std::sort(begin, end);
    for (auto* run = begin; run < end;) {
      auto* stop = run + 1;
      while (stop < end && stop->first == run->first) ++stop;
      if (stop - run >= 2) fn(run, static_cast<size_t>(stop - run));
      run = stop;
    }
  }
}

// The key of a single signature value in the small-document buckets: the 32-bit value spread
// over 64 bits (an odd multiplier is a bijection), as the grouping buckets by the top bits.
inline uint64_t small_value_key(uint32_t v) { return static_cast<uint64_t>(v) * 0x9E3779B97F4A7C15ull; }

// A pair of documents as one sorted 64-bit key (smaller document in the high half).
inline uint64_t pair_key(uint32_t a, uint32_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<uint64_t>(a) << 32) | b;
}

}  // namespace samestory
