#include "cluster/metrics.h"

#include <gtest/gtest.h>

namespace samestory {
namespace {

// Reference values from scikit-learn 1.2 (adjusted_rand_score, adjusted_mutual_info_score).
TEST(Metrics, MatchScikitLearnOnSmallPartitions) {
  struct Case {
    std::vector<uint32_t> gold, pred;
    double ari, ami;
  };
  const Case cases[] = {
      {{0, 0, 1, 1}, {0, 0, 1, 2}, 0.5714285714285714, 0.5714285714285715},
      {{0, 0, 0, 1, 1, 1, 2, 2, 2, 2}, {0, 0, 1, 1, 1, 2, 2, 2, 2, 2}, 0.460431654676259, 0.4666567782822791},
      {{1, 1, 2, 2, 3, 3}, {5, 5, 5, 6, 6, 6}, 0.24242424242424243, 0.29879245817088995},
  };
  for (const Case& c : cases) {
    const ClusteringScores s = score_clustering(c.gold, c.pred);
    EXPECT_NEAR(s.ari, c.ari, 1e-12);
    EXPECT_NEAR(s.ami, c.ami, 1e-9);
  }
}

TEST(Metrics, PairwiseAndBcubedByHand) {
  // gold {a,b} {c,d}; predicted {a,b} {c} {d}
  const ClusteringScores s = score_clustering({0, 0, 1, 1}, {0, 0, 1, 2});
  EXPECT_EQ(s.articles, 4u);
  EXPECT_EQ(s.gold_clusters, 2u);
  EXPECT_EQ(s.predicted_clusters, 3u);
  EXPECT_DOUBLE_EQ(s.pair_precision, 1.0);
  EXPECT_DOUBLE_EQ(s.pair_recall, 0.5);
  EXPECT_DOUBLE_EQ(s.bcubed_precision, 1.0);
  EXPECT_DOUBLE_EQ(s.bcubed_recall, 0.75);
  EXPECT_NEAR(s.bcubed_f1, 2 * 0.75 / 1.75, 1e-12);
}

TEST(Metrics, IdenticalPartitionsScoreOneWhateverTheLabels) {
  const ClusteringScores s = score_clustering({7, 7, 3, 3, 9}, {1, 1, 2, 2, 0});
  EXPECT_DOUBLE_EQ(s.ari, 1.0);
  EXPECT_NEAR(s.ami, 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(s.pair_f1, 1.0);
  EXPECT_DOUBLE_EQ(s.bcubed_f1, 1.0);
}

TEST(Metrics, EverythingInOneStoryHasNoPrecision) {
  const ClusteringScores s = score_clustering({0, 0, 1, 1, 2, 2}, {0, 0, 0, 0, 0, 0});
  EXPECT_NEAR(s.ari, 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(s.pair_recall, 1.0);
  EXPECT_NEAR(s.pair_precision, 3.0 / 15.0, 1e-12);
  EXPECT_NEAR(s.bcubed_precision, 1.0 / 3.0, 1e-12);
}

TEST(Metrics, EmptyInputScoresNothing) {
  const ClusteringScores s = score_clustering({}, {});
  EXPECT_EQ(s.articles, 0u);
}

}  // namespace
}  // namespace samestory
