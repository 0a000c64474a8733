#include "sketch/minhash.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <limits>

namespace samestory {

namespace {
constexpr uint32_t kEmpty = std::numeric_limits<uint32_t>::max();
}

void MinHasher::sign(const uint64_t* shingles, size_t n, uint32_t* sig) const {
  const auto k = static_cast<uint64_t>(bins_);
  std::fill(sig, sig + bins_, kEmpty);
  if (n == 0) return;
  bool any_empty = false;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t h = shingles[i];
    const uint64_t bin = ((h >> 32) * k) >> 32;  // the top 32 bits, mapped onto [0, K)
    const auto value = static_cast<uint32_t>(h);
    sig[bin] = std::min(sig[bin], value);
  }
  for (int b = 0; b < bins_; ++b) any_empty = any_empty || sig[b] == kEmpty;
  if (!any_empty) return;
  // Optimal densification: an empty bin takes the value of the first non-empty bin that a hash of
  // (bin, attempt) lands on. Reads only bins that were filled by shingles.
  std::vector<uint32_t> filled(sig, sig + bins_);
  for (int b = 0; b < bins_; ++b) {
    if (filled[static_cast<size_t>(b)] != kEmpty) continue;
    for (uint64_t attempt = 1;; ++attempt) {
      const uint64_t seed[2] = {static_cast<uint64_t>(b), attempt};
      const uint64_t pick = (XXH3_64bits(seed, sizeof seed) >> 32) * k >> 32;
      if (filled[pick] != kEmpty) {
        sig[b] = filled[pick];
        break;
      }
    }
  }
}

double estimate_jaccard(const uint32_t* a, const uint32_t* b, int k) {
  int equal = 0;
  for (int i = 0; i < k; ++i) equal += a[i] == b[i];
  return static_cast<double>(equal) / k;
}

double containment_from_jaccard(double jaccard, uint32_t size_a, uint32_t size_b) {
  if (size_a == 0) return 0;
  const double inter = jaccard * (static_cast<double>(size_a) + size_b) / (1.0 + jaccard);
  return std::min(1.0, inter / size_a);
}

uint64_t band_key(const uint32_t* sig, int band, int rows) {
  return XXH3_64bits_withSeed(sig + static_cast<ptrdiff_t>(band) * rows, sizeof(uint32_t) * static_cast<size_t>(rows),
                              static_cast<uint64_t>(band));
}

}  // namespace samestory
