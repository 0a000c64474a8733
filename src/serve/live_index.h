// LiveIndex: the incremental index behind `samestory serve`: articles arrive one batch at a time
// and each learns at once its duplicates, its best shared-passage matches and its story.
//
// Per article, as the batch pipeline does it (digest/story_map.h: prepare_article):
//   prepare()  cleans (rules and, if given, a saved boilerplate model), extracts quotes, counts
//              terms and sketches the cleaned text; any thread, no lock;
//   ingest()   under the index's one lock, in one SQLite transaction for the batch:
//     dedup    the same word sequence as a live article is an exact copy; otherwise LSH over the
//              live articles' MinHash signatures finds candidates, which are verified on exact
//              shingle sets (near: Jaccard, contained/contains: containment), as in `dedup`;
//     story    the stream clusterer (cluster/stream_clusterer.h) places it; a copy joins its
//              original's story; stories it bridges merge;
//     matches  the copy and the best-linked live articles (up to `aligned_matches`) are aligned
//              with it (align/aligner.h) and their shared passages stored.
// Live means within `horizon_days` of the newest date seen: older stories leave the index (and
// turn inactive in the database) but stay queryable.
//
// Restart: the database holds every article and assignment; open() rebuilds the in-memory part
// (LSH buckets from the stored signatures, the clusterer's live articles into their stored
// stories, document frequencies from a snapshot written every `snapshot_every` articles plus
// the articles after it). Pair sums between live stories are rebuilt from the replayed pairs.
// Copies are found exactly as before the restart (the sketches are stored); story placement
// may differ at the margin, because the replayed articles are weighed with the frequencies of
// the snapshot instead of those of their arrival (stored assignments never change).
//
// Guarantees: ingest() returns only after its transaction committed (an acknowledged article
// survives kill -9); a batch is all or nothing; deleting an article removes it from the
// database and the live index. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "align/aligner.h"
#include "base/status.h"
#include "cluster/stream_clusterer.h"
#include "digest/story_map.h"
#include "store/index_database.h"

namespace samestory {

struct LiveIndexOptions {
  // Cleaning (rules, model), quotes, dedup thresholds and cluster settings, as in `run`.
  StoryMapOptions pipeline;
  int32_t horizon_days = 30;
  // Live articles aligned with each new one (its copy first, then its strongest story links).
  // Three show where a story's copy comes from without making ingest pay for every member.
  size_t aligned_matches = 3;
  // Candidate copies tried per article, the strongest by MinHash estimate first; the first that
  // verifies is the copy. A story re-run by dozens of outlets puts dozens of near-identical live
  // articles in one article's buckets, and verifying each of them (reading, cleaning and
  // shingling it again) made finding the copy the costliest part of ingest.
  size_t copy_checks = 4;
  // Document frequencies are saved every this many articles, bounding the replay after a crash.
  uint64_t snapshot_every = 50000;
  bool durable_fsync = false;  // fsync every commit (power-loss safe), not only the WAL write
  // Document frequencies of a background corpus (`cluster --save-idf`) to start a new index
  // from, so that its first articles are weighed as well as later ones. Ignored when the
  // database already has frequencies of its own.
  std::shared_ptr<const DocumentFrequencies> background;
  AlignOptions align;
};

// One article ready for ingest(): cleaned and sketched.
struct PreparedInput {
  MapArticle article;
  PreparedArticle prepared;
  std::vector<uint32_t> shingle_set;  // exact, for verifying copies
};

struct IngestedMatch {
  std::string id, outlet, title;
  std::string relation;  // exact, near, contained, contains (copies); story, related (links)
  double similarity = 0;
  double shared = 0, other_shared = 0;
  std::vector<PassageRow> passages;  // a: the new article
};

struct IngestOutcome {
  enum class Kind { kIndexed, kDuplicateId };
  Kind kind = Kind::kIndexed;
  std::string id;
  int64_t story = 0;
  bool new_story = false;
  std::vector<int64_t> merged_stories;  // stories folded into `story` by this article
  std::string duplicate_relation;       // empty when not a copy
  std::string duplicate_of;
  double jaccard = 0, containment = 0;
  std::vector<IngestedMatch> matches;
};

struct LiveIndexStats {
  uint64_t articles = 0;          // in the database
  uint64_t live_articles = 0;     // in the clusterer
  uint64_t lsh_articles = 0;      // in the dedup buckets
  uint64_t stories_started = 0;
  uint64_t ingested = 0;          // since open
  uint64_t duplicates = 0;        // since open
  uint64_t merges = 0;            // since open
  uint64_t deleted = 0;           // since open
  uint64_t restored_articles = 0; // replayed by open()
  double ingest_seconds = 0;      // inside ingest(), holding the index (the serial part), of which:
  double copies_seconds = 0;      //   finding each article's copy (exact map, LSH, verification)
  double stories_seconds = 0;     //   placing it in a story (the stream clusterer)
  double rows_seconds = 0;        //   writing its article, story and match rows
  double align_seconds = 0;       //   aligning the batch's pairs (on every core)
  double commit_seconds = 0;      //   committing the transaction (and catching up the WAL)
  double restore_seconds = 0;
};

class LiveIndex {
 public:
  // Opens or creates the database at `path` and rebuilds the live state. `progress` (may be
  // empty) hears the replay's fraction done.
  static Result<std::unique_ptr<LiveIndex>> open(const std::string& path, LiveIndexOptions options,
                                                 const std::function<void(double)>& progress = {});
  ~LiveIndex();

  // Any thread, no lock.
  PreparedInput prepare(Document doc) const;
  // One transaction; outcomes in input order. An id already indexed (or repeated in the batch)
  // is not indexed again: its outcome says so.
  Result<std::vector<IngestOutcome>> ingest(std::vector<PreparedInput> batch);
  // False if the id is unknown.
  Result<bool> remove(std::string_view id);
  // Saves the document frequencies (on shutdown; ingest() does it every snapshot_every).
  Status save_snapshot();

  LiveIndexStats stats() const;
  // Not ok once a database error has stopped writes (see ingest()).
  Status health() const;
  const std::string& path() const { return path_; }

 private:
  LiveIndex(std::string path, LiveIndexOptions options);
  struct LiveSketch {
    int64_t seq;
    std::optional<int32_t> day;
    uint64_t sequence;
    uint32_t shingles;
    std::vector<uint32_t> signature;
  };
  struct CopyFound {
    int64_t seq = 0;
    std::string relation;
    double jaccard = 0, in_other = 0, other_in = 0;
  };
  Status restore(const std::function<void(double)>& progress);
  void add_sketch(int64_t seq, std::optional<int32_t> day, uint64_t sequence, uint32_t shingles,
                  std::vector<uint32_t> signature);
  void drop_sketch(int64_t seq);
  void evict_sketches();
  Result<CopyFound> find_copy(const PreparedInput& in);
  Result<std::vector<uint32_t>> shingles_of_stored(int64_t seq);
  // A pair to align once the batch is placed.
  struct PendingMatch {
    size_t input;  // index in the batch
    int64_t seq, other;
    std::string relation;
    double similarity;
    bool is_copy;
  };
  Result<IngestOutcome> ingest_one(PreparedInput& in, size_t input, int64_t seq, double now,
                                   std::vector<PendingMatch>* pending);
  Status align_pending(const std::vector<PreparedInput>& batch, const std::vector<PendingMatch>& pending,
                       std::vector<IngestOutcome>* outcomes);
  std::vector<uint32_t> shingles_of(std::string_view title, std::string_view cleaned) const;
  void remember_shingles(int64_t seq, std::vector<uint32_t> set);
  uint64_t story_number(int64_t db_story);  // the clusterer's number for a database story, or UINT64_MAX
  // The clusterer's story that a copy of `original` joins, or UINT64_MAX for a story of its own
  // (the original is no longer live, or older than the cluster window).
  uint64_t story_for_copy(int64_t original, std::optional<int32_t> day) const;
  uint64_t number_of(int64_t seq) const;    // the clusterer's number for an article, or UINT64_MAX
  std::string encode_frequencies() const;

  std::string path_;
  LiveIndexOptions options_;
  std::unique_ptr<IndexDatabase::Checkpointer> checkpointer_;
  std::unique_ptr<Cleaner> cleaner_;
  std::unique_ptr<Deduplicator> sketcher_;

  mutable std::mutex mutex_;  // everything below
  IndexDatabase db_;
  StreamClusterer clusterer_;
  int64_t max_seq_ = 0;
  int64_t max_story_ = 0;
  std::optional<int32_t> newest_day_;
  std::vector<int64_t> seq_of_number_;     // clusterer article number -> seq (increasing)
  std::vector<int64_t> story_of_number_;   // clusterer story number -> database story
  std::unordered_map<int64_t, uint64_t> number_of_story_;
  // Dedup's live part.
  std::deque<LiveSketch> sketches_;  // arrival order
  std::unordered_map<int64_t, size_t> sketch_slot_;  // seq -> index into sketches_ + sketch_base_
  size_t sketch_base_ = 0;
  std::unordered_map<uint64_t, int64_t> exact_;  // word sequence -> first live seq
  std::unordered_map<uint64_t, std::vector<int64_t>> buckets_;
  // Shingle sets of the newest articles and of the originals verified against most recently:
  // copies mostly follow their original within days, or copy one that many outlets re-ran, so
  // most verifications need no re-reading and re-cleaning of the original.
  static constexpr size_t kRecentSets = 16384;
  std::unordered_map<int64_t, std::vector<uint32_t>> recent_sets_;
  std::deque<int64_t> recent_order_;
  uint64_t since_snapshot_ = 0;
  LiveIndexStats stats_;
  Status failed_;  // set by the first database error of a write
};

}  // namespace samestory
