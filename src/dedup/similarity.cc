#include "dedup/similarity.h"

namespace samestory {

SetSimilarity set_similarity(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  SetSimilarity s;
  size_t i = 0, j = 0;
  uint32_t inter = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i] < b[j]) {
      ++i;
    } else if (b[j] < a[i]) {
      ++j;
    } else {
      ++inter;
      ++i;
      ++j;
    }
  }
  s.intersection = inter;
  const size_t uni = a.size() + b.size() - inter;
  s.jaccard = uni == 0 ? 0 : static_cast<double>(inter) / static_cast<double>(uni);
  s.a_in_b = a.empty() ? 0 : static_cast<double>(inter) / static_cast<double>(a.size());
  s.b_in_a = b.empty() ? 0 : static_cast<double>(inter) / static_cast<double>(b.size());
  return s;
}

}  // namespace samestory
