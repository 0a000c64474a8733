#include "extract/extraction_score.h"

#include <utf8proc.h>
#include <xxhash.h>

#include <algorithm>
#include <unordered_map>

#include "base/utf8.h"

namespace samestory {

namespace {

bool is_word_char(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_';
  }
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
      return true;
    default:
      return false;
  }
}

uint64_t shingle_key(const std::vector<std::string_view>& words, size_t i) {
  uint64_t h = 0;
  for (size_t k = 0; k < 4; ++k) h = XXH3_64bits_withSeed(words[i + k].data(), words[i + k].size(), h + k);
  return h;
}

// The first run of `words` whose shingles `other` lacks, as text.
std::string first_unmatched_run(const std::vector<std::string_view>& words,
                                const std::unordered_map<uint64_t, uint32_t>& other, size_t max_words) {
  // Shingles [first, last) are unmatched: their words are first .. last + 2.
  size_t first = 0;
  while (first + 4 <= words.size() && other.count(shingle_key(words, first)) != 0) ++first;
  if (first + 4 > words.size()) return {};
  size_t last = first + 1;
  while (last + 4 <= words.size() && other.count(shingle_key(words, last)) == 0) ++last;
  std::string run;
  for (size_t w = first; w < std::min({last + 3, words.size(), first + max_words}); ++w) {
    if (!run.empty()) run.push_back(' ');
    run.append(words[w]);
  }
  return run;
}

// Shingle -> count. Shingles are keyed by a 64-bit hash of their words: at the sizes of article
// bodies a collision is vanishingly rare and would shift a score by one shingle.
std::unordered_map<uint64_t, uint32_t> shingles(std::string_view text) {
  const std::vector<std::string_view> words = benchmark_words(text);
  std::unordered_map<uint64_t, uint32_t> counts;
  if (words.size() < 4) return counts;
  counts.reserve(words.size());
  for (size_t i = 0; i + 4 <= words.size(); ++i) {
    ++counts[shingle_key(words, i)];
  }
  return counts;
}

}  // namespace

double ShingleMatch::f1() const {
  const double p = precision(), r = recall();
  return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

std::vector<std::string_view> benchmark_words(std::string_view text) {
  std::vector<std::string_view> words;
  size_t i = 0, start = 0;
  bool in_word = false;
  while (i < text.size()) {
    const size_t at = i;
    const char32_t cp = decode_utf8(text, i);
    const bool w = is_word_char(cp);
    if (w && !in_word) start = at;
    if (!w && in_word) words.push_back(text.substr(start, at - start));
    in_word = w;
  }
  if (in_word) words.push_back(text.substr(start));
  return words;
}

ExtractionDiff describe_difference(std::string_view extracted, std::string_view truth, size_t max_words) {
  ExtractionDiff diff;
  diff.first_extra = first_unmatched_run(benchmark_words(extracted), shingles(truth), max_words);
  diff.first_missed = first_unmatched_run(benchmark_words(truth), shingles(extracted), max_words);
  return diff;
}

ShingleMatch match_shingles(std::string_view extracted, std::string_view truth) {
  const auto got = shingles(extracted), want = shingles(truth);
  double tp = 0, fp = 0, fn = 0;
  for (const auto& [key, n] : got) {
    auto it = want.find(key);
    const uint32_t m = it == want.end() ? 0 : it->second;
    tp += std::min(n, m);
    fp += n > m ? n - m : 0;
  }
  for (const auto& [key, m] : want) {
    auto it = got.find(key);
    const uint32_t n = it == got.end() ? 0 : it->second;
    fn += m > n ? m - n : 0;
  }
  ShingleMatch match;
  const double sum = tp + fp + fn;
  if (sum > 0) match = {tp / sum, fp / sum, fn / sum};
  return match;
}

}  // namespace samestory
