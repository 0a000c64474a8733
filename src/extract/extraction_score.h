// ExtractionScore: how well an extracted article body matches a person's, by the measure of the
// article-extraction benchmark (scrapinghub/article-extraction-benchmark).
//
// Both texts become word 4-gram shingles, counted with multiplicity; a word is a maximal run of
// Unicode letters, numbers and '_' (Python's \w), case kept. A page's true positives, false
// positives and false negatives are the shingle counts in both, only in the extraction, and only
// in the truth, normalised so that the three sum to 1; each page thus weighs the same. Over a set
// of pages, the normalised counts are summed, and precision = TP / (TP + FP), recall =
// TP / (TP + FN), F1 their harmonic mean. A text of fewer than four words has no shingles: a page
// whose truth and extraction both have none adds nothing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace samestory {

struct ShingleMatch {
  double tp = 0, fp = 0, fn = 0;  // normalised: they sum to 1, or are all 0

  double precision() const { return tp + fp > 0 ? tp / (tp + fp) : 0.0; }
  double recall() const { return tp + fn > 0 ? tp / (tp + fn) : 0.0; }
  double f1() const;
};

// Python's re.findall(r"\w+", text) over valid UTF-8.
std::vector<std::string_view> benchmark_words(std::string_view text);

ShingleMatch match_shingles(std::string_view extracted, std::string_view truth);

// What an extraction got wrong, for people: the first run of words it kept that the truth lacks,
// and the first run of the truth's words it missed (each at most `max_words` long; "" if none).
struct ExtractionDiff {
  std::string first_extra;
  std::string first_missed;
};
ExtractionDiff describe_difference(std::string_view extracted, std::string_view truth, size_t max_words = 12);

// The sum of many pages' matches.
struct ExtractionScore {
  ShingleMatch total;
  size_t pages = 0;
  void add(const ShingleMatch& m) {
    total.tp += m.tp;
    total.fp += m.fp;
    total.fn += m.fn;
    ++pages;
  }
};

}  // namespace samestory
