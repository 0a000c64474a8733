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

// The textbook algorithm on a dense matrix: merge the most similar pair of clusters (average over
// all member pairs, a missing edge counting 0) while that average reaches the threshold.
std::vector<uint32_t> dense_average_linkage(uint32_t n, const std::vector<SimilarityEdge>& edges, double threshold) {
  std::vector<std::vector<double>> sim(n, std::vector<double>(n, 0.0));
  for (const SimilarityEdge& e : edges) {
    sim[e.a][e.b] = sim[e.b][e.a] = std::max<double>(sim[e.a][e.b], e.similarity);
  }
  std::vector<std::vector<uint32_t>> clusters(n);
  for (uint32_t i = 0; i < n; ++i) clusters[i] = {i};
  while (true) {
    double best = -1.0;
    size_t best_i = 0, best_j = 0;
    for (size_t i = 0; i < clusters.size(); ++i) {
      for (size_t j = i + 1; j < clusters.size(); ++j) {
        double sum = 0.0;
        for (uint32_t a : clusters[i]) {
          for (uint32_t b : clusters[j]) sum += sim[a][b];
        }
        const double average = sum / static_cast<double>(clusters[i].size() * clusters[j].size());
        if (average > best) {
          best = average;
          best_i = i;
          best_j = j;
        }
      }
    }
    if (best < threshold) break;
    clusters[best_i].insert(clusters[best_i].end(), clusters[best_j].begin(), clusters[best_j].end());
    clusters.erase(clusters.begin() + static_cast<std::ptrdiff_t>(best_j));
  }
  std::vector<uint32_t> cluster_of(n);
  for (uint32_t c = 0; c < clusters.size(); ++c) {
    for (uint32_t a : clusters[c]) cluster_of[a] = c;
  }
  std::vector<uint32_t> label(clusters.size(), UINT32_MAX), out(n);
  uint32_t next = 0;
  for (uint32_t i = 0; i < n; ++i) {
    if (label[cluster_of[i]] == UINT32_MAX) label[cluster_of[i]] = next++;
    out[i] = label[cluster_of[i]];
  }
  return out;
}

TEST(AverageLinkage, AgreesWithTheDenseAlgorithmOnRandomGraphs) {
  // Random similarities make ties unlikely, so the partition is unique. Small graphs catch the
  // corner cases (a merged cluster that must be revisited), larger ones chains of many merges.
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  for (int round = 0; round < 400; ++round) {
    const uint32_t n = round < 200 ? 3 + rng() % 6 : 10 + rng() % 50;
    const float density = 0.05f + 0.35f * u(rng);
    std::vector<SimilarityEdge> edges;
    for (uint32_t a = 0; a < n; ++a) {
      for (uint32_t b = a + 1; b < n; ++b) {
        if (u(rng) < density) edges.push_back({a, b, u(rng)});
      }
    }
    const double threshold = 0.05 + 0.4 * static_cast<double>(u(rng));
    ASSERT_EQ(average_linkage(n, edges, threshold), dense_average_linkage(n, edges, threshold))
        << "round " << round << ", " << n << " nodes, threshold " << threshold;
  }
}

TEST(AverageLinkage, LabelsAreDenseInOrderOfFirstMember) {
  const std::vector<SimilarityEdge> edges = {{1, 3, 0.9f}, {2, 4, 0.9f}};
  const auto labels = average_linkage(5, edges, 0.5);
  EXPECT_EQ(labels, (std::vector<uint32_t>{0, 1, 2, 1, 2}));
  EXPECT_TRUE(average_linkage(0, {}, 0.5).empty());
}

}  // namespace
}  // namespace samestory
