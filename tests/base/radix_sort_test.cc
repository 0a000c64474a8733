#include "base/radix_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace samestory {
namespace {

TEST(RadixSort, SortsLikeStdSort) {
  std::mt19937_64 rng(3);
  for (size_t n : {0, 1, 2, 17, 1000, 100000}) {
    std::vector<uint64_t> words(n), scratch;
    for (auto& w : words) w = rng() >> (rng() % 64);  // varied widths, so some digits are shared
    std::vector<uint64_t> expected = words;
    std::sort(expected.begin(), expected.end());
    radix_sort(words, &scratch);
    EXPECT_EQ(words, expected) << n;
  }
}

TEST(RadixSort, SortsByHighBitsOnlyAndKeepsTheOrderOfEqualOnes) {
  std::mt19937_64 rng(5);
  std::vector<uint64_t> words, scratch;
  // Keys from a small range in the high half, the input position in the low half.
  for (uint32_t i = 0; i < 50000; ++i) words.push_back((rng() % 300) << 32 | i);
  std::vector<uint64_t> expected = words;
  std::stable_sort(expected.begin(), expected.end(), [](uint64_t a, uint64_t b) { return (a >> 32) < (b >> 32); });
  radix_sort(words, &scratch, 32);
  EXPECT_EQ(words, expected);
}

TEST(RadixSort, SortsAPartOfAVectorInPlace) {
  std::vector<uint64_t> words = {9, 5, 4, 3, 2, 1, 0}, scratch;
  radix_sort(std::span<uint64_t>(words.data() + 1, 5), &scratch);
  EXPECT_EQ(words, (std::vector<uint64_t>{9, 1, 2, 3, 4, 5, 0}));
}

TEST(RadixSort, SortsThirtyTwoBitWordsLikeStdSort) {
  std::mt19937 rng(9);
  for (size_t n : {0, 1, 2, 17, 128, 1000, 100000}) {
    std::vector<uint32_t> words(n), scratch;
    // Varied widths (shared high digits) and repeats.
    for (auto& w : words) w = rng() % 3 == 0 ? 7 : rng() >> (rng() % 32);
    std::vector<uint32_t> expected = words;
    std::sort(expected.begin(), expected.end());
    radix_sort(std::span<uint32_t>(words), &scratch);
    EXPECT_EQ(words, expected) << n;
  }
  std::vector<uint32_t> same(300, 0xABCDEF01u), scratch;  // every digit shared
  radix_sort(std::span<uint32_t>(same), &scratch);
  EXPECT_EQ(same, std::vector<uint32_t>(300, 0xABCDEF01u));
}

}  // namespace
}  // namespace samestory
