#include "sketch/minhash.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <map>
#include <memory>
#include <mutex>

namespace samestory {

namespace {

// The bin that densification tries at `attempt` (1, 2, ...) for empty bin `bin`.
inline uint64_t densification_pick(uint64_t bin, uint64_t attempt, uint64_t k) {
  const uint64_t seed[2] = {bin, attempt};
  return (XXH3_64bits(seed, sizeof seed) >> 32) * k >> 32;
}

// Tables of picks by K, built on first use and kept for the life of the process.
const uint16_t* densification_table(int bins, int attempts) {
  static std::mutex mutex;
  static std::map<int, std::unique_ptr<uint16_t[]>> tables;
  const std::lock_guard<std::mutex> lock(mutex);
  auto& table = tables[bins];
  if (!table) {
    const auto k = static_cast<uint64_t>(bins);
    table.reset(new uint16_t[static_cast<size_t>(bins) * static_cast<size_t>(attempts)]);
    for (uint64_t b = 0; b < k; ++b) {
      for (int a = 0; a < attempts; ++a) {
        table[b * static_cast<size_t>(attempts) + static_cast<size_t>(a)] =
            static_cast<uint16_t>(densification_pick(b, static_cast<uint64_t>(a) + 1, k));
      }
    }
  }
  return table.get();
}

}  // namespace

MinHasher::MinHasher(int num_bins) : bins_(num_bins) {
  // Bins are numbered in 16 bits in the table (the CLI allows up to 1024).
  assert(num_bins > 0 && num_bins <= 65536);
  picks_ = densification_table(num_bins, kTabledAttempts);
}

void MinHasher::sign(const uint64_t* shingles, size_t n, uint32_t* sig) const {
  start(sig);
  for (size_t i = 0; i < n; ++i) add(sig, shingles[i]);
  finish(sig, n);
}

void MinHasher::finish(uint32_t* sig, size_t n) const {
  const auto k = static_cast<uint64_t>(bins_);
  if (n == 0) return;
  bool any_empty = false;
  for (int b = 0; b < bins_; ++b) any_empty = any_empty || sig[b] == kEmptyBin;
  if (!any_empty) return;
  if (bins_ <= 64) {
    finish_with_mask(sig);
    return;
  }
  // Optimal densification: an empty bin takes the value of the first non-empty bin that a hash of
  // (bin, attempt) lands on. Reads only bins that were filled by shingles.
  thread_local std::vector<uint32_t> filled;
  filled.assign(sig, sig + bins_);
  for (int b = 0; b < bins_; ++b) {
    if (filled[static_cast<size_t>(b)] != kEmptyBin) continue;
    const uint16_t* picks = picks_ + static_cast<size_t>(b) * kTabledAttempts;
    bool found = false;
    for (int a = 0; a < kTabledAttempts; ++a) {
      if (filled[picks[a]] != kEmptyBin) {
        sig[b] = filled[picks[a]];
        found = true;
        break;
      }
    }
    for (uint64_t attempt = kTabledAttempts + 1; !found; ++attempt) {
      const uint64_t pick = densification_pick(static_cast<uint64_t>(b), attempt, k);
      if (filled[pick] != kEmptyBin) {
        sig[b] = filled[pick];
        found = true;
      }
    }
  }
}

void MinHasher::finish_with_mask(uint32_t* sig) const {
  // The same picks as finish(), with the filled bins as bits of one word: eight tries are tested
  // at once without a branch each. Short texts leave most bins empty, and the branch per try,
  // taken at random, made densification a tenth of sketching.
  uint64_t filled = 0;
  for (int b = 0; b < bins_; ++b) filled |= static_cast<uint64_t>(sig[b] != kEmptyBin) << b;
  for (uint64_t empty = ~filled & (bins_ == 64 ? ~uint64_t{0} : (uint64_t{1} << bins_) - 1); empty != 0;
       empty &= empty - 1) {
    const int b = std::countr_zero(empty);
    const uint16_t* picks = picks_ + static_cast<size_t>(b) * kTabledAttempts;
    int found = -1;
    for (int a = 0; a < kTabledAttempts && found < 0; a += 8) {
      unsigned hits = 0;
      for (int j = 0; j < 8; ++j) hits |= static_cast<unsigned>((filled >> picks[a + j]) & 1) << j;
      if (hits != 0) found = picks[a + std::countr_zero(hits)];
    }
    for (uint64_t attempt = kTabledAttempts + 1; found < 0; ++attempt) {
      const uint64_t pick = densification_pick(static_cast<uint64_t>(b), attempt, static_cast<uint64_t>(bins_));
      if ((filled >> pick) & 1) found = static_cast<int>(pick);
    }
    // Filled bins are never written here, so sig[found] is still the value a shingle put there.
    sig[b] = sig[found];
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
