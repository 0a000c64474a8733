#include "cluster/average_linkage.h"

#include <algorithm>
#include <bit>
#include <limits>
#include <unordered_map>
#include <utility>

#include "base/parallel_region.h"

namespace samestory {

namespace {

// A cluster's summed similarity to each neighbouring cluster: uint32 keys to doubles in one flat
// array (linear probing, deletion by backward shift). std::unordered_map allocated a node per
// entry, which made the allocator a good part of linking a million articles.
class NeighbourSums {
 public:
  double* find(uint32_t key) {
    if (slots_.empty()) return nullptr;
    for (size_t i = home(key);; i = next(i)) {
      if (slots_[i].key == key) return &slots_[i].sum;
      if (slots_[i].key == kEmpty) return nullptr;
    }
  }
  double& operator[](uint32_t key) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    for (size_t i = home(key);; i = next(i)) {
      if (slots_[i].key == key) return slots_[i].sum;
      if (slots_[i].key == kEmpty) {
        slots_[i] = {key, 0.0};
        ++size_;
        return slots_[i].sum;
      }
    }
  }
  void erase(uint32_t key) {
    if (slots_.empty()) return;
    size_t i = home(key);
    while (slots_[i].key != key) {
      if (slots_[i].key == kEmpty) return;
      i = next(i);
    }
    // Backward shift: move later entries of the probe run into the hole when their home allows.
    for (size_t j = next(i);; j = next(j)) {
      if (slots_[j].key == kEmpty) break;
      const size_t h = home(slots_[j].key);
      const bool movable = i <= j ? (h <= i || h > j) : (h <= i && h > j);
      if (movable) {
        slots_[i] = slots_[j];
        i = j;
      }
    }
    slots_[i].key = kEmpty;
    --size_;
  }
  size_t size() const { return size_; }
  // Room for `entries` without growing.
  void reserve(size_t entries) {
    size_t capacity = 8;
    while (capacity * 3 < entries * 4) capacity *= 2;
    if (capacity > slots_.size()) rehash(capacity);
  }
  template <typename F>
  void for_each(F&& f) const {
    for (const Slot& s : slots_) {
      if (s.key != kEmpty) f(s.key, s.sum);
    }
  }
  void swap(NeighbourSums& other) {
    slots_.swap(other.slots_);
    std::swap(size_, other.size_);
  }

 private:
  static constexpr uint32_t kEmpty = std::numeric_limits<uint32_t>::max();
  struct Slot {
    uint32_t key;
    double sum;
  };
  size_t home(uint32_t key) const { return (key * 0x9E3779B1u) >> shift_; }
  size_t next(size_t i) const { return (i + 1) & (slots_.size() - 1); }
  void grow() { rehash(slots_.empty() ? 8 : slots_.size() * 2); }
  void rehash(size_t capacity) {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(capacity, Slot{kEmpty, 0.0});
    shift_ = 32 - std::countr_zero(capacity);
    size_ = 0;
    for (const Slot& s : old) {
      if (s.key != kEmpty) (*this)[s.key] = s.sum;
    }
  }

  std::vector<Slot> slots_;
  size_t size_ = 0;
  int shift_ = 32;
};

// Each cluster keeps the summed similarity to every cluster it has an edge with, keyed by the
// neighbour's current representative. Merging moves the smaller map into the larger (and renames
// the key in each moved neighbour's map), so a node's entries move O(log n) times.
//
// Merges follow nearest-neighbour chains (Murtagh): from any cluster, step to its most similar
// neighbour until two clusters are each other's nearest, and merge those. Average linkage is
// reducible (a merged cluster is never more similar to a third than the closer of its parts), so
// this makes the same merges as always merging the globally most similar pair, without the
// priority queue: that queue kept re-surfacing pairs whose average had dropped as a cluster grew,
// and on a 171k-article component it popped 43M entries for 166k merges.
//
// The same property ends chains early: a cluster whose nearest neighbour is below the threshold
// can never reach it later, and neither can any cluster on the chain that led to it (similarity
// only rises along a chain), so all of them are finished.
class Linkage {
 public:
  Linkage(uint32_t nodes, double threshold)
      : threshold_(threshold), parent_(nodes), size_(nodes, 1), sums_(nodes), finished_(nodes, 0) {
    for (uint32_t i = 0; i < nodes; ++i) parent_[i] = i;
  }

  // Edges may repeat a pair, either way round; the largest similarity counts. Taking the maximum
  // as they come needs no sort, and leaves the sums the same whatever the edges' order.
  void add_edges(std::span<const SimilarityEdge> edges) {
    std::vector<uint32_t> degree(sums_.size(), 0);
    for (const SimilarityEdge& e : edges) {
      ++degree[e.a];
      ++degree[e.b];
    }
    for (size_t i = 0; i < sums_.size(); ++i) sums_[i].reserve(degree[i]);
    for (const SimilarityEdge& e : edges) {
      double& ab = sums_[e.a][e.b];
      if (static_cast<double>(e.similarity) > ab) ab = sums_[e.b][e.a] = e.similarity;
    }
  }

  void run() {
    // Chains start from every node, smallest first, and from every cluster a merge makes.
    std::vector<uint32_t> pending(parent_.size());
    for (uint32_t i = 0; i < pending.size(); ++i) pending[i] = static_cast<uint32_t>(pending.size()) - 1 - i;
    std::vector<uint32_t> chain;
    while (!pending.empty()) {
      const uint32_t start = pending.back();
      pending.pop_back();
      if (parent_[start] != start || finished_[start]) continue;
      chain.assign(1, start);
      while (!chain.empty()) {
        const uint32_t top = chain.back();
        const uint32_t previous = chain.size() >= 2 ? chain[chain.size() - 2] : kNone;
        const uint32_t nearest = nearest_neighbour(top, previous);
        if (nearest == kNone) {
          for (uint32_t c : chain) finished_[c] = 1;
          chain.clear();
        } else if (nearest == previous) {
          chain.pop_back();
          chain.pop_back();
          pending.push_back(merge(top, previous));
        } else {
          chain.push_back(nearest);
        }
      }
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
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

  uint32_t find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }

  // The cluster whose average similarity to `c` is highest and at least the threshold, or kNone.
  // Ties go to `previous` (so a chain cannot cycle), then to the smaller representative.
  uint32_t nearest_neighbour(uint32_t c, uint32_t previous) const {
    uint32_t best = kNone;
    double best_average = threshold_;
    const double size_c = size_[c];
    sums_[c].for_each([&](uint32_t n, double sum) {
      const double average = sum / (size_c * size_[n]);
      if (average < best_average) return;
      if (average == best_average && best != kNone) {
        if (best == previous || (n != previous && n > best)) return;
      }
      best = n;
      best_average = average;
    });
    return best;
  }

  // Returns the merged cluster's representative.
  uint32_t merge(uint32_t a, uint32_t b) {
    // `keep` takes the larger map; `gone`'s entries move into it.
    uint32_t keep = a, gone = b;
    if (sums_[keep].size() < sums_[gone].size() || (sums_[keep].size() == sums_[gone].size() && gone < keep)) {
      std::swap(keep, gone);
    }
    parent_[gone] = keep;
    size_[keep] += size_[gone];
    NeighbourSums moved;
    moved.swap(sums_[gone]);
    sums_[keep].erase(gone);
    moved.for_each([&](uint32_t n, double sum) {
      if (n == keep) return;
      NeighbourSums& theirs = sums_[n];
      theirs.erase(gone);
      const double total = (theirs[keep] += sum);
      sums_[keep][n] = total;
    });
    return keep;
  }

  double threshold_;
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> size_;
  std::vector<NeighbourSums> sums_;
  std::vector<uint8_t> finished_;
};

}  // namespace

std::vector<uint32_t> average_linkage(uint32_t nodes, std::span<const SimilarityEdge> edges, double threshold) {
  auto usable = [nodes](const SimilarityEdge& e) {
    return e.a != e.b && e.a < nodes && e.b < nodes && e.similarity > 0;  // NaN fails the last test
  };

  // Two clusters merge only if their average reaches the threshold, so some edge between them
  // does: every final cluster lies inside one component of the edges at or above the threshold.
  // The components are clustered independently (and in parallel); edges between them never count.
  std::vector<uint32_t> component(nodes);
  for (uint32_t i = 0; i < nodes; ++i) component[i] = i;
  auto find = [&](uint32_t x) {
    while (component[x] != x) {
      component[x] = component[component[x]];
      x = component[x];
    }
    return x;
  };
  for (const SimilarityEdge& e : edges) {
    if (!usable(e) || static_cast<double>(e.similarity) < threshold) continue;
    const uint32_t ra = find(e.a), rb = find(e.b);
    if (ra != rb) component[std::max(ra, rb)] = std::min(ra, rb);
  }
  for (uint32_t i = 0; i < nodes; ++i) component[i] = find(i);  // now the smallest node of each

  // Nodes and edges grouped by component, components in order of their smallest node.
  std::vector<uint32_t> index_of(nodes, 0);
  std::vector<uint32_t> size_of(nodes, 0);
  for (uint32_t i = 0; i < nodes; ++i) ++size_of[component[i]];
  std::vector<uint32_t> groups;  // components with two nodes or more
  for (uint32_t i = 0; i < nodes; ++i) {
    if (component[i] == i && size_of[i] > 1) groups.push_back(i);
  }
  std::vector<uint32_t> group_of(nodes, UINT32_MAX);
  for (uint32_t g = 0; g < groups.size(); ++g) group_of[groups[g]] = g;
  std::vector<std::vector<uint32_t>> members(groups.size());
  for (uint32_t i = 0; i < nodes; ++i) {
    const uint32_t g = group_of[component[i]];
    if (g == UINT32_MAX) continue;
    index_of[i] = static_cast<uint32_t>(members[g].size());
    members[g].push_back(i);
  }
  // Each component's edges in local numbering.
  std::vector<std::vector<SimilarityEdge>> group_edges(groups.size());
  for (const SimilarityEdge& e : edges) {
    if (!usable(e) || component[e.a] != component[e.b]) continue;
    const uint32_t a = index_of[e.a], b = index_of[e.b];
    group_edges[group_of[component[e.a]]].push_back({a, b, e.similarity});
  }

  // Each node's cluster, named by its smallest node.
  std::vector<uint32_t> cluster(nodes);
  for (uint32_t i = 0; i < nodes; ++i) cluster[i] = i;
  parallel_for_index(size_t{0}, groups.size(), [&](size_t g) {
    const std::vector<uint32_t>& m = members[g];
    std::vector<SimilarityEdge>& local_edges = group_edges[g];
    Linkage linkage(static_cast<uint32_t>(m.size()), threshold);
    linkage.add_edges(local_edges);
    std::vector<SimilarityEdge>().swap(local_edges);
    linkage.run();
    const std::vector<uint32_t> local = linkage.labels();  // dense, in order of smallest local node
    std::vector<uint32_t> smallest(m.size(), UINT32_MAX);
    for (size_t k = 0; k < m.size(); ++k) {
      if (smallest[local[k]] == UINT32_MAX) smallest[local[k]] = m[k];  // m is in node order
      cluster[m[k]] = smallest[local[k]];
    }
  });

  std::vector<uint32_t> label(nodes, UINT32_MAX), out(nodes);
  uint32_t next = 0;
  for (uint32_t i = 0; i < nodes; ++i) {
    const uint32_t c = cluster[i];
    if (label[c] == UINT32_MAX) label[c] = next++;
    out[i] = label[c];
  }
  return out;
}

}  // namespace samestory
