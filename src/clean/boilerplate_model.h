// BoilerplateModel: the paragraphs and sentences a corpus shows to be boilerplate, with the
// evidence; BoilerplateLearner builds one from a corpus.
//
// The distinction that matters: a unit (paragraph or sentence, see units.h) that one outlet
// repeats across *unrelated* stories is boilerplate; a unit that many outlets share *within one
// story* is wire copy and stays. So frequency alone decides nothing. For each unit the learner
// collects the articles that carry it and counts the distinct stories among them, judging two
// articles to be the same story when they share copy (5-gram MinHash Jaccard >= 0.2) or the same
// names (MinHash Jaccard of capitalised words >= 0.1, when both name at least 8: in short articles
// the outlet's own name in its boilerplate would make every pair look alike). A unit is boilerplate
//   for one outlet  when that outlet carries it in >= min_outlet_stories unrelated stories, and
//   for everyone    when >= min_global_stories unrelated stories from >= min_global_outlets
//                   outlets carry it (a cross-outlet footer such as an agency's copyright line).
// Wire copy re-run by dozens of outlets is one story however often it repeats, so it never
// qualifies. Articles without an outlet only count towards the global evidence.
//
// Models save to and load from a text file (one unit a line, with its evidence and a sample of its
// text), so a later run or a stream reuses the statistics without the corpus.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/hash_set.h"
#include "base/status.h"
#include "clean/units.h"

namespace samestory {

struct BoilerplateEvidence {
  bool global = false;      // learned across outlets, applies to every outlet
  std::string outlet;       // for an outlet's own boilerplate
  uint32_t stories = 0;     // unrelated stories carrying it (counted up to LearnOptions::max_stories)
  uint32_t articles = 0;    // articles carrying it
  uint32_t outlets = 0;     // distinct outlets among those stories (global evidence)
  std::string sample;       // the start of one occurrence, for people reading the model
};

class BoilerplateModel {
 public:
  // The evidence that `unit_key` is boilerplate for `outlet`, or null. The outlet's own evidence
  // is preferred over the global one.
  const BoilerplateEvidence* find(std::string_view outlet, uint64_t unit_key) const;

  // How its units start (their first two words): a unit that starts otherwise is not in the model.
  const UnitTags& unit_tags() const { return unit_tags_; }

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  // The model as bytes and back, for moving it between processes (base/byte_codec.h).
  std::string to_bytes() const;
  static Result<BoilerplateModel> from_bytes(std::string_view bytes);

  // Writes the model as text; errors name the file.
  Status save(const std::string& path) const;
  // Reads a model saved by save(); errors name the file, the line and the reason.
  static Result<BoilerplateModel> load(const std::string& path);

  // Entries in a stable order (by scope, outlet, key), for saving and tests.
  std::vector<std::pair<uint64_t, const BoilerplateEvidence*>> entries() const;

  void add(uint64_t unit_key, BoilerplateEvidence evidence);

 private:
  // Keyed by scoped_key(outlet, unit key), the global scope being the empty outlet; the value
  // keeps the unit key, which the scoped key does not give back, for saving.
  std::unordered_map<uint64_t, std::pair<uint64_t, BoilerplateEvidence>> entries_;
  // The unit keys of all entries, any scope: almost every unit a cleaner asks about is content,
  // and this answers it without hashing the outlet or probing the map twice.
  U64HashSet unit_keys_;
  UnitTags unit_tags_;
};

struct LearnOptions {
  uint32_t min_outlet_stories = 3;
  uint32_t min_global_stories = 5;
  uint32_t min_global_outlets = 3;
  double same_story_copy_jaccard = 0.2;   // 5-gram MinHash estimate
  double same_story_name_jaccard = 0.1;   // capitalised-word MinHash estimate...
  uint32_t min_names = 8;                 // ...used when both articles name this many
  // Counting stops here: enough evidence, and it bounds the work per unit.
  uint32_t max_stories = 64;
  // Articles remembered per unit; later ones are only counted.
  uint32_t max_articles_per_unit = 512;
  UnitOptions units;
};

// What the learner needs of one article; computing it is the expensive part and may run on any
// thread (profile_article is a pure function). Units point into the article's text.
struct ArticleProfile {
  static constexpr int kSignatureBins = 32;
  uint64_t outlet_hash = 0;  // 0: no outlet
  uint32_t copy_signature[kSignatureBins];
  uint32_t name_signature[kSignatureBins];
  uint32_t names = 0;  // distinct name-like words
  std::vector<TextUnit> units;
};

void profile_article(std::string_view text, std::string_view outlet, const LearnOptions& options,
                     std::vector<Token>* scratch_tokens, ArticleProfile* out);

class BoilerplateLearner {
 public:
  explicit BoilerplateLearner(LearnOptions options = {});
  ~BoilerplateLearner();
  BoilerplateLearner(BoilerplateLearner&&) noexcept;
  BoilerplateLearner& operator=(BoilerplateLearner&&) noexcept;

  // Adds one article, in corpus order (not thread-safe). `text` is the article the profile was
  // made from, for the samples kept in the model.
  void add(const ArticleProfile& profile, std::string_view outlet, std::string_view text);

  // Counts the unrelated stories of every repeated unit and returns the boilerplate among them.
  BoilerplateModel finish();

  uint64_t articles() const;

  // Learning in pieces (samestory.dask): each piece learns its run of the corpus with
  // `mergeable` set, is moved between processes as bytes, and the pieces are merged in corpus
  // order. The merged learner finishes to the same model as one learner fed the whole corpus,
  // except that a unit's sample may come from another of its occurrences. A mergeable learner
  // also keeps every unit's key, about 24 bytes more per distinct unit.
  static BoilerplateLearner mergeable(LearnOptions options = {});
  // Appends `later`'s articles after this learner's; both must be mergeable.
  void merge(BoilerplateLearner&& later);
  std::string to_bytes() const;
  // Fails on bytes that to_bytes() of the same build did not write.
  static Result<BoilerplateLearner> from_bytes(std::string_view bytes, LearnOptions options = {});

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace samestory
