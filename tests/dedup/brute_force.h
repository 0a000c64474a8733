// An exact, brute-force duplicate checker for tests and benchmarks: every pair of documents that
// shares at least one shingle gets its exact intersection counted (through an inverted index), so
// no pair above a threshold can be missed.
#pragma once

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "io/document.h"
#include "sketch/shingle.h"

namespace samestory::testing {

struct TruePair {
  uint32_t a, b;  // a < b
  double jaccard, a_in_b, b_in_a;
};

// All pairs with Jaccard >= j or containment of the smaller set in the larger >= c.
inline std::vector<TruePair> brute_force_pairs(const std::vector<std::vector<uint32_t>>& sets, double j, double c) {
  std::unordered_map<uint32_t, std::vector<uint32_t>> postings;
  for (uint32_t d = 0; d < sets.size(); ++d) {
    for (uint32_t s : sets[d]) postings[s].push_back(d);
  }
  std::vector<TruePair> out;
  std::vector<uint32_t> count(sets.size(), 0);
  std::vector<uint32_t> touched;
  for (uint32_t a = 0; a < sets.size(); ++a) {
    touched.clear();
    for (uint32_t s : sets[a]) {
      const auto& list = postings[s];
      for (auto it = std::upper_bound(list.begin(), list.end(), a); it != list.end(); ++it) {
        if (count[*it]++ == 0) touched.push_back(*it);
      }
    }
    for (uint32_t b : touched) {
      const double inter = count[b];
      count[b] = 0;
      const double sa = static_cast<double>(sets[a].size()), sb = static_cast<double>(sets[b].size());
      const TruePair p{a, b, inter / (sa + sb - inter), inter / sa, inter / sb};
      if (p.jaccard >= j || (sa <= sb ? p.a_in_b : p.b_in_a) >= c) out.push_back(p);
    }
  }
  return out;
}

// The shingle sets the deduplicator compares (text, or title for headline-only documents).
inline std::vector<std::vector<uint32_t>> shingle_sets(const std::vector<Document>& docs, int n = 5) {
  std::vector<std::vector<uint32_t>> sets(docs.size());
  std::vector<Token> tokens;
  for (size_t d = 0; d < docs.size(); ++d) {
    tokens.clear();
    tokenize(docs[d].text.empty() ? docs[d].title : docs[d].text, &tokens);
    shingle_set(tokens, n, &sets[d]);
  }
  return sets;
}

}  // namespace samestory::testing
