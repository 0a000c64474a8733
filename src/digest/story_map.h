// build_story_map: the main job's pipeline over a corpus held in memory —
//   clean (learn the corpus's boilerplate, then rules + model) → quotes → dedup (on cleaned text)
//   → cluster (batch) → digest each story (align within it, relations, shares, quotes).
//
// Shared copy is the strongest evidence of one story, so two kinds of it override the term
// vectors:
//   duplicate groups stay whole: an exact, near or contained copy lands in its representative's
//     story;
//   copy links: two articles from different outlets sharing at least `link_share` of the smaller
//     one's 8-word sequences (estimated on a 1-in-4 sample of them) put their stories together —
//     the seeds, which share long passages but only 0.2 of their 5-grams, and whose few words a
//     tiny corpus cannot weigh. Sequences carried by more than `link_max_articles` articles are
//     stock phrases, not copy, and are ignored; same-outlet pairs are left to the clusterer, as
//     what one outlet repeats is mostly its own boilerplate.
//
// Memory: the documents and their cleaned texts (about three times the corpus's text), plus what
// dedup and cluster keep per article (docs/ARCHITECTURE.md gives the figures); `samestory run`
// checks 100,000 articles stay well under 4 GB.
//
// Guarantees: every input document is in `articles` and in exactly one story; the result is the
// same for any thread count (work is parallel per article and per story, merged in order).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "clean/clean.h"
#include "cluster/story_clusterer.h"
#include "dedup/deduplicator.h"
#include "digest/quotes.h"
#include "digest/story_digest.h"
#include "io/document.h"

namespace samestory {

struct StoryMapOptions {
  // Learn the corpus's boilerplate model before cleaning (clean's first pass). Ignored when
  // `model` is given.
  bool learn_boilerplate = true;
  const BoilerplateModel* model = nullptr;  // a saved model (clean --model)
  const RuleSet* rules = nullptr;           // compiled; null: no rules
  LearnOptions learn;
  CleanerOptions cleaner;
  QuoteOptions quotes;
  DedupOptions dedup;
  ClusterOptions cluster;
  DigestOptions digest;
  double link_share = 0.2;
  uint32_t link_max_articles = 32;
};

struct Removal {
  TextRange range;
  std::string category;
  std::string reason;  // describe_removal()
};

struct MapArticle {
  Document doc;
  std::vector<Removal> removed;  // in text order
  std::string byline;
  QuoteExtraction quotes;
  uint32_t story = 0;         // index into StoryMap::stories
  uint32_t member = 0;        // its position in that story's members
};

struct StoryMapStats {
  uint64_t boilerplate_units = 0;  // in the model used
  bool model_learned = false;
  uint64_t removed_spans = 0;
  uint64_t removed_bytes = 0;
  uint64_t quotes = 0;
  uint64_t duplicate_groups = 0;
  uint64_t duplicates = 0;           // articles in groups, not counting representatives
  uint64_t moved_to_representative = 0;  // copies the clusterer had put in another story
  uint64_t copy_links = 0;               // article pairs linked by shared copy
  uint64_t stories_joined_by_copy = 0;   // story merges those links caused
  double clean_seconds = 0;
  double dedup_seconds = 0;
  double cluster_seconds = 0;
  double digest_seconds = 0;
};

struct StoryMap {
  std::vector<MapArticle> articles;   // in input order
  std::vector<DuplicateGroup> groups; // dedup's groups; `doc` numbers index `articles`
  std::vector<StoryDigest> stories;   // numbered by their first publication, then input order
  StoryMapStats stats;
};

struct StoryMapHooks {
  // Called from one thread at a time: the stage ("clean", "dedup", "cluster", "digest") and the
  // fraction of it done.
  std::function<void(const char*, double)> progress;
  const std::atomic<bool>* stop = nullptr;
};

// Fails only when stopped.
Result<StoryMap> build_story_map(std::vector<Document> documents, const StoryMapOptions& options,
                                 const StoryMapHooks& hooks = {});

}  // namespace samestory
