#include "cluster/average_linkage.h"

#include <algorithm>
#include <limits>
#include <queue>
#include <utility>

namespace samestory {

namespace {

struct Neighbour {
  uint32_t cluster;  // may be stale: resolved through `parent` when used
  double sum;        // sum of the edge similarities between the two clusters
};

struct Candidate {
  double average;
  uint32_t a, b;  // cluster roots, a < b by smallest member
  uint32_t version_a, version_b;
};

struct CandidateOrder {
  bool operator()(const Candidate& x, const Candidate& y) const {
    if (x.average != y.average) return x.average < y.average;  // max-heap on average
    if (x.a != y.a) return x.a > y.a;
    return x.b > y.b;
  }
};

class Linkage {
 public:
  explicit Linkage(uint32_t nodes) : parent_(nodes), size_(nodes, 1), version_(nodes, 0), adjacency_(nodes) {
    for (uint32_t i = 0; i < nodes; ++i) parent_[i] = i;
  }

  uint32_t find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }

  void add_edge(uint32_t a, uint32_t b, double s) {
    adjacency_[a].push_back({b, s});
    adjacency_[b].push_back({a, s});
  }

  void push_all() {
    for (uint32_t i = 0; i < adjacency_.size(); ++i) {
      for (const Neighbour& n : adjacency_[i]) {
        if (i < n.cluster) push(i, n.cluster, n.sum);
      }
    }
  }

  void run(double threshold) {
    while (!heap_.empty()) {
      const Candidate c = heap_.top();
      if (c.average < threshold) break;
      heap_.pop();
      if (parent_[c.a] != c.a || parent_[c.b] != c.b || version_[c.a] != c.version_a || version_[c.b] != c.version_b) {
        continue;
      }
      merge(c.a, c.b);
    }
  }

  std::vector<uint32_t> labels() {
    std::vector<uint32_t> label(parent_.size(), std::numeric_limits<uint32_t>::max());
    std::vector<uint32_t> out(parent_.size());
    uint32_t next = 0;
    for (uint32_t i = 0; i < parent_.size(); ++i) {
      const uint32_t r = find(i);
      if (label[r] == std::numeric_limits<uint32_t>::max()) label[r] = next++;
      out[i] = label[r];
    }
    return out;
  }

 private:
  void push(uint32_t a, uint32_t b, double sum) {
    if (a > b) std::swap(a, b);
    const double average = sum / (static_cast<double>(size_[a]) * size_[b]);
    heap_.push({average, a, b, version_[a], version_[b]});
  }

  // The smaller root survives, so a cluster is always named by its smallest node.
  void merge(uint32_t a, uint32_t b) {
    if (b < a) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
    ++version_[a];
    std::vector<Neighbour>& list = adjacency_[a];
    list.insert(list.end(), adjacency_[b].begin(), adjacency_[b].end());
    std::vector<Neighbour>().swap(adjacency_[b]);
    for (Neighbour& n : list) n.cluster = find(n.cluster);
    std::sort(list.begin(), list.end(), [](const Neighbour& x, const Neighbour& y) { return x.cluster < y.cluster; });
    size_t out = 0;
    for (const Neighbour& n : list) {
      if (n.cluster == a) continue;  // now inside the cluster
      if (out > 0 && list[out - 1].cluster == n.cluster) {
        list[out - 1].sum += n.sum;
      } else {
        list[out++] = n;
      }
    }
    list.resize(out);
    for (const Neighbour& n : list) push(a, n.cluster, n.sum);
  }

  std::vector<uint32_t> parent_;
  std::vector<uint32_t> size_;
  std::vector<uint32_t> version_;
  std::vector<std::vector<Neighbour>> adjacency_;
  std::priority_queue<Candidate, std::vector<Candidate>, CandidateOrder> heap_;
};

}  // namespace

std::vector<uint32_t> average_linkage(uint32_t nodes, std::vector<SimilarityEdge> edges, double threshold) {
  for (SimilarityEdge& e : edges) {
    if (e.a > e.b) std::swap(e.a, e.b);
  }
  std::sort(edges.begin(), edges.end(), [](const SimilarityEdge& x, const SimilarityEdge& y) {
    if (x.a != y.a) return x.a < y.a;
    if (x.b != y.b) return x.b < y.b;
    return x.similarity > y.similarity;
  });
  Linkage linkage(nodes);
  for (size_t i = 0; i < edges.size(); ++i) {
    const SimilarityEdge& e = edges[i];
    if (e.a == e.b || e.a >= nodes || e.b >= nodes) continue;
    if (i > 0 && edges[i - 1].a == e.a && edges[i - 1].b == e.b) continue;
    if (e.similarity > 0) linkage.add_edge(e.a, e.b, e.similarity);
  }
  linkage.push_all();
  linkage.run(threshold);
  return linkage.labels();
}

}  // namespace samestory
