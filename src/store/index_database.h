// IndexDatabase: the tables of `samestory serve`'s persistent index in one SQLite file (WAL).
//
// Tables:
//   articles  one row an indexed article (seq: arrival order, from 1; id: the caller's, unique):
//             metadata, original text, story, dedup sketch (sequence hash, shingle count,
//             MinHash signature) and its duplicate relation, if any
//   stories   one row a story: headline, size, outlets, first publisher, first and last day,
//             active (still in the live index) and merged_into (absorbed by another story);
//             kept up to date per article in constant time (story_outlets: its distinct outlets)
//   matches   article pairs found related at ingest (a: the newer): relation (exact, near,
//             contained, contains, story), similarity, each side's shared share
//   passages  the passages a match shares, as code point offsets into both texts
//   titles    FTS5 index of article titles, for searching stories
//   meta      schema version and the document-frequency snapshot
// The LSH buckets are not a table: they are a function of the signatures and are rebuilt in
// memory on open (a row per band and article would multiply the write cost by the band count).
//
// Guarantees: a write is one transaction; once commit() returns, the rows survive the process
// being killed (WAL, synchronous=NORMAL; synchronous=FULL when durable_fsync is set survives
// power loss too). Readers on other connections see only committed transactions and are never
// blocked by the writer.
#pragma once

#include <cstdint>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/json_writer.h"
#include "base/status.h"
#include "store/sqlite_db.h"

namespace samestory {

struct ArticleRow {
  int64_t seq = 0;
  std::string id, outlet, url, title, published;  // published: ISO 8601 at its precision, or ""
  int64_t published_key = 0;                      // publication_key(): the first-publisher order
  std::optional<int32_t> day;                     // days since 1970-01-01, when dated
  std::string text;
  int64_t story = 0;
  uint64_t sequence = 0;
  uint32_t shingles = 0;
  std::string signature;  // K uint32 values, native byte order
  uint32_t removed_bytes = 0;
  uint32_t quotes = 0;
  std::string byline;
  // The article it duplicates (0: none), how, and the exact similarities.
  int64_t duplicate_of = 0;
  std::string relation;
  double jaccard = 0, containment = 0;
  double received = 0;  // Unix seconds
};

struct MatchRow {
  int64_t a = 0, b = 0;  // a: the newer article
  std::string relation;
  double similarity = 0;
  double a_shared = 0, b_shared = 0;
};

struct PassageRow {
  int64_t a = 0, b = 0;
  uint32_t a_begin = 0, a_end = 0, b_begin = 0, b_end = 0;  // code points
  uint32_t words = 0;
  double score = 0;
};

// What restoring the live index reads of each article.
struct StoredArticle {
  int64_t seq = 0;
  std::optional<int32_t> day;
  int64_t story = 0;
  std::string_view outlet, title, text;
  uint64_t sequence = 0;
  uint32_t shingles = 0;
  std::string_view signature;
  int64_t duplicate_of = 0;  // the live article it copies, 0 for none
};

struct StoryQuery {
  std::optional<int32_t> since, until;  // days: stories whose span overlaps [since, until]
  std::string outlet;                   // stories with an article from this outlet
  std::string q;                        // words that a member's title contains
  bool active_only = false;
  int limit = 50;
  int offset = 0;
};

class IndexDatabase {
 public:
  // Opens (creating if needed) for writing: one writer per file. `durable_fsync` syncs every
  // commit to disk.
  static Result<IndexDatabase> open_writer(const std::string& path, bool durable_fsync);
  // A reading connection (any number, any thread each).
  static Result<IndexDatabase> open_reader(const std::string& path);

  // The writer never checkpoints (copies the WAL back into the database file) itself, because a
  // checkpoint syncs the file and would stall ingest on the disk; a Checkpointer does it on its
  // own connection and thread, without blocking the writer or the readers.
  // Under steady ingest the writer is nearly always inside a transaction, so the checkpointer
  // never quite catches up and the WAL never starts over; when it says the WAL is large, the
  // writer calls catch_up_checkpoint() between two transactions (a short pause: the checkpointer
  // has already copied all but the last second's frames), and the next transaction rewinds it.
  class Checkpointer {
   public:
    static Result<std::unique_ptr<Checkpointer>> start(const std::string& path, double every_seconds = 1.0);
    ~Checkpointer();  // stops, after a last checkpoint that also truncates the WAL
    bool wal_is_large() const { return large_.load(); }

   private:
    Checkpointer() = default;
    void loop(double every_seconds);
    SqliteDb db_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::atomic<bool> large_{false};
    std::thread thread_;
  };
  // On the writer, outside a transaction: copies every frame of the WAL into the database.
  Status catch_up_checkpoint();

  Status begin();
  Status commit();
  Status rollback();

  // ---- writes (inside begin/commit) ----
  Status insert_article(const ArticleRow& row);
  Status insert_match(const MatchRow& row);
  Status insert_passage(const PassageRow& row);
  // One more article (already inserted) in its story, creating the story if new: constant time
  // whatever the story's size.
  Status add_to_story(const ArticleRow& row);
  // Recomputes a story's row from its articles: size, outlets, headline, first publisher, days
  // (after a merge or a deletion). Keeps `active` as given.
  Status refresh_story(int64_t story, bool active);
  // Moves the articles of `gone` into `keep`, marks `gone` merged.
  Status merge_story(int64_t gone, int64_t keep);
  Status set_story_active(int64_t story, bool active);
  // Removes an article, its matches and passages, and refreshes its story. False if unknown.
  Result<bool> delete_article(int64_t seq, int64_t* story);
  Status put_meta(std::string_view key, std::string_view value);

  // ---- reads ----
  Result<std::optional<std::string>> meta(std::string_view key) const;
  // The seq of an id, or 0.
  Result<int64_t> seq_of(std::string_view id) const;
  Result<int64_t> max_seq() const;
  Result<int64_t> max_story() const;
  Result<std::optional<int32_t>> max_day() const;
  // The first seq with day >= `day` (0 if none).
  Result<int64_t> first_seq_from_day(int32_t day) const;
  // Articles with seq >= from, in seq order.
  Status scan_articles(int64_t from, const std::function<void(const StoredArticle&)>& each) const;
  // An article's text, title and outlet (false if unknown).
  Result<bool> article_text(int64_t seq, std::string* text, std::string* title, std::string* outlet,
                            std::string* id) const;
  // The story of an article (0 if unknown).
  Result<int64_t> story_of(int64_t seq) const;
  // The story a merged story ended in (itself if not merged).
  Result<int64_t> final_story(int64_t story) const;
  Result<int64_t> article_count() const;

  // JSON for the HTTP API. Each returns false when the thing does not exist.
  Result<bool> write_article(std::string_view id, JsonWriter* out) const;
  Result<bool> write_matches(std::string_view id, JsonWriter* out) const;
  // Members in publication order, `limit` of them from `offset` (a big story has thousands).
  Result<bool> write_story(int64_t story, int limit, int offset, JsonWriter* out) const;
  Status write_stories(const StoryQuery& query, JsonWriter* out) const;

 private:
  Status prepare_all();
  SqliteDb db_;
  struct Statements;
  std::shared_ptr<Statements> st_;
};

}  // namespace samestory
