// Shared nearest neighbours: how a pair's cosine is tempered by the company the two keep.
//
// A pair of articles is one story when they are similar *and* their nearest neighbours overlap.
// An article with many moderate matches (a round-up, a follow-up mentioning several events) then
// stops bridging stories: its neighbours belong to different stories, so its pairs lose weight.
// Used by the batch and the stream clusterers alike, so both score a pair the same way.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace samestory {

// An article found similar to another, and their cosine.
struct Neighbour {
  uint32_t doc;
  float cosine;
};

// Elements common to two sorted arrays of `n` entries (UINT32_MAX pads unused slots).
inline uint32_t count_shared(const uint32_t* a, const uint32_t* b, uint32_t n) {
  uint32_t i = 0, j = 0, shared = 0;
  while (i < n && j < n) {
    if (a[i] == UINT32_MAX || b[j] == UINT32_MAX) break;
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++shared, ++i, ++j;
    }
  }
  return shared;
}

// sqrt(cosine x shared / (k + 1)); a cosine of at least `strong` (copy, re-run) stands alone.
inline float pair_similarity(float cosine, uint32_t shared, uint32_t k, float strong) {
  const float tempered = std::sqrt(cosine * static_cast<float>(shared) / static_cast<float>(k + 1));
  return cosine >= strong ? std::max(tempered, cosine) : tempered;
}

// An article's row for count_shared(): itself and its first k neighbours (most similar first in
// `neighbours`), sorted, padded with UINT32_MAX to k + 1 entries.
inline void near_row(uint32_t doc, const Neighbour* neighbours, size_t count, uint32_t k, uint32_t* row) {
  std::fill(row, row + k + 1, UINT32_MAX);
  row[0] = doc;
  const size_t take = std::min<size_t>(count, k);
  for (size_t p = 0; p < take; ++p) row[1 + p] = neighbours[p].doc;
  std::sort(row, row + k + 1);
}

}  // namespace samestory
