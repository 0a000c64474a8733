#include <gtest/gtest.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <random>
#include <set>

#include "sketch/minhash.h"
#include "sketch/shingle.h"

namespace samestory {
namespace {

std::vector<uint64_t> shingles_of(std::string_view text, int n = 5) {
  std::vector<Token> tokens;
  tokenize(text, &tokens);
  std::vector<uint64_t> out;
  shingle_hashes(tokens, n, &out);
  return out;
}

TEST(Shingles, CountsAndShortTexts) {
  EXPECT_EQ(shingles_of("one two three four five six seven").size(), 3u);
  EXPECT_EQ(shingles_of("just three words").size(), 1u);  // fewer than n: one shingle
  EXPECT_TRUE(shingles_of("").empty());
  EXPECT_TRUE(shingles_of(" -- ").empty());
}

TEST(Shingles, NormalisationMakesSpellingsMatch) {
  EXPECT_EQ(shingles_of("The Defence Secretary said on Tuesday: “We need it.”"),
            shingles_of("the defence secretary said on tuesday, \"we NEED it\""));
  EXPECT_NE(shingles_of("a b c d e"), shingles_of("a b c e d"));  // order matters
}

TEST(Shingles, SetIsSortedAndDistinctAndSequenceHashIsOrderSensitive) {
  std::vector<Token> tokens;
  tokenize("a b c d e a b c d e a b c d e", &tokens);
  std::vector<uint32_t> set;
  shingle_set(tokens, 5, &set);
  EXPECT_EQ(set.size(), 5u);  // 11 positions, 5 distinct
  EXPECT_TRUE(std::is_sorted(set.begin(), set.end()));
  std::vector<Token> other;
  tokenize("A, b. c d e a b c d e a b c d e", &other);
  EXPECT_EQ(sequence_hash(tokens), sequence_hash(other));
  other.clear();
  tokenize("b a c d e a b c d e a b c d e", &other);
  EXPECT_NE(sequence_hash(tokens), sequence_hash(other));
}

TEST(Shingles, SequenceComputedInTheSamePassIsSequenceHash) {
  std::mt19937_64 rng(3);
  for (size_t count = 0; count < 12; ++count) {
    std::vector<Token> tokens(count);
    for (Token& t : tokens) t.hash = rng();
    for (int n : {1, 2, 5, 7}) {
      std::vector<uint64_t> plain, fused;
      shingle_hashes(tokens, n, &plain);
      uint64_t sequence = 0;
      shingle_hashes(tokens, n, &fused, &sequence);
      EXPECT_EQ(plain, fused) << count << " tokens, n=" << n;
      EXPECT_EQ(sequence, sequence_hash(tokens)) << count << " tokens, n=" << n;
      std::vector<uint32_t> set, set_fused;
      sequence = 0;
      shingle_set(tokens, n, &set);
      shingle_set(tokens, n, &set_fused, &sequence);
      EXPECT_EQ(set, set_fused);
      EXPECT_EQ(sequence, sequence_hash(tokens));
    }
  }
}

TEST(MinHash, EstimatesAreUnbiased) {
  // Random sets with a known Jaccard similarity of 0.6: 300 shared, 100 only in each.
  std::mt19937_64 rng(42);
  const MinHasher hasher(64);
  double sum = 0;
  const int trials = 300;
  for (int t = 0; t < trials; ++t) {
    std::vector<uint64_t> a, b;
    for (int i = 0; i < 300; ++i) {
      const uint64_t x = rng();
      a.push_back(x);
      b.push_back(x);
    }
    for (int i = 0; i < 100; ++i) a.push_back(rng());
    for (int i = 0; i < 100; ++i) b.push_back(rng());
    std::vector<uint32_t> sa(64), sb(64);
    hasher.sign(a.data(), a.size(), sa.data());
    hasher.sign(b.data(), b.size(), sb.data());
    sum += estimate_jaccard(sa.data(), sb.data(), 64);
  }
  EXPECT_NEAR(sum / trials, 0.6, 0.02);
}

TEST(MinHash, DensificationFillsEveryBinOfShortTexts) {
  const MinHasher hasher(64);
  const std::vector<uint64_t> three = {0x1234567812345678ull, 0x9abcdef09abcdef0ull, 0x0fedcba90fedcba9ull};
  std::vector<uint32_t> sig(64), again(64);
  hasher.sign(three.data(), three.size(), sig.data());
  for (uint32_t v : sig) EXPECT_NE(v, 0xFFFFFFFFu);
  EXPECT_LE(std::set<uint32_t>(sig.begin(), sig.end()).size(), 3u);
  hasher.sign(three.data(), three.size(), again.data());
  EXPECT_EQ(sig, again);
  hasher.sign(nullptr, 0, sig.data());
  for (uint32_t v : sig) EXPECT_EQ(v, 0xFFFFFFFFu);
}

// The signature by its definition: each shingle's top 32 bits pick a bin, its low 32 bits compete
// for the minimum there; an empty bin b takes the value of the first filled bin among the picks
// of XXH3((b, 1)), XXH3((b, 2)), ... (signatures in stored models and indexes depend on this).
std::vector<uint32_t> reference_signature(const std::vector<uint64_t>& shingles, int bins) {
  const auto k = static_cast<uint64_t>(bins);
  std::vector<uint32_t> sig(static_cast<size_t>(bins), 0xFFFFFFFFu);
  for (uint64_t h : shingles) {
    auto& slot = sig[((h >> 32) * k) >> 32];
    slot = std::min(slot, static_cast<uint32_t>(h));
  }
  if (shingles.empty()) return sig;
  const std::vector<uint32_t> filled = sig;
  for (uint64_t b = 0; b < k; ++b) {
    for (uint64_t attempt = 1; filled[b] == 0xFFFFFFFFu; ++attempt) {
      const uint64_t seed[2] = {b, attempt};
      const uint64_t pick = (XXH3_64bits(seed, sizeof seed) >> 32) * k >> 32;
      if (filled[pick] != 0xFFFFFFFFu) {
        sig[b] = filled[pick];
        break;
      }
    }
  }
  return sig;
}

TEST(MinHash, SignatureStraightFromTokensIsTheSignatureOfTheShingles) {
  std::mt19937_64 rng(13);
  for (size_t count : {0, 1, 3, 4, 5, 6, 40, 700}) {
    std::vector<Token> tokens(count);
    for (Token& t : tokens) t.hash = rng();
    for (int bins : {16, 64}) {
      const MinHasher hasher(bins);
      std::vector<uint64_t> shingles;
      shingle_hashes(tokens, 5, &shingles);
      std::vector<uint32_t> expected(static_cast<size_t>(bins)), direct(static_cast<size_t>(bins));
      hasher.sign(shingles.data(), shingles.size(), expected.data());
      uint64_t sequence = 0;
      EXPECT_EQ(shingle_signature(tokens, 5, hasher, direct.data(), &sequence), shingles.size());
      EXPECT_EQ(direct, expected) << count << " tokens";
      EXPECT_EQ(sequence, sequence_hash(tokens));
    }
  }
}

TEST(MinHash, TabledDensificationGivesTheDefinedSignature) {
  std::mt19937_64 rng(11);
  for (int bins : {1, 8, 63, 64, 200, 1024}) {
    const MinHasher hasher(bins);
    // One shingle leaves all but one bin empty: many lookups run past the table.
    for (size_t n : {1, 2, 3, 5, 20, 100, 2000}) {
      for (int trial = 0; trial < 5; ++trial) {
        std::vector<uint64_t> shingles(n);
        for (auto& h : shingles) h = rng();
        std::vector<uint32_t> sig(static_cast<size_t>(bins));
        hasher.sign(shingles.data(), n, sig.data());
        EXPECT_EQ(sig, reference_signature(shingles, bins)) << bins << " bins, " << n << " shingles";
      }
    }
  }
}

TEST(MinHash, ContainmentFromJaccardAndBandKeys) {
  // A (100) inside B (400): J = 100/400 = 0.25, so containment of A in B is 1.
  EXPECT_NEAR(containment_from_jaccard(0.25, 100, 400), 1.0, 1e-9);
  EXPECT_NEAR(containment_from_jaccard(0.25, 400, 100), 0.25, 1e-9);
  std::vector<uint32_t> sig(64, 7);
  EXPECT_NE(band_key(sig.data(), 0, 2), band_key(sig.data(), 1, 2));  // same rows, different band
}

}  // namespace
}  // namespace samestory
