// U64HashSet: a set of 64-bit hashes in one flat array (open addressing, linear probing).
//
// For tracking millions of ids or fingerprints: 8 bytes a slot, at most half the slots used, so
// 8-16 bytes per element against ~40 for std::unordered_set, and no allocation per insert. The
// keys should already be well mixed (xxHash outputs); they are used as their own hash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace samestory {

class U64HashSet {
 public:
  // Inserts `key`; returns false if it was already there.
  bool insert(uint64_t key) {
    if (key == 0) {  // 0 marks an empty slot, so it is tracked apart
      const bool fresh = !has_zero_;
      has_zero_ = true;
      size_ += fresh;
      return fresh;
    }
    if ((size_ + 1) * 2 > slots_.size()) grow();
    if (!place(key)) return false;
    ++size_;
    return true;
  }

  bool contains(uint64_t key) const {
    if (key == 0) return has_zero_;
    if (slots_.empty()) return false;
    const size_t mask = slots_.size() - 1;
    for (size_t i = key & mask;; i = (i + 1) & mask) {
      if (slots_[i] == key) return true;
      if (slots_[i] == 0) return false;
    }
  }

  // Asks for the slot where a lookup of `key` starts, ahead of insert() or contains(): a set of
  // millions of keys misses the cache on nearly every call.
  void prefetch(uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[key & (slots_.size() - 1)]);
  }

  // Makes room for `count` keys in all, so inserting them never rehashes.
  void reserve(size_t count) {
    size_t slots = slots_.empty() ? 1024 : slots_.size();
    while (count * 2 > slots) slots *= 2;
    if (slots > slots_.size()) grow_to(slots);
  }

  size_t size() const { return size_; }
  size_t memory_bytes() const { return slots_.capacity() * sizeof(uint64_t); }

 private:
  bool place(uint64_t key) {
    const size_t mask = slots_.size() - 1;
    for (size_t i = key & mask;; i = (i + 1) & mask) {
      if (slots_[i] == key) return false;
      if (slots_[i] == 0) {
        slots_[i] = key;
        return true;
      }
    }
  }
  void grow() { grow_to(slots_.empty() ? 1024 : slots_.size() * 2); }
  void grow_to(size_t slots) {
    std::vector<uint64_t> old;
    old.swap(slots_);
    slots_.assign(slots, 0);
    for (uint64_t k : old) {
      if (k != 0) place(k);
    }
  }

  std::vector<uint64_t> slots_;
  size_t size_ = 0;
  bool has_zero_ = false;
};

}  // namespace samestory
