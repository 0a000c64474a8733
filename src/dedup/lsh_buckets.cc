#include "dedup/lsh_buckets.h"

#include <array>

#include "base/parallel_region.h"

namespace samestory {

std::vector<size_t> key_run_slices(std::span<const uint64_t> entries, size_t parts) {
  std::vector<size_t> bounds{0};
  const size_t n = entries.size();
  for (size_t p = 1; p < parts; ++p) {
    size_t at = std::max(bounds.back(), n * p / parts);
    while (at > 0 && at < n && entry_key(entries[at]) == entry_key(entries[at - 1])) ++at;
    if (at > bounds.back() && at < n) bounds.push_back(at);
  }
  bounds.push_back(n);
  return bounds;
}

namespace {

constexpr size_t kRanges = 64;

// Gathers `parts` (emptying them) into one vector sorted by bits [low_bit, 64), with repeats
// removed if `unique`: words go to kRanges ranges by range_of() (which must not decrease as the
// sorted bits increase), parts in order within a range, and each range is sorted on its own, in
// parallel. The sort is stable, so the result does not depend on the thread count.
template <typename RangeOf>
std::vector<uint64_t> gather_sorted(std::vector<std::vector<uint64_t>>* parts, const RangeOf& range_of, int low_bit,
                                    bool unique) {
  const size_t np = parts->size();
  std::vector<std::array<size_t, kRanges>> at(np);
  parallel_for_index(size_t{0}, np, [&](size_t i) {
    at[i].fill(0);
    for (uint64_t w : (*parts)[i]) ++at[i][range_of(w)];
  });
  std::array<size_t, kRanges + 1> range_begin{};
  size_t total = 0;
  for (size_t r = 0; r < kRanges; ++r) {
    range_begin[r] = total;
    for (size_t i = 0; i < np; ++i) {
      const size_t count = at[i][r];
      at[i][r] = total;
      total += count;
    }
  }
  range_begin[kRanges] = total;
  std::vector<uint64_t> all(total);
  parallel_for_index(size_t{0}, np, [&](size_t i) {
    auto& next = at[i];
    for (uint64_t w : (*parts)[i]) all[next[range_of(w)]++] = w;
    std::vector<uint64_t>().swap((*parts)[i]);
  });
  std::array<size_t, kRanges> kept{};
  parallel_for_index(size_t{0}, kRanges, [&](size_t r) {
    thread_local std::vector<uint64_t> scratch;
    const std::span<uint64_t> range(all.data() + range_begin[r], range_begin[r + 1] - range_begin[r]);
    radix_sort(range, &scratch, low_bit);
    kept[r] = unique ? static_cast<size_t>(std::unique(range.begin(), range.end()) - range.begin()) : range.size();
  });
  if (!unique) return all;
  size_t out = 0;
  for (size_t r = 0; r < kRanges; ++r) {
    std::copy(all.begin() + static_cast<ptrdiff_t>(range_begin[r]),
              all.begin() + static_cast<ptrdiff_t>(range_begin[r] + kept[r]), all.begin() + static_cast<ptrdiff_t>(out));
    out += kept[r];
  }
  all.resize(out);
  return all;
}

}  // namespace

std::vector<uint64_t> sort_unique(std::vector<std::vector<uint64_t>>* parts, uint64_t bound) {
  const uint64_t per_range = bound / kRanges + 1;
  return gather_sorted(parts, [per_range](uint64_t w) { return static_cast<size_t>(w / per_range); }, 0, true);
}

std::vector<uint64_t> gather_sorted_by_key(std::vector<std::vector<uint64_t>>* parts) {
  static_assert(kRanges == 64);
  return gather_sorted(parts, [](uint64_t entry) { return static_cast<size_t>(entry >> 58); }, 32, false);
}

}  // namespace samestory
