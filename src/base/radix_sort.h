// radix_sort: a stable least-significant-digit radix sort of 64-bit words (and of 32-bit words,
// for small arrays).
//
// For the grouping the dedup stage does many times over: a million (key << 32 | document) entries
// a band, and millions of candidate pair keys. Sorting by 16-bit digits, and skipping a digit that
// every word shares, took 9 ms on a million entries where std::sort took 80 ms and Boost's
// spreadsort 36. Stable: words that compare equal on the sorted bits keep their order, so entries
// made in document order come out with each key's documents in order.
//
// Costs a scratch buffer of the input's size (kept in `scratch` for reuse).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace samestory {

// Sorts `words` by their bits [low_bit, 64) (low_bit a multiple of 16), stably.
inline void radix_sort(std::span<uint64_t> words, std::vector<uint64_t>* scratch, int low_bit = 0) {
  constexpr int kDigitBits = 16;
  constexpr size_t kDigits = size_t{1} << kDigitBits;
  const size_t n = words.size();
  if (n < 2) return;
  scratch->resize(n);
  std::vector<uint32_t> counts(kDigits);
  uint64_t* from = words.data();
  uint64_t* to = scratch->data();
  for (int shift = low_bit; shift < 64; shift += kDigitBits) {
    std::fill(counts.begin(), counts.end(), 0);
    for (size_t i = 0; i < n; ++i) ++counts[(from[i] >> shift) & (kDigits - 1)];
    if (counts[(from[0] >> shift) & (kDigits - 1)] == n) continue;  // all share this digit
    uint32_t sum = 0;
    for (auto& c : counts) {
      const uint32_t here = c;
      c = sum;
      sum += here;
    }
    for (size_t i = 0; i < n; ++i) to[counts[(from[i] >> shift) & (kDigits - 1)]++] = from[i];
    std::swap(from, to);
  }
  if (from != words.data()) std::copy(from, from + n, words.data());
}

// Sorts 32-bit words by 8-bit digits (four passes, one counting pass for all four): for the
// shingle sets of single documents, hundreds to thousands of words, where 16-bit digits would
// cost more in clearing counts than in sorting. Twice as fast as std::sort from a few hundred
// words up (sketch/shingle.cc measures).
inline void radix_sort(std::span<uint32_t> words, std::vector<uint32_t>* scratch) {
  const size_t n = words.size();
  if (n < 2) return;
  scratch->resize(n);
  uint32_t counts[4][256] = {};
  for (const uint32_t w : words) {
    ++counts[0][w & 0xFF];
    ++counts[1][(w >> 8) & 0xFF];
    ++counts[2][(w >> 16) & 0xFF];
    ++counts[3][w >> 24];
  }
  uint32_t* from = words.data();
  uint32_t* to = scratch->data();
  for (int digit = 0; digit < 4; ++digit) {
    const int shift = digit * 8;
    uint32_t* c = counts[digit];
    if (c[(from[0] >> shift) & 0xFF] == n) continue;  // all share this digit
    uint32_t sum = 0;
    for (int d = 0; d < 256; ++d) {
      const uint32_t here = c[d];
      c[d] = sum;
      sum += here;
    }
    for (size_t i = 0; i < n; ++i) to[c[(from[i] >> shift) & 0xFF]++] = from[i];
    std::swap(from, to);
  }
  if (from != words.data()) std::copy(from, from + n, words.data());
}

}  // namespace samestory
