// MinHash signatures by one-permutation hashing with optimal densification.
//
// Each shingle hash is used once: its top bits pick one of K bins, its low 32 bits are the value,
// and each bin keeps its minimum (Li, Owen and Zhang 2012). Bins left empty (short texts) borrow
// the value of a non-empty bin chosen by a hash of the bin index and an attempt counter
// (Shrivastava 2017), so for any two sets, P[sig_a[i] == sig_b[i]] equals their Jaccard
// similarity, as with K independent permutations, at the cost of one pass over the shingles.
//
// Signatures are K uint32 values; a text with no shingle gets the all-ones signature, which
// matches nothing but other empty texts.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace samestory {

class MinHasher {
 public:
  explicit MinHasher(int num_bins);
  int num_bins() const { return bins_; }

  // Writes the signature of the shingle hashes [shingles, shingles + n) to sig[0..K).
  void sign(const uint64_t* shingles, size_t n, uint32_t* sig) const;

  // The same in steps, for hashes made one at a time (shingle_signature() in shingle.h):
  // start(sig), add(sig, h) for each of the n hashes, finish(sig, n).
  void start(uint32_t* sig) const { std::fill(sig, sig + bins_, kEmptyBin); }
  void add(uint32_t* sig, uint64_t h) const {
    const uint64_t bin = ((h >> 32) * static_cast<uint64_t>(bins_)) >> 32;  // the top 32 bits onto [0, K)
    sig[bin] = std::min(sig[bin], static_cast<uint32_t>(h));
  }
  void finish(uint32_t* sig, size_t n) const;

  static constexpr uint32_t kEmptyBin = 0xFFFFFFFFu;

 private:
  int bins_;
  // The first kTabledAttempts bins that densification tries for each empty bin, computed once
  // per K (shared by all hashers of that K): a short text leaves most bins empty, and hashing
  // (bin, attempt) for each try cost more than the rest of signing.
  static constexpr int kTabledAttempts = 128;
  // finish() for K <= 64, with the filled bins as the bits of one word.
  void finish_with_mask(uint32_t* sig) const;
  const uint16_t* picks_;
};

// The fraction of equal positions: an unbiased estimate of Jaccard similarity.
double estimate_jaccard(const uint32_t* a, const uint32_t* b, int k);

// Containment of A in B (|A ∩ B| / |A|) from a Jaccard estimate and the exact set sizes:
// |A ∩ B| = J (|A| + |B|) / (1 + J).
double containment_from_jaccard(double jaccard, uint32_t size_a, uint32_t size_b);

// The LSH key of band `band` (rows [band*rows, band*rows + rows)) of a signature.
uint64_t band_key(const uint32_t* sig, int band, int rows);

}  // namespace samestory
