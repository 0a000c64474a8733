#include "base/bit_filter.h"

#include <gtest/gtest.h>

#include <random>

namespace samestory {
namespace {

TEST(BitFilter, NeverMissesAKeyAndPassesFewOthers) {
  std::mt19937_64 rng(11);
  std::vector<uint64_t> keys(50000);
  for (auto& k : keys) k = rng();
  BitFilter filter(keys.size());
  for (uint64_t k : keys) filter.insert(k);
  for (uint64_t k : keys) ASSERT_TRUE(filter.may_contain(k));
  int passed = 0;
  const int trials = 200000;
  for (int i = 0; i < trials; ++i) passed += filter.may_contain(rng());
  // At least 16 bits a key: about 1 in 16 absent keys passes (1 - e^(-1/16) = 6%).
  EXPECT_LT(passed, trials / 12);
  EXPECT_GT(passed, 0);
}

}  // namespace
}  // namespace samestory
