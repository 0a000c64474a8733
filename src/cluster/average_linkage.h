// average_linkage: agglomerative clustering of a sparse similarity graph by average linkage.
//
// Two clusters merge while the average similarity over all pairs of their members, counting a pair
// without an edge as 0, is at least `threshold`; the most similar pair of clusters merges first.
// This is UPGMA (scikit-learn's average linkage) cut at 1 - threshold, computed on the edges only:
// nearest-neighbour chains over per-cluster neighbour sums, so it never touches a pair without an
// edge and costs about O(E log n).
//
// Guarantees: the same partition as merging the globally most similar pair first (average linkage
// is reducible); deterministic (ties go to the smaller cluster representative); labels are dense,
// numbered in order of each cluster's smallest node.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace samestory {

struct SimilarityEdge {
  uint32_t a;
  uint32_t b;
  float similarity;
};

// `edges` may list a pair in both directions or more than once; the largest similarity counts.
// Edges with a node out of range, from a node to itself, or a similarity not above 0 are ignored.
std::vector<uint32_t> average_linkage(uint32_t nodes, std::span<const SimilarityEdge> edges, double threshold);

}  // namespace samestory
