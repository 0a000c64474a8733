// LSH buckets: how documents that share a key become candidate pairs.
//
// The single-machine Deduplicator and the Dask pipeline (python/samestory/dask.py) both turn
// buckets into pairs with these functions, so the two find exactly the same candidates.
//
// A bucket is a run of documents with one key, in document order. Buckets up to `max_all_pairs`
// documents give every pair; larger ones (texts shared by very many documents) a star from the
// first document and a chain through consecutive ones, which keeps them connected at linear cost.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "base/radix_sort.h"

namespace samestory {

// A bucket entry in one 64-bit word: a 32-bit key in the high half, the document in the low half,
// so that sorting entries puts equal keys together with their documents in order.
inline uint64_t bucket_entry(uint32_t key, uint32_t doc) { return (static_cast<uint64_t>(key) << 32) | doc; }
inline uint32_t entry_key(uint64_t entry) { return static_cast<uint32_t>(entry >> 32); }
inline uint32_t entry_doc(uint64_t entry) { return static_cast<uint32_t>(entry); }

// Calls consider(a, b) for the pairs of one bucket (a before b in `docs`).
template <typename Fn>
void pair_bucket(const uint32_t* docs, size_t count, size_t max_all_pairs, Fn&& consider) {
  if (count <= max_all_pairs) {
    for (size_t a = 0; a < count; ++a) {
      for (size_t b = a + 1; b < count; ++b) consider(docs[a], docs[b]);
    }
  } else {
    for (size_t a = 1; a < count; ++a) {
      consider(docs[0], docs[a]);
      consider(docs[a - 1], docs[a]);
    }
  }
}

// Sorts entries by key; entries made in document order keep it within a key.
inline void sort_by_key(std::span<uint64_t> entries) {
  thread_local std::vector<uint64_t> scratch;
  radix_sort(entries, &scratch, 32);
}

// The entries of `parts` (which it empties) in one vector sorted by key, in parallel; within a key,
// entries keep the order of the parts and their order within each part.
std::vector<uint64_t> gather_sorted_by_key(std::vector<std::vector<uint64_t>>* parts);

// Calls fn(run, count) for each run of two or more entries with one key in sorted `entries`.
template <typename Fn>
void for_each_key_run(std::span<const uint64_t> entries, Fn&& fn) {
  const uint64_t* end = entries.data() + entries.size();
  for (const uint64_t* run = entries.data(); run < end;) {
    const uint64_t* stop = run + 1;
    while (stop < end && entry_key(*stop) == entry_key(*run)) ++stop;
    if (stop - run >= 2) fn(run, static_cast<size_t>(stop - run));
    run = stop;
  }
}

// Cuts sorted `entries` into about `parts` slices of similar size that never split a key's run:
// the slices' boundaries, from 0 to entries.size().
std::vector<size_t> key_run_slices(std::span<const uint64_t> entries, size_t parts);

// The key of a single signature value in the small-document buckets: a bijection of the 32-bit
// value, so equal keys are equal values.
inline uint32_t small_value_key(uint32_t v) { return v * 0x9E3779B1u; }
inline uint32_t small_value_of_key(uint32_t key) { return key * 0x0E8B2F51u; }  // the inverse

// A pair of documents as one sorted 64-bit key (smaller document in the high half).
inline uint64_t pair_key(uint32_t a, uint32_t b) {
  if (a > b) std::swap(a, b);
  return (static_cast<uint64_t>(a) << 32) | b;
}

// The distinct words in `parts` (which it empties), sorted; every word is below `bound` (for pair
// keys of N documents, N << 32). Words are spread over ranges of values and each range is sorted
// on its own, in parallel; the result does not depend on the thread count.
std::vector<uint64_t> sort_unique(std::vector<std::vector<uint64_t>>* parts, uint64_t bound);

}  // namespace samestory
