// Exact set similarity of two sorted, distinct hash sets (see sketch/shingle.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace samestory {

struct SetSimilarity {
  double jaccard = 0;        // |A ∩ B| / |A ∪ B|
  double a_in_b = 0;         // containment of A in B: |A ∩ B| / |A|
  double b_in_a = 0;         // |A ∩ B| / |B|
  uint32_t intersection = 0;
};

SetSimilarity set_similarity(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b);

}  // namespace samestory
