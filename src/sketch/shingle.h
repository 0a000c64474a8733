// Shingles: the word n-grams of a token sequence, as hashes.
//
// A shingle's hash combines the normalised hashes of its n tokens in order, so two texts share a
// shingle exactly when they have the same n words in a row after normalisation (case, quotes,
// punctuation and spacing do not matter). A text with fewer than n tokens (but at least one) has
// one shingle: all of its tokens.
#pragma once

#include <cstdint>
#include <vector>

#include "sketch/minhash.h"
#include "text/tokenize.h"

namespace samestory {

// Appends the 64-bit hash of every shingle of `tokens`, in text order (repeats included). With
// `sequence`, also sets it to sequence_hash(tokens), computed in the same pass (the two hash
// chains overlap in the processor: cheaper than a second pass).
void shingle_hashes(const std::vector<Token>& tokens, int n, std::vector<uint64_t>* out,
                    uint64_t* sequence = nullptr);

// Signs the shingles of `tokens` straight into sig[0..K) (as hasher.sign() of shingle_hashes()
// would, without the vector of hashes in between) and returns how many there were; `sequence` as
// above.
size_t shingle_signature(const std::vector<Token>& tokens, int n, const MinHasher& hasher, uint32_t* sig,
                         uint64_t* sequence = nullptr);

// The set of shingles as sorted, distinct 32-bit hashes: the form exact Jaccard and containment
// are computed on. (Two different shingles of one pair of documents share a 32-bit hash with
// probability about |A||B|/2^32, a few in ten thousand for news articles.) `sequence` as above.
void shingle_set(const std::vector<Token>& tokens, int n, std::vector<uint32_t>* out, uint64_t* sequence = nullptr);

// A hash of the whole normalised token sequence: equal for texts with the same words in the same
// order (exact duplicates after normalisation).
uint64_t sequence_hash(const std::vector<Token>& tokens);

}  // namespace samestory
