// BitFilter: a one-hash Bloom filter over well-mixed 64-bit keys, to skip lookups that miss.
//
// Sized at construction for an expected number of keys so that about 1 in 16 absent keys passes
// (a bit array of at least 16 bits a key, a power of two). may_contain() is one load from an
// array of a few MB, which stays in cache where a hash set of the same keys does not: checking a
// key that is almost never there costs a fraction of the set's lookup. Never a false negative.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace samestory {

class BitFilter {
 public:
  explicit BitFilter(size_t expected_keys) {
    const size_t bits = std::bit_ceil(std::max<size_t>(expected_keys * 16, 1 << 12));
    shift_ = 64 - std::countr_zero(bits);
    words_.assign(bits / 64, 0);
  }

  // Keys are used as their own hash: the top bits pick the bit.
  void insert(uint64_t key) {
    const uint64_t bit = key >> shift_;
    words_[bit >> 6] |= uint64_t{1} << (bit & 63);
  }
  // Asks for the word may_contain(key) reads, ahead of the call.
  void prefetch(uint64_t key) const { __builtin_prefetch(&words_[(key >> shift_) >> 6]); }
  bool may_contain(uint64_t key) const {
    const uint64_t bit = key >> shift_;
    return (words_[bit >> 6] >> (bit & 63)) & 1;
  }

 private:
  int shift_ = 52;
  std::vector<uint64_t> words_;
};

}  // namespace samestory
