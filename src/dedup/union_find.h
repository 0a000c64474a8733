// UnionFind: disjoint sets over 0..n-1 with path halving and union by size.
//
// Roots are arbitrary; callers that need an order number groups by their first member.
#pragma once

#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace samestory {

class UnionFind {
 public:
  explicit UnionFind(size_t n = 0) { reset(n); }
  void reset(size_t n) {
    parent_.resize(n);
    std::iota(parent_.begin(), parent_.end(), 0u);
    size_.assign(n, 1);
  }
  uint32_t find(uint32_t x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  // Returns true if a and b were in different sets.
  bool unite(uint32_t a, uint32_t b) {
    a = find(a);
    b = find(b);
    if (a == b) return false;
    if (size_[a] < size_[b]) std::swap(a, b);
    parent_[b] = a;
    size_[a] += size_[b];
    return true;
  }
  uint32_t set_size(uint32_t x) { return size_[find(x)]; }
  size_t size() const { return parent_.size(); }

 private:
  std::vector<uint32_t> parent_;
  std::vector<uint32_t> size_;
};

}  // namespace samestory
