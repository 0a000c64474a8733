#include "base/bit_filter.h"

#include <gtest/gtest.h>

#include <random>

namespace samestory {
namespace {

TEST(BitFilter, NeverMissesAKeyAndPassesFewOthers) {
  std::mt19937_64 rng(11);
  std::vector<uint64_t> keys(65536);  // exactly 8 bits a key: the filter at its fullest
  for (auto& k : keys) k = rng();
  BitFilter filter(keys.size());
  for (uint64_t k : keys) filter.insert(k);
  for (uint64_t k : keys) ASSERT_TRUE(filter.may_contain(k));
  int passed = 0;
  const int trials = 200000;
  for (int i = 0; i < trials; ++i) passed += filter.may_contain(rng());
  // At least 8 bits a key, two of them set in one word: about 1 in 16 absent keys passes.
  EXPECT_LT(passed, trials / 12);
  EXPECT_GT(passed, 0);
}

}  // namespace
}  // namespace samestory
