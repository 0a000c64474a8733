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
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
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

// ---- The steps of build_story_map, for running them in pieces (samestory.dask) ----------------
// build_story_map is these steps in this order; a distributed run that calls them on the same
// inputs builds the same map.

// Learning: profiles the n documents on all threads and adds them to `learner` in order.
// False when stopped.
bool learn_boilerplate(size_t n, const std::function<const Document&(size_t)>& doc, const LearnOptions& options,
                       BoilerplateLearner* learner, const StoryMapHooks& hooks = {});

// What cleaning one article gives the later steps.
struct PreparedArticle {
  std::string cleaned;                // the text dedup and cluster read
  std::vector<TermCount> bag;         // count_terms of title and cleaned text
  Sketch sketch;                      // dedup's, of the cleaned text
  std::vector<uint64_t> link_sample;  // sample_link_sequences of the cleaned text
};

// Cleans `article` (removed spans, byline, quotes) and prepares it; any thread. `dedup` only
// sketches.
void prepare_article(const Cleaner& cleaner, const Deduplicator& dedup, const StoryMapOptions& options,
                     MapArticle* article, PreparedArticle* out);

// Adds the cleaning figures of every article to map->stats.
void count_cleaning(StoryMap* map);

// Copy links. Each article's sample of 8-word sequences (1 in 4 of them, sorted, distinct):
void sample_link_sequences(const std::vector<Token>& tokens, std::vector<uint64_t>* out);
// Postings of those samples with the article's outlet (any code equal for equal outlets); for
// each sequence carried by 2..max_articles articles, every pair from different outlets counts
// one shared sequence. Sequences are independent of each other, so postings may be split by
// sequence and the counts added up.
struct LinkPosting {
  uint64_t sequence = 0;
  uint32_t article = 0;
  uint32_t outlet = 0;
  auto operator<=>(const LinkPosting&) const = default;
};
using LinkCounts = std::unordered_map<uint64_t, uint32_t>;  // (a << 32 | b), a < b -> sequences
// `postings` sorted by sequence.
void count_shared_sequences(std::span<const LinkPosting> postings, uint32_t max_articles, LinkCounts* shared);
// A pair is a copy link when it shares at least three sequences and `share` of the smaller sample.
bool is_copy_link(uint32_t shared, size_t sample_a, size_t sample_b, double share);

// The final stories: the clusterer's `story` of each article, with duplicate groups kept whole in
// their representative's story and stories joined by copy `links`; numbered by first
// publication, then input order. Each story's members in input order. Adds its figures to stats.
std::vector<std::vector<uint32_t>> assign_stories(std::span<const MapArticle> articles,
                                                  std::span<const DuplicateGroup> groups,
                                                  std::vector<uint32_t> story,
                                                  std::span<const std::pair<uint32_t, uint32_t>> links,
                                                  StoryMapStats* stats);

// How an article relates to its duplicate group's representative, for the digest.
struct CopyOf {
  uint32_t representative = kNoArticle;
  Relation relation = Relation::kLinked;
  double similarity = 0;  // containment for contained/contains, else Jaccard
};
std::vector<CopyOf> copies_of(size_t n, std::span<const DuplicateGroup> groups);

// One story's digest: its members' article numbers, the articles and their CopyOf, in the same
// order.
StoryDigest digest_articles(std::span<const uint32_t> numbers, std::span<const MapArticle* const> articles,
                            std::span<const CopyOf> copies, const DigestOptions& options);

// Sets each article's story and member position from map->stories.
void index_story_members(StoryMap* map);

}  // namespace samestory
