#include "base/hash_set.h"

#include <gtest/gtest.h>

#include <random>
#include <unordered_set>

namespace samestory {
namespace {

TEST(U64HashSet, AgreesWithStdUnorderedSet) {
  U64HashSet set;
  std::unordered_set<uint64_t> reference;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200000; ++i) {
    // A small key range so that repeats are common; 0 included.
    const uint64_t key = rng() % 150000;
    EXPECT_EQ(set.insert(key), reference.insert(key).second) << key;
  }
  EXPECT_EQ(set.size(), reference.size());
  for (uint64_t k = 0; k < 160000; ++k) ASSERT_EQ(set.contains(k), reference.count(k) == 1) << k;
  EXPECT_LE(set.memory_bytes(), 4 * 8 * reference.size());
}

}  // namespace
}  // namespace samestory

namespace samestory {
namespace {

TEST(U64HashSet, ReserveKeepsEveryKeyAndRoomForMore) {
  U64HashSet set;
  set.insert(5);
  set.insert(9);
  set.reserve(100000);
  const size_t reserved = set.memory_bytes();
  EXPECT_GE(reserved, 100000u * 2 * sizeof(uint64_t));
  EXPECT_TRUE(set.contains(5));
  EXPECT_TRUE(set.contains(9));
  for (uint64_t k = 1; k <= 100000; ++k) set.insert(k * 0x9E3779B97F4A7C15ull);
  EXPECT_EQ(set.memory_bytes(), reserved);  // no rehash
  EXPECT_EQ(set.size(), 100002u);
}

}  // namespace
}  // namespace samestory
