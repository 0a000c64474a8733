// The sketch stage: compact fingerprints of a text for finding copies.
//
// What it offers:
//   shingle_hashes, shingle_set, sequence_hash, (sketch/shingle.h)  word n-grams as hashes, the
//   shingle_signature                           exact shingle set, a hash of the word sequence,
//                                               the signature straight from the tokens
//   MinHasher, estimate_jaccard, band_key       (sketch/minhash.h)  one-permutation MinHash
//                                               signatures and their LSH band keys
//
// What it guarantees: everything is a pure function of the normalised tokens, so the same text
// gives the same sketch on any machine and thread count.
#pragma once

#include "sketch/minhash.h"
#include "sketch/shingle.h"
