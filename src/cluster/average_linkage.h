// average_linkage: agglomerative clustering of a sparse similarity graph by average linkage.
//
// Two clusters merge while the average similarity over all pairs of their members, counting a pair
// without an edge as 0, is at least `threshold`; the most similar pair of clusters merges first.
// This is UPGMA (scikit-learn's average linkage) cut at 1 - threshold, computed on the edges only,
// so it costs O(E log E) rather than O(n^2).
//
// Guarantees: deterministic (ties broken by the clusters' smallest members); labels are dense,
// numbered in order of each cluster's smallest node.
#pragma once

#include <cstdint>
#include <vector>

namespace samestory {

struct SimilarityEdge {
  uint32_t a;
  uint32_t b;
  float similarity;
};

// `edges` may list a pair in both directions or more than once; the largest similarity counts.
std::vector<uint32_t> average_linkage(uint32_t nodes, std::vector<SimilarityEdge> edges, double threshold);

}  // namespace samestory
