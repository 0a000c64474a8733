// Clustering scores: how well predicted stories agree with gold labels.
//
// All the usual external measures, on the articles both sides label:
//   ARI    adjusted Rand index (Hubert and Arabie), 1 for identical partitions, ~0 for chance
//   AMI    adjusted mutual information, arithmetic-mean normalisation (scikit-learn's default);
//          NaN when both sides have so many clusters (> 4e7 pairs of clusters) that its expected
//          value would take minutes
//   pairwise precision, recall, F1 over pairs of articles put in one story
//   B-cubed precision, recall, F1 (Bagga and Baldwin), averaged over articles
// Guarantees: symmetric where the measure is (ARI, AMI); computed from the contingency table in
// O(n + cells), exact in double precision.
#pragma once

#include <cstdint>
#include <vector>

namespace samestory {

struct ClusteringScores {
  uint64_t articles = 0;
  uint64_t gold_clusters = 0;
  uint64_t predicted_clusters = 0;
  double ari = 0, ami = 0;
  double pair_precision = 0, pair_recall = 0, pair_f1 = 0;
  double bcubed_precision = 0, bcubed_recall = 0, bcubed_f1 = 0;
};

// gold[i] and predicted[i] label article i; labels are any 32-bit numbers.
ClusteringScores score_clustering(const std::vector<uint32_t>& gold, const std::vector<uint32_t>& predicted);

}  // namespace samestory
