// count_common: how many elements two sorted ranges of distinct values share.
//
// The merge walk behind set similarity in dedup (shingle sets), shared nearest neighbours in the
// stream clusterer and word overlap in story digests: one place for it. Linear in the sum of the
// sizes; both ranges must be sorted ascending, without repeats.
#pragma once

#include <cstddef>
#include <span>

namespace samestory {

template <typename T>
size_t count_common(std::span<const T> a, std::span<const T> b) {
  size_t common = 0;
  for (size_t i = 0, j = 0; i < a.size() && j < b.size();) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++common, ++i, ++j;
    }
  }
  return common;
}

}  // namespace samestory
