#include "dedup/similarity.h"

#include "base/sorted_intersection.h"

namespace samestory {

SetSimilarity set_similarity(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  SetSimilarity s;
  const auto inter = static_cast<uint32_t>(count_common<uint32_t>(a, b));
  s.intersection = inter;
  const size_t uni = a.size() + b.size() - inter;
  s.jaccard = uni == 0 ? 0 : static_cast<double>(inter) / static_cast<double>(uni);
  s.a_in_b = a.empty() ? 0 : static_cast<double>(inter) / static_cast<double>(a.size());
  s.b_in_a = b.empty() ? 0 : static_cast<double>(inter) / static_cast<double>(b.size());
  return s;
}

}  // namespace samestory
