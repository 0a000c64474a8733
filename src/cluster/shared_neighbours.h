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

}  // namespace samestory
