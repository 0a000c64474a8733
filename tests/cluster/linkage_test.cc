#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "cluster/average_linkage.h"

namespace samestory {
namespace {

std::vector<SimilarityEdge> clique(uint32_t first, uint32_t size, float s) {
  std::vector<SimilarityEdge> e;
  for (uint32_t a = first; a < first + size; ++a) {
    for (uint32_t b = a + 1; b < first + size; ++b) e.push_back({a, b, s});
  }
  return e;
}

TEST(AverageLinkage, TwoCliquesJoinedByOneEdgeStayTwo) {
  std::vector<SimilarityEdge> edges = clique(0, 4, 0.8f);
  const auto second = clique(4, 4, 0.7f);
  edges.insert(edges.end(), second.begin(), second.end());
  edges.push_back({3, 4, 0.5f});  // one bridge, weaker than the cliques: average over 16 pairs 0.03
  const auto labels = average_linkage(8, edges, 0.15);
  for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ(labels[i], 0u);
  for (uint32_t i = 4; i < 8; ++i) EXPECT_EQ(labels[i], 1u);
}

TEST(AverageLinkage, MergesWhenTheAverageReachesTheThreshold) {
  // {0,1} at 1.0, then 2 joins with sims 0.5 and 0.3: average 0.4.
  const std::vector<SimilarityEdge> edges = {{0, 1, 1.0f}, {0, 2, 0.5f}, {1, 2, 0.3f}};
  EXPECT_EQ(average_linkage(3, edges, 0.4), (std::vector<uint32_t>{0, 0, 0}));
  EXPECT_EQ(average_linkage(3, edges, 0.41), (std::vector<uint32_t>{0, 0, 1}));
}

TEST(AverageLinkage, MissingPairsCountAsZero) {
  // A chain 0-1-2 at 0.6: {0,1} forms, then 2 averages (0 + 0.6) / 2 = 0.3 against it.
  const std::vector<SimilarityEdge> edges = {{0, 1, 0.6f}, {1, 2, 0.6f}};
  EXPECT_EQ(average_linkage(3, edges, 0.35), (std::vector<uint32_t>{0, 0, 1}));
  EXPECT_EQ(average_linkage(3, edges, 0.3), (std::vector<uint32_t>{0, 0, 0}));
}

TEST(AverageLinkage, SameResultWhateverTheEdgeOrderAndDirection) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  std::vector<SimilarityEdge> edges;
  for (uint32_t a = 0; a < 60; ++a) {
    for (uint32_t b = a + 1; b < 60; ++b) {
      if (u(rng) < 0.2f) edges.push_back({a, b, u(rng)});
    }
  }
  const auto reference = average_linkage(60, edges, 0.3);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(edges.begin(), edges.end(), rng);
    for (SimilarityEdge& e : edges) {
      if (u(rng) < 0.5f) std::swap(e.a, e.b);
    }
    EXPECT_EQ(average_linkage(60, edges, 0.3), reference);
  }
}

TEST(AverageLinkage, LabelsAreDenseInOrderOfFirstMember) {
  const auto labels = average_linkage(5, {{1, 3, 0.9f}, {2, 4, 0.9f}}, 0.5);
  EXPECT_EQ(labels, (std::vector<uint32_t>{0, 1, 2, 1, 2}));
  EXPECT_TRUE(average_linkage(0, {}, 0.5).empty());
}

}  // namespace
}  // namespace samestory
