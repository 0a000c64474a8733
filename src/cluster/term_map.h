// U32Map: a map from 32-bit keys to 32-bit counts in one flat array (open addressing).
//
// For document frequencies and term ids over millions of terms: 8 bytes a slot, at most half the
// slots used, no allocation per insert. Keys should be well mixed (hash-derived); 0 is not a key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace samestory {

class U32Map {
 public:
  // The value of `key`, or 0.
  uint32_t get(uint32_t key) const {
    if (slots_.empty()) return 0;
    const size_t mask = slots_.size() - 1;
    for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
      if (slots_[i].key == key) return slots_[i].value;
      if (slots_[i].key == 0) return 0;
    }
  }
  // The value of `key`, inserted as 0 if absent.
  uint32_t& operator[](uint32_t key) {
    if ((size_ + 1) * 2 > slots_.size()) grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
      if (slots_[i].key == key) return slots_[i].value;
      if (slots_[i].key == 0) {
        slots_[i].key = key;
        ++size_;
        return slots_[i].value;
      }
    }
  }
  template <typename F>
  void for_each(F&& f) const {
    for (const Slot& s : slots_) {
      if (s.key != 0) f(s.key, s.value);
    }
  }
  size_t size() const { return size_; }
  size_t memory_bytes() const { return slots_.capacity() * sizeof(Slot); }

 private:
  struct Slot {
    uint32_t key = 0;
    uint32_t value = 0;
  };
  static size_t mix(uint32_t k) { return static_cast<size_t>(k * 0x9E3779B1u); }
  void grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
    size_ = 0;
    for (const Slot& s : old) {
      if (s.key != 0) (*this)[s.key] = s.value;
    }
  }
  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace samestory
