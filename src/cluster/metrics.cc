#include "cluster/metrics.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace samestory {

namespace {

double pairs(double n) { return n * (n - 1) / 2; }
double f1(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0; }

// Dense 0..k-1 labels in order of first appearance.
std::vector<uint32_t> densify(const std::vector<uint32_t>& labels, uint64_t* count) {
  std::unordered_map<uint32_t, uint32_t> ids;
  std::vector<uint32_t> out(labels.size());
  for (size_t i = 0; i < labels.size(); ++i) {
    out[i] = ids.emplace(labels[i], static_cast<uint32_t>(ids.size())).first->second;
  }
  *count = ids.size();
  return out;
}

// Expected mutual information of two random partitions with these cluster sizes (Vinh et al.
// 2010), the term AMI subtracts.
double expected_mutual_information(const std::vector<double>& a, const std::vector<double>& b, double n) {
  const double lg_n = std::lgamma(n + 1);
  double emi = 0;
  for (double ai : a) {
    for (double bj : b) {
      const double lo = std::max(1.0, ai + bj - n);
      const double hi = std::min(ai, bj);
      for (double nij = lo; nij <= hi; nij += 1) {
        const double term1 = nij / n * std::log(n * nij / (ai * bj));
        const double log_p = std::lgamma(ai + 1) + std::lgamma(bj + 1) + std::lgamma(n - ai + 1) +
                             std::lgamma(n - bj + 1) - lg_n - std::lgamma(nij + 1) - std::lgamma(ai - nij + 1) -
                             std::lgamma(bj - nij + 1) - std::lgamma(n - ai - bj + nij + 1);
        emi += term1 * std::exp(log_p);
      }
    }
  }
  return emi;
}

double entropy(const std::vector<double>& sizes, double n) {
  double h = 0;
  for (double s : sizes) {
    if (s > 0) h -= s / n * std::log(s / n);
  }
  return h;
}

}  // namespace

ClusteringScores score_clustering(const std::vector<uint32_t>& gold_labels, const std::vector<uint32_t>& predicted_labels) {
  ClusteringScores s;
  const size_t n_items = std::min(gold_labels.size(), predicted_labels.size());
  s.articles = n_items;
  if (n_items == 0) return s;
  const std::vector<uint32_t> gold = densify(gold_labels, &s.gold_clusters);
  const std::vector<uint32_t> pred = densify(predicted_labels, &s.predicted_clusters);
  std::vector<double> a(s.gold_clusters, 0), b(s.predicted_clusters, 0);
  std::unordered_map<uint64_t, double> cells;
  for (size_t i = 0; i < n_items; ++i) {
    a[gold[i]] += 1;
    b[pred[i]] += 1;
    cells[(static_cast<uint64_t>(gold[i]) << 32) | pred[i]] += 1;
  }
  const auto n = static_cast<double>(n_items);

  double sum_cells = 0, sum_a = 0, sum_b = 0, mi = 0, bp = 0, br = 0;
  for (const auto& [key, nij] : cells) {
    const double ai = a[key >> 32], bj = b[key & 0xFFFFFFFFu];
    sum_cells += pairs(nij);
    mi += nij / n * std::log(n * nij / (ai * bj));
    bp += nij * nij / bj;
    br += nij * nij / ai;
  }
  for (double x : a) sum_a += pairs(x);
  for (double x : b) sum_b += pairs(x);

  const double expected = sum_a * sum_b / pairs(n);
  const double max_index = (sum_a + sum_b) / 2;
  s.ari = max_index == expected ? 1.0 : (sum_cells - expected) / (max_index - expected);

  const double ha = entropy(a, n), hb = entropy(b, n);
  if (s.gold_clusters == s.predicted_clusters && (s.gold_clusters == 1 || s.gold_clusters == n_items)) {
    s.ami = 1.0;  // both trivial and identical
  } else if (static_cast<double>(s.gold_clusters) * static_cast<double>(s.predicted_clusters) > 4e7) {
    s.ami = std::nan("");  // the expected mutual information would take too long to compute
  } else {
    const double emi = expected_mutual_information(a, b, n);
    const double denominator = (ha + hb) / 2 - emi;
    s.ami = std::abs(denominator) < 1e-15 ? 1.0 : (mi - emi) / denominator;
  }

  s.pair_precision = sum_b > 0 ? sum_cells / sum_b : 1.0;
  s.pair_recall = sum_a > 0 ? sum_cells / sum_a : 1.0;
  s.pair_f1 = f1(s.pair_precision, s.pair_recall);
  s.bcubed_precision = bp / n;
  s.bcubed_recall = br / n;
  s.bcubed_f1 = f1(s.bcubed_precision, s.bcubed_recall);
  return s;
}

}  // namespace samestory
