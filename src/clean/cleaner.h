// Cleaner: removes boilerplate from one article and says why each piece went.
//
// Two sources of evidence, either of which may be absent:
//   rules   (rules.h)            generic phrasings: prompts, ads, share bars, captions, credits...
//   a model (boilerplate_model.h) what the corpus shows an outlet repeats across unrelated stories
// Rules run first, so an explanation names a rule whenever one applies. Bylines and datelines
// found by rules are moved to metadata rather than thrown away.
//
// Guarantees: every removed span is a byte range of the original text, in text order, disjoint;
// the cleaned text is the original with those spans cut out and the white space around the cuts
// tidied (no paragraph is merged with another, no blank-line runs are left); cleaning the same
// text with the same rules and model gives the same result on any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "clean/boilerplate_model.h"
#include "clean/rules.h"

namespace samestory {

struct RemovedSpan {
  uint32_t begin = 0;  // bytes of the original text
  uint32_t end = 0;
  std::string_view category;                   // a rule's category, or "repeated"
  const Rule* rule = nullptr;                  // the rule that matched (see also `layout`), or
  const BoilerplateEvidence* evidence = nullptr;  // the corpus evidence
  bool sentence = false;                       // evidence about a sentence, not a whole paragraph
  bool metadata = false;                       // byline or dateline: kept as metadata
  bool layout = false;                         // CleanerOptions::unpunctuated_lines decided
};

// The name explanations give to CleanerOptions::unpunctuated_lines.
inline constexpr std::string_view kUnpunctuatedLineReason = "unpunctuated-line";

struct CleanedText {
  std::string text;
  std::vector<RemovedSpan> removed;
  std::string byline;    // the bylines found, joined by "; "
  std::string dateline;  // the first dateline found
  uint64_t removed_bytes() const;
};

// Why a span went, in one line: "newsletter [newsletter-signup]", "caption [unpunctuated-line]",
// "repeated paragraph in 7 unrelated stories of herald.example".
std::string describe_removal(const RemovedSpan& r);

struct CleanerOptions {
  // Layout evidence no phrasing rule can see: in an article whose paragraphs mostly end like
  // sentences, a later one-line paragraph of 3-40 words that does not (no final . ! ? … or closing quote,
  // no link or @handle, not mostly numbers, not continued in lower case by the next paragraph) is a
  // photo caption, a related-article title or a video playlist entry.
  // Paragraphs before the first one that ends like a sentence (a headline, a standfirst, summary
  // bullets) are never judged this way.
  bool unpunctuated_lines = true;
  // ...when at least this share of the article's words are in paragraphs that end like sentences.
  double prose_share = 0.6;
};

class Cleaner {
 public:
  // Either may be null. They must outlive the Cleaner; `rules` must be compiled.
  Cleaner(const RuleSet* rules, const BoilerplateModel* model, CleanerOptions options = {})
      : rules_(rules), model_(model), options_(options) {}

  // Cleans `text` of an article from `outlet` into `out` (cleared first). Thread-safe.
  void clean(std::string_view text, std::string_view outlet, CleanedText* out) const;

 private:
  const RuleSet* rules_;
  const BoilerplateModel* model_;
  CleanerOptions options_;
};

}  // namespace samestory
