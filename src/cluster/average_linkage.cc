#include "cluster/average_linkage.h"

#include <algorithm>
#include <limits>
#include <queue>
#include <unordered_map>
#include <utility>

namespace samestory {

namespace {

struct Candidate {
  double average;  // an upper bound on the pair's current average (exact when pushed)
  uint32_t a, b;   // clusters when pushed (a < b); resolved through `parent` when popped
};

struct CandidateOrder {
  bool operator()(const Candidate& x, const Candidate& y) const {
    if (x.average != y.average) return x.average < y.average;  // max-heap on average
    if (x.a != y.a) return x.a > y.a;
    return x.b > y.b;
  }
};

// Each cluster keeps the summed similarity to every cluster it has an edge with, keyed by the
// neighbour's current root. Merging moves the smaller map into the larger (and renames the key in
// each moved neighbour's map), so a node's entries move O(log n) times.
//
// Heap entries are not refreshed when a merge only grows a pair's size: that can only lower the
// pair's average, so the stale entry is an upper bound. A popped entry is recomputed; it merges if
// it still beats everything left in the heap, else it goes back with its true value.
class Linkage {
 public:
  explicit Linkage(uint32_t nodes) : parent_(nodes), size_(nodes, 1), sums_(nodes) {
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
    sums_[a][b] += s;
    sums_[b][a] += s;
  }

  void push_all() {
    for (uint32_t i = 0; i < sums_.size(); ++i) {
      for (const auto& [n, sum] : sums_[i]) {
        if (i < n) push(i, n, sum);
      }
    }
  }

  void run(double threshold) {
    while (!heap_.empty()) {
      const Candidate c = heap_.top();
      if (c.average < threshold) break;
      heap_.pop();
      const uint32_t a = find(c.a), b = find(c.b);
      if (a == b) continue;
      const auto it = sums_[a].find(b);
      if (it == sums_[a].end()) continue;
      const double average = it->second / (static_cast<double>(size_[a]) * size_[b]);
      if (average < threshold) continue;
      if (!heap_.empty() && average < heap_.top().average) {
        heap_.push({average, std::min(a, b), std::max(a, b)});
        continue;
      }
      merge(a, b);
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
    heap_.push({sum / (static_cast<double>(size_[a]) * size_[b]), a, b});
  }

  void merge(uint32_t a, uint32_t b) {
    // `keep` takes the larger map; `gone`'s entries move into it.
    uint32_t keep = a, gone = b;
    if (sums_[keep].size() < sums_[gone].size() || (sums_[keep].size() == sums_[gone].size() && gone < keep)) {
      std::swap(keep, gone);
    }
    parent_[gone] = keep;
    size_[keep] += size_[gone];
    std::unordered_map<uint32_t, double> moved;
    moved.swap(sums_[gone]);
    sums_[keep].erase(gone);
    for (const auto& [n, sum] : moved) {
      if (n == keep) continue;
      auto& theirs = sums_[n];
      theirs.erase(gone);
      const double total = (theirs[keep] += sum);
      sums_[keep][n] = total;
      push(keep, n, total);  // the sum grew: the old entry may now be too low
    }
  }

  std::vector<uint32_t> parent_;
  std::vector<uint32_t> size_;
  std::vector<std::unordered_map<uint32_t, double>> sums_;
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
  std::vector<SimilarityEdge>().swap(edges);
  linkage.push_all();
  linkage.run(threshold);
  return linkage.labels();
}

}  // namespace samestory
