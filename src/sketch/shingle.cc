#include "sketch/shingle.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <span>

#include "base/radix_sort.h"

namespace samestory {

namespace {

// Mixes a running shingle hash with one more token hash (order-sensitive).
inline uint64_t mix(uint64_t h, uint64_t token) {
  h ^= token + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  return h * 0xBF58476D1CE4E5B9ull;
}

inline uint64_t finish(uint64_t h) {
  h ^= h >> 31;
  h *= 0x94D049BB133111EBull;
  h ^= h >> 29;
  return h;
}

inline uint64_t sequence_start(size_t token_count) { return 0x243F6A8885A308D3ull ^ token_count; }

// Calls emit(hash) for each shingle, and, if kSequence, computes the sequence hash in the same loop.
template <bool kSequence, typename Emit>
void shingle_pass(const std::vector<Token>& tokens, int n, const Emit& emit, uint64_t* sequence) {
  const size_t count = tokens.size();
  uint64_t seq = sequence_start(count);
  if (count == 0) {
    if (kSequence) *sequence = finish(seq);
    return;
  }
  const auto width = static_cast<size_t>(std::max(1, n));
  if (count < width) {
    uint64_t h = 0;
    for (const Token& t : tokens) {
      h = mix(h, t.hash);
      if (kSequence) seq = mix(seq, t.hash);
    }
    emit(finish(h));
    if (kSequence) *sequence = finish(seq);
    return;
  }
  // A rolling polynomial hash of the window's token hashes (mod 2^64), finished by a mixer: two
  // multiplications per shingle instead of one mixing round per token of the window.
  constexpr uint64_t kBase = 0x100000001B3ull * 2 + 1;
  uint64_t top = 1;  // kBase^(width-1)
  for (size_t k = 1; k < width; ++k) top *= kBase;
  uint64_t h = 0;
  for (size_t k = 0; k < width; ++k) {
    h = h * kBase + tokens[k].hash;
    if (kSequence) seq = mix(seq, tokens[k].hash);
  }
  emit(finish(h));
  for (size_t i = width; i < count; ++i) {
    h = (h - tokens[i - width].hash * top) * kBase + tokens[i].hash;
    if (kSequence) seq = mix(seq, tokens[i].hash);
    emit(finish(h));
  }
  if (kSequence) *sequence = finish(seq);
}

// shingle_pass with the sequence hash only when `sequence` asks for it.
template <typename Emit>
void shingles_to(const std::vector<Token>& tokens, int n, const Emit& emit, uint64_t* sequence) {
  if (sequence != nullptr) {
    shingle_pass<true>(tokens, n, emit, sequence);
  } else {
    shingle_pass<false>(tokens, n, emit, nullptr);
  }
}

}  // namespace

void shingle_hashes(const std::vector<Token>& tokens, int n, std::vector<uint64_t>* out, uint64_t* sequence) {
  const size_t width = static_cast<size_t>(std::max(1, n));
  out->reserve(out->size() + (tokens.size() >= width ? tokens.size() - width + 1 : 1));
  shingles_to(tokens, n, [out](uint64_t h) { out->push_back(h); }, sequence);
}

size_t shingle_signature(const std::vector<Token>& tokens, int n, const MinHasher& hasher, uint32_t* sig,
                         uint64_t* sequence) {
  size_t count = 0;
  hasher.start(sig);
  shingles_to(
      tokens, n,
      [&](uint64_t h) {
        hasher.add(sig, h);
        ++count;
      },
      sequence);
  hasher.finish(sig, count);
  return count;
}

void shingle_set(const std::vector<Token>& tokens, int n, std::vector<uint32_t>* out, uint64_t* sequence) {
  thread_local std::vector<uint64_t> hashes;
  hashes.clear();
  shingle_hashes(tokens, n, &hashes, sequence);
  out->clear();
  out->reserve(hashes.size());
  for (uint64_t h : hashes) out->push_back(static_cast<uint32_t>(h >> 32));
  // Radix from a hundred-odd words up: std::sort of hashes (random order, every comparison a
  // coin toss for the branch predictor) took 5 us for 200 words, the radix sort 1.4 us.
  if (out->size() >= 128) {
    thread_local std::vector<uint32_t> scratch;
    radix_sort(std::span<uint32_t>(*out), &scratch);
  } else {
    std::sort(out->begin(), out->end());
  }
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

uint64_t sequence_hash(const std::vector<Token>& tokens) {
  // Token hashes are already XXH3 outputs: mixing them in order is enough, and much cheaper than
  // XXH3's streaming interface eight bytes at a time.
  uint64_t h = sequence_start(tokens.size());
  for (const Token& t : tokens) h = mix(h, t.hash);
  return finish(h);
}

}  // namespace samestory
