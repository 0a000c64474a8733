#include "store/index_database.h"

#include <fmt/format.h>

#include <cctype>
#include <chrono>

#include "text/offsets.h"

namespace samestory {

namespace {

// Version 2: word hashes changed (text/tokenize.h: hash_token), and with them the stored
// signatures and sequence hashes, and the saved document frequencies.
constexpr int kSchemaVersion = 2;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS articles (
  seq INTEGER PRIMARY KEY,              -- arrival order, from 1
  id TEXT NOT NULL UNIQUE,              -- the caller's id
  outlet TEXT NOT NULL, url TEXT NOT NULL, title TEXT NOT NULL,
  published TEXT NOT NULL,              -- ISO 8601 at the precision given; '' when undated
  published_key INTEGER NOT NULL,       -- first-publisher order (undated last)
  day INTEGER,                          -- days since 1970-01-01; NULL when undated
  story INTEGER NOT NULL,
  sequence INTEGER NOT NULL, shingles INTEGER NOT NULL, signature BLOB NOT NULL,
  removed_bytes INTEGER NOT NULL, quotes INTEGER NOT NULL, byline TEXT NOT NULL,
  duplicate_of INTEGER, relation TEXT, jaccard REAL, containment REAL,
  received REAL NOT NULL,
  -- As posted; every offset points into it. Last, because a long text spills into overflow
  -- pages that SQLite must walk to reach any column stored after it.
  text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS articles_story ON articles(story, published_key, seq);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet, story);
CREATE INDEX IF NOT EXISTS articles_day ON articles(day);
CREATE TABLE IF NOT EXISTS stories (
  id INTEGER PRIMARY KEY, headline TEXT NOT NULL, size INTEGER NOT NULL, outlets INTEGER NOT NULL,
  first_article INTEGER, first_published TEXT, first_key INTEGER, last_published TEXT, last_key INTEGER,
  first_day INTEGER, last_day INTEGER, active INTEGER NOT NULL, merged_into INTEGER);
CREATE TABLE IF NOT EXISTS story_outlets (story INTEGER NOT NULL, outlet TEXT NOT NULL,
  PRIMARY KEY (story, outlet)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS stories_last_day ON stories(last_day, id);
CREATE TABLE IF NOT EXISTS matches (
  a INTEGER NOT NULL, b INTEGER NOT NULL, relation TEXT NOT NULL, similarity REAL NOT NULL,
  a_shared REAL NOT NULL, b_shared REAL NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS matches_b ON matches(b);
CREATE TABLE IF NOT EXISTS passages (
  a INTEGER NOT NULL, b INTEGER NOT NULL, a_begin INTEGER, a_end INTEGER, b_begin INTEGER, b_end INTEGER,
  words INTEGER, score REAL);
-- Every pair with passages has a matches row: a delete finds the passages it is the b side of
-- through matches_b, so no index on passages(b) costs every ingest a random page.
CREATE INDEX IF NOT EXISTS passages_ab ON passages(a, b);
CREATE VIRTUAL TABLE IF NOT EXISTS titles USING fts5(title);
)sql";

// Article columns the JSON writers read, in this order.
constexpr const char* kArticleColumns =
    "seq, id, outlet, url, title, published, text, story, removed_bytes, quotes, byline, duplicate_of, relation, "
    "jaccard, containment, received";

// "word another" as an FTS5 query that matches titles holding both words, whatever the caller
// typed (FTS5 syntax characters are not passed through).
std::string fts_query(std::string_view q) {
  std::string out, word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!out.empty()) out += ' ';
    out += '"' + word + '"';
    word.clear();
  };
  for (char c : q) {
    if (static_cast<unsigned char>(c) >= 0x80 || std::isalnum(static_cast<unsigned char>(c))) {
      word += c;
    } else {
      flush();
    }
  }
  flush();
  return out;
}

}  // namespace

struct IndexDatabase::Statements {
  SqliteStmt insert_article, insert_title, insert_match, insert_passage, add_outlet, add_to_story, refresh_outlets,
      clear_outlets, move_outlets, refresh_story, merge_articles,
      merge_story, set_active, delete_article, delete_title, delete_matches, delete_passages, story_of, put_meta,
      seq_of, max_seq, max_story, max_day, first_seq_from_day, scan, article_text, merged_into,
      article_json, matches_json, passages_json, story_json, members_json, stories_json;
};

Result<IndexDatabase> IndexDatabase::open_writer(const std::string& path, bool durable_fsync) {
  auto db = SqliteDb::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!db) return db.status();
  IndexDatabase out;
  out.db_ = std::move(db).value();
  if (Status s = out.db_.exec("PRAGMA journal_mode=WAL"); !s) return s;
  if (Status s = out.db_.exec("PRAGMA wal_autocheckpoint=0"); !s) return s;  // see Checkpointer
  // When the WAL starts over, a file grown past this is cut back to it.
  if (Status s = out.db_.exec("PRAGMA journal_size_limit=134217728"); !s) return s;
  if (Status s = out.db_.exec(durable_fsync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"); !s) return s;
  // Ingest touches indexes all over a multi-GB file; reading them through a memory map instead
  // of a pread and a copy per page was a fifth of the writer's time at 1M articles.
  if (Status s = out.db_.exec("PRAGMA cache_size=-262144"); !s) return s;
  if (Status s = out.db_.exec("PRAGMA mmap_size=68719476736"); !s) return s;
  if (Status s = out.db_.exec(kSchema); !s) return s;
  auto version = out.meta("schema_version");
  if (!version) return version.status();
  if (!*version) {
    if (Status s = out.db_.exec(fmt::format("INSERT INTO meta VALUES ('schema_version', '{}')", kSchemaVersion).c_str());
        !s) {
      return s;
    }
  } else if (**version == "1") {
    return Status::data_error(fmt::format("{}: built by an earlier samestory, whose word hashes differ from this "
                                          "one's: build the index again from the articles",
                                          path));
  } else if (**version != std::to_string(kSchemaVersion)) {
    return Status::data_error(fmt::format("{}: schema version {} is not the {} this samestory reads", path, **version,
                                          kSchemaVersion));
  }
  if (Status s = out.prepare_all(); !s) return s;
  return out;
}

Result<std::unique_ptr<IndexDatabase::Checkpointer>> IndexDatabase::Checkpointer::start(const std::string& path,
                                                                                     double every_seconds) {
  auto db = SqliteDb::open(path, SQLITE_OPEN_READWRITE);
  if (!db) return db.status();
  std::unique_ptr<Checkpointer> c(new Checkpointer());
  c->db_ = std::move(db).value();
  // A connection reads the file lazily; until it has, it does not know the database is in WAL
  // mode and a checkpoint silently does nothing.
  if (Status s = c->db_.exec("PRAGMA journal_mode=WAL"); !s) return s;
  c->thread_ = std::thread([raw = c.get(), every_seconds] { raw->loop(every_seconds); });
  return c;
}

void IndexDatabase::Checkpointer::loop(double every_seconds) {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::duration<double>(every_seconds), [&] { return stop_; });
    lock.unlock();
    // PASSIVE copies what it can without waiting for anyone; errors (a busy moment) just mean
    // the next round does more.
    int frames = 0, copied = 0;
    sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, &copied);
    constexpr int kLargeWalFrames = 16384;  // 64 MB of 4 KB pages
    large_.store(frames > kLargeWalFrames);
    lock.lock();
  }
}

IndexDatabase::Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
}

Status IndexDatabase::catch_up_checkpoint() {
  const int rc = sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  // BUSY: the checkpointer is at it this very moment, which does the same job.
  if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY) {
    return Status::io_error(db_.path() + ": checkpoint: " + sqlite3_errmsg(db_.get()));
  }
  return Status::ok();
}

Result<IndexDatabase> IndexDatabase::open_reader(const std::string& path) {
  auto db = SqliteDb::open(path, SQLITE_OPEN_READONLY);
  if (!db) return db.status();
  IndexDatabase out;
  out.db_ = std::move(db).value();
  if (Status s = out.prepare_all(); !s) return s;
  return out;
}

Status IndexDatabase::prepare_all() {
  st_ = std::make_shared<Statements>();
  Statements& s = *st_;
  struct Entry {
    SqliteStmt* stmt;
    std::string sql;
  };
  const std::string article_columns = kArticleColumns;
  const Entry entries[] = {
      {&s.insert_article,
       "INSERT INTO articles (seq, id, outlet, url, title, published, published_key, day, story, sequence, "
       "shingles, signature, removed_bytes, quotes, byline, duplicate_of, relation, jaccard, containment, received, text) "
       "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"},
      {&s.insert_title, "INSERT INTO titles (rowid, title) VALUES (?, ?)"},
      {&s.insert_match, "INSERT OR REPLACE INTO matches VALUES (?,?,?,?,?,?)"},
      {&s.insert_passage, "INSERT INTO passages VALUES (?,?,?,?,?,?,?,?)"},
      {&s.add_outlet, "INSERT OR IGNORE INTO story_outlets VALUES (?, ?)"},
      // One more article in a story, in constant time whatever the story's size: the first
      // publisher changes only for an earlier key (an equal key keeps the earlier arrival), the
      // latest for a later or equal one.
      {&s.add_to_story,
       "INSERT INTO stories (id, headline, size, outlets, first_article, first_published, first_key, last_published, "
       "last_key, first_day, last_day, active, merged_into) "
       "VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?5, ?6, ?7, ?7, 1, NULL) "
       "ON CONFLICT (id) DO UPDATE SET size = size + 1, outlets = outlets + ?3, active = 1, "
       "headline = CASE WHEN excluded.first_key < first_key THEN excluded.headline ELSE headline END, "
       "first_article = CASE WHEN excluded.first_key < first_key THEN excluded.first_article ELSE first_article END, "
       "first_published = CASE WHEN excluded.first_key < first_key THEN excluded.first_published ELSE first_published END, "
       "first_key = min(first_key, excluded.first_key), "
       "last_published = CASE WHEN excluded.last_key >= last_key THEN excluded.last_published ELSE last_published END, "
       "last_key = max(last_key, excluded.last_key), "
       "first_day = coalesce(min(first_day, excluded.first_day), first_day, excluded.first_day), "
       "last_day = coalesce(max(last_day, excluded.last_day), last_day, excluded.last_day)"},
      {&s.clear_outlets, "DELETE FROM story_outlets WHERE story = ?"},
      {&s.refresh_outlets, "INSERT OR IGNORE INTO story_outlets SELECT story, outlet FROM articles WHERE story = ?"},
      {&s.move_outlets, "INSERT OR IGNORE INTO story_outlets SELECT ?2, outlet FROM story_outlets WHERE story = ?1"},
      // The whole row again from the story's articles: after a merge or a deletion.
      {&s.refresh_story,
       "INSERT INTO stories (id, headline, size, outlets, first_article, first_published, first_key, last_published, "
       "last_key, first_day, last_day, active, merged_into) "
       "SELECT ?1, coalesce(f.headline, ''), a.size, (SELECT count(*) FROM story_outlets WHERE story = ?1), f.seq, "
       "f.published, f.published_key, l.published, l.published_key, a.first_day, a.last_day, ?2, NULL "
       "FROM (SELECT count(*) AS size, min(day) AS first_day, max(day) AS last_day FROM articles WHERE story = ?1) a "
       "LEFT JOIN (SELECT seq, published, published_key, coalesce(nullif(title, ''), substr(text, 1, 120)) AS headline "
       "FROM articles WHERE story = ?1 ORDER BY published_key, seq LIMIT 1) f "
       "LEFT JOIN (SELECT published, published_key FROM articles WHERE story = ?1 "
       "ORDER BY published_key DESC, seq DESC LIMIT 1) l "
       "WHERE true "  // without a WHERE, SQLite would read ON CONFLICT as the join's ON
       "ON CONFLICT (id) DO UPDATE SET headline = excluded.headline, size = excluded.size, outlets = excluded.outlets, "
       "first_article = excluded.first_article, first_published = excluded.first_published, "
       "first_key = excluded.first_key, last_published = excluded.last_published, last_key = excluded.last_key, "
       "first_day = excluded.first_day, last_day = excluded.last_day, active = excluded.active"},
      {&s.merge_articles, "UPDATE articles SET story = ?2 WHERE story = ?1"},
      {&s.merge_story, "UPDATE stories SET merged_into = ?2, size = 0, active = 0 WHERE id = ?1"},
      {&s.set_active, "UPDATE stories SET active = ?2 WHERE id = ?1"},
      {&s.delete_article, "DELETE FROM articles WHERE seq = ?"},
      {&s.delete_title, "DELETE FROM titles WHERE rowid = ?"},
      {&s.delete_matches, "DELETE FROM matches WHERE a = ?1 OR b = ?1"},
      {&s.delete_passages,
       "DELETE FROM passages WHERE a = ?1 OR (b = ?1 AND a IN (SELECT a FROM matches WHERE b = ?1))"},
      {&s.story_of, "SELECT story FROM articles WHERE seq = ?"},
      {&s.put_meta, "INSERT OR REPLACE INTO meta VALUES (?, ?)"},
      {&s.seq_of, "SELECT seq FROM articles WHERE id = ?"},
      {&s.max_seq, "SELECT coalesce(max(seq), 0) FROM articles"},
      {&s.max_story, "SELECT coalesce(max(id), 0) FROM stories"},
      {&s.max_day, "SELECT max(day) FROM articles"},
      {&s.first_seq_from_day, "SELECT coalesce(min(seq), 0) FROM articles WHERE day >= ?"},
      {&s.scan,
       "SELECT seq, day, story, outlet, title, text, sequence, shingles, signature, coalesce(duplicate_of, 0) "
       "FROM articles WHERE seq >= ? "
       "ORDER BY seq"},
      {&s.article_text, "SELECT text, title, outlet, id FROM articles WHERE seq = ?"},
      {&s.merged_into, "SELECT merged_into FROM stories WHERE id = ?"},
      {&s.article_json, "SELECT " + article_columns + " FROM articles WHERE id = ?"},
      {&s.matches_json,
       "SELECT m.a, m.b, m.relation, m.similarity, m.a_shared, m.b_shared, x.id, x.outlet, x.title, x.published "
       "FROM matches m JOIN articles x ON x.seq = (CASE WHEN m.a = ?1 THEN m.b ELSE m.a END) "
       "WHERE m.a = ?1 OR m.b = ?1 ORDER BY m.similarity DESC"},
      {&s.passages_json,
       "SELECT a_begin, a_end, b_begin, b_end, words, score FROM passages WHERE a = ? AND b = ? ORDER BY a_begin"},
      {&s.story_json,
       "SELECT s.id, s.headline, s.size, s.outlets, s.first_published, s.last_published, s.active, s.merged_into, "
       "f.id, f.outlet FROM stories s LEFT JOIN articles f ON f.seq = s.first_article WHERE s.id = ?"},
      {&s.members_json,
       "SELECT x.id, x.outlet, x.title, x.url, x.published, x.duplicate_of, x.relation, "
       "(SELECT id FROM articles d WHERE d.seq = x.duplicate_of), "
       "(SELECT max(CASE WHEN m.a = x.seq THEN m.a_shared ELSE m.b_shared END) FROM matches m "
       "WHERE m.a = x.seq OR m.b = x.seq) "
       "FROM articles x WHERE x.story = ? ORDER BY x.published_key, x.seq LIMIT ? OFFSET ?"},
      {&s.stories_json,
       "SELECT s.id, s.headline, s.size, s.outlets, s.first_published, s.last_published, s.active, f.id, f.outlet "
       "FROM stories s LEFT JOIN articles f ON f.seq = s.first_article "
       "WHERE s.merged_into IS NULL AND s.size > 0 "
       "AND (?1 = 0 OR s.last_day >= ?2) AND (?3 = 0 OR s.first_day <= ?4) "
       "AND (?5 = '' OR s.id IN (SELECT story FROM articles WHERE outlet = ?5)) "
       "AND (?6 = '' OR s.id IN (SELECT x.story FROM titles JOIN articles x ON x.seq = titles.rowid "
       "WHERE titles MATCH ?6)) "
       "AND (?7 = 0 OR s.active = 1) "
       "ORDER BY s.last_day DESC, s.id DESC LIMIT ?8 OFFSET ?9"},
  };
  for (const Entry& e : entries) {
    auto stmt = db_.prepare(e.sql.c_str());
    if (!stmt) return stmt.status();
    *e.stmt = std::move(stmt).value();
  }
  return Status::ok();
}

Status IndexDatabase::begin() { return db_.exec("BEGIN IMMEDIATE"); }
Status IndexDatabase::commit() { return db_.exec("COMMIT"); }
Status IndexDatabase::rollback() { return db_.exec("ROLLBACK"); }

Status IndexDatabase::insert_article(const ArticleRow& r) {
  const bool dup = r.duplicate_of != 0;
  Status s = db_.run(st_->insert_article, r.seq, r.id, r.outlet, r.url, r.title, r.published, r.published_key,
                     nullable(r.day.has_value(), int64_t{r.day.value_or(0)}), r.story, r.sequence, r.shingles,
                     SqliteBlob{r.signature}, r.removed_bytes, r.quotes, r.byline, nullable(dup, r.duplicate_of),
                     nullable(dup, std::string_view(r.relation)), nullable(dup, r.jaccard),
                     nullable(dup, r.containment), r.received, r.text);
  if (!s) return s;
  return db_.run(st_->insert_title, r.seq, r.title);
}

Status IndexDatabase::insert_match(const MatchRow& r) {
  return db_.run(st_->insert_match, r.a, r.b, r.relation, r.similarity, r.a_shared, r.b_shared);
}

Status IndexDatabase::insert_passage(const PassageRow& r) {
  return db_.run(st_->insert_passage, r.a, r.b, r.a_begin, r.a_end, r.b_begin, r.b_end, r.words, r.score);
}

Status IndexDatabase::add_to_story(const ArticleRow& r) {
  if (Status s = db_.run(st_->add_outlet, r.story, r.outlet); !s) return s;
  const int64_t new_outlet = db_.changes();
  const std::string_view headline = r.title.empty() ? std::string_view(r.text).substr(0, 120) : std::string_view(r.title);
  return db_.run(st_->add_to_story, r.story, headline, new_outlet, r.seq, r.published, r.published_key,
                 nullable(r.day.has_value(), int64_t{r.day.value_or(0)}));
}

Status IndexDatabase::refresh_story(int64_t story, bool active) {
  if (Status s = db_.run(st_->clear_outlets, story); !s) return s;
  if (Status s = db_.run(st_->refresh_outlets, story); !s) return s;
  return db_.run(st_->refresh_story, story, active);
}

Status IndexDatabase::merge_story(int64_t gone, int64_t keep) {
  if (Status s = db_.run(st_->merge_articles, gone, keep); !s) return s;
  if (Status s = db_.run(st_->move_outlets, gone, keep); !s) return s;
  if (Status s = db_.run(st_->clear_outlets, gone); !s) return s;
  return db_.run(st_->merge_story, gone, keep);
}

Status IndexDatabase::set_story_active(int64_t story, bool active) { return db_.run(st_->set_active, story, active); }

Result<bool> IndexDatabase::delete_article(int64_t seq, int64_t* story) {
  bool found = false;
  if (Status s = db_.query(st_->story_of, [&](const SqliteRow& row) { found = true, *story = row.integer(0); }, seq); !s) {
    return s;
  }
  if (!found) return false;
  // Passages before matches: the passages an article is the b side of are found through matches.
  for (const SqliteStmt* stmt : {&st_->delete_article, &st_->delete_title, &st_->delete_passages, &st_->delete_matches}) {
    if (Status s = db_.run(*stmt, seq); !s) return s;
  }
  return true;
}

Status IndexDatabase::put_meta(std::string_view key, std::string_view value) {
  return db_.run(st_->put_meta, key, SqliteBlob{value});
}

Result<std::optional<std::string>> IndexDatabase::meta(std::string_view key) const {
  std::optional<std::string> out;
  // Called before prepare_all() on open, so this one is prepared here.
  auto stmt = db_.prepare("SELECT value FROM meta WHERE key = ?");
  if (!stmt) return stmt.status();
  Status s = db_.query(*stmt, [&](const SqliteRow& row) { out = std::string(row.blob(0)); }, key);
  if (!s) return s;
  return out;
}

namespace {
template <typename T>
Result<T> single(const SqliteDb& db, const SqliteStmt& stmt, T missing, auto... values) {
  T out = missing;
  Status s = db.query(
      stmt,
      [&](const SqliteRow& row) {
        if (!row.is_null(0)) out = static_cast<T>(row.integer(0));
      },
      values...);
  if (!s) return s;
  return out;
}
}  // namespace

Result<int64_t> IndexDatabase::seq_of(std::string_view id) const { return single<int64_t>(db_, st_->seq_of, 0, id); }
Result<int64_t> IndexDatabase::story_of(int64_t seq) const { return single<int64_t>(db_, st_->story_of, 0, seq); }
Result<int64_t> IndexDatabase::max_seq() const { return single<int64_t>(db_, st_->max_seq, 0); }
Result<int64_t> IndexDatabase::max_story() const { return single<int64_t>(db_, st_->max_story, 0); }

Result<std::optional<int32_t>> IndexDatabase::max_day() const {
  std::optional<int32_t> out;
  Status s = db_.query(st_->max_day, [&](const SqliteRow& row) {
    if (!row.is_null(0)) out = static_cast<int32_t>(row.integer(0));
  });
  if (!s) return s;
  return out;
}

Result<int64_t> IndexDatabase::first_seq_from_day(int32_t day) const {
  return single<int64_t>(db_, st_->first_seq_from_day, 0, day);
}

Status IndexDatabase::scan_articles(int64_t from, const std::function<void(const StoredArticle&)>& each) const {
  return db_.query(
      st_->scan,
      [&](const SqliteRow& row) {
        StoredArticle a;
        a.seq = row.integer(0);
        if (!row.is_null(1)) a.day = static_cast<int32_t>(row.integer(1));
        a.story = row.integer(2);
        a.outlet = row.text(3);
        a.title = row.text(4);
        a.text = row.text(5);
        a.sequence = static_cast<uint64_t>(row.integer(6));
        a.shingles = static_cast<uint32_t>(row.integer(7));
        a.signature = row.blob(8);
        a.duplicate_of = row.integer(9);
        each(a);
      },
      from);
}

Result<bool> IndexDatabase::article_text(int64_t seq, std::string* text, std::string* title, std::string* outlet,
                                         std::string* id) const {
  bool found = false;
  Status s = db_.query(
      st_->article_text,
      [&](const SqliteRow& row) {
        found = true;
        *text = row.text(0);
        if (title) *title = row.text(1);
        if (outlet) *outlet = row.text(2);
        if (id) *id = row.text(3);
      },
      seq);
  if (!s) return s;
  return found;
}

Result<int64_t> IndexDatabase::final_story(int64_t story) const {
  for (int hops = 0; hops < 1000; ++hops) {
    auto next = single<int64_t>(db_, st_->merged_into, 0, story);
    if (!next) return next.status();
    if (*next == 0) return story;
    story = *next;
  }
  return Status::data_error(fmt::format("{}: story {} is merged in a loop", db_.path(), story));
}

Result<int64_t> IndexDatabase::article_count() const {
  auto stmt = db_.prepare("SELECT count(*) FROM articles");
  if (!stmt) return stmt.status();
  return single<int64_t>(db_, *stmt, 0);
}

// ---- JSON ----

namespace {
void write_optional_text(JsonWriter* out, std::string_view key, const SqliteRow& row, int column) {
  out->key(key);
  if (row.is_null(column)) {
    out->null();
  } else {
    out->value(row.text(column));
  }
}
}  // namespace

Result<bool> IndexDatabase::write_article(std::string_view id, JsonWriter* out) const {
  bool found = false;
  int64_t dup_seq = 0;
  Status s = db_.query(
      st_->article_json,
      [&](const SqliteRow& row) {
        found = true;
        out->begin_object();
        out->field("id", row.text(1)).field("outlet", row.text(2)).field("url", row.text(3));
        out->field("title", row.text(4)).field("published", row.text(5)).field("text", row.text(6));
        out->field("story", row.integer(7)).field("removed_bytes", row.integer(8));
        out->field("quotes", row.integer(9)).field("byline", row.text(10)).field("received", row.real(15));
        if (!row.is_null(11)) {
          dup_seq = row.integer(11);
          out->key("duplicate").begin_object();
          out->field("relation", row.text(12)).field("jaccard", row.real(13)).field("containment", row.real(14));
        }
      },
      id);
  if (!s) return s;
  if (!found) return false;
  if (dup_seq != 0) {
    std::string text, dup_id;
    auto known = article_text(dup_seq, &text, nullptr, nullptr, &dup_id);
    if (!known) return known.status();
    out->field("of", dup_id).end_object();
  }
  out->end_object();
  return true;
}

Result<bool> IndexDatabase::write_matches(std::string_view id, JsonWriter* out) const {
  auto seq = seq_of(id);
  if (!seq) return seq.status();
  if (*seq == 0) return false;
  struct Found {
    int64_t a, b;
    std::string relation, id, outlet, title, published;
    double similarity, a_shared, b_shared;
  };
  std::vector<Found> found;
  Status s = db_.query(
      st_->matches_json,
      [&](const SqliteRow& row) {
        found.push_back({row.integer(0), row.integer(1), std::string(row.text(2)), std::string(row.text(6)),
                         std::string(row.text(7)), std::string(row.text(8)), std::string(row.text(9)), row.real(3),
                         row.real(4), row.real(5)});
      },
      *seq);
  if (!s) return s;
  out->begin_object().field("id", id).key("matches").begin_array();
  for (const Found& f : found) {
    const bool newer = f.a == *seq;  // passages are stored from the newer article's side
    out->begin_object();
    out->field("id", f.id).field("outlet", f.outlet).field("title", f.title).field("published", f.published);
    out->field("relation", f.relation).field("similarity", f.similarity);
    out->field("shared", newer ? f.a_shared : f.b_shared).field("other_shared", newer ? f.b_shared : f.a_shared);
    out->key("passages").begin_array();
    s = db_.query(
        st_->passages_json,
        [&](const SqliteRow& row) {
          out->begin_object();
          out->field("begin", row.integer(newer ? 0 : 2)).field("end", row.integer(newer ? 1 : 3));
          out->field("other_begin", row.integer(newer ? 2 : 0)).field("other_end", row.integer(newer ? 3 : 1));
          out->field("words", row.integer(4)).field("score", row.real(5));
          out->end_object();
        },
        f.a, f.b);
    if (!s) return s;
    out->end_array().end_object();
  }
  out->end_array().end_object();
  return true;
}

Result<bool> IndexDatabase::write_story(int64_t story, int limit, int offset, JsonWriter* out) const {
  auto final_id = final_story(story);
  if (!final_id) return final_id.status();
  bool found = false;
  Status s = db_.query(
      st_->story_json,
      [&](const SqliteRow& row) {
        if (row.integer(2) == 0) return;
        found = true;
        out->begin_object();
        out->field("id", row.integer(0));
        if (*final_id != story) out->field("merged_from", story);
        out->field("headline", row.text(1)).field("size", row.integer(2)).field("outlets", row.integer(3));
        out->field("first_published", row.text(4)).field("last_published", row.text(5));
        out->field("active", row.integer(6) != 0);
        out->key("first").begin_object();
        write_optional_text(out, "id", row, 8);
        write_optional_text(out, "outlet", row, 9);
        out->end_object();
        out->field("members_offset", offset).field("members_limit", limit);
      },
      *final_id);
  if (!s) return s;
  if (!found) return false;
  out->key("members").begin_array();
  s = db_.query(
      st_->members_json,
      [&](const SqliteRow& row) {
        out->begin_object();
        out->field("id", row.text(0)).field("outlet", row.text(1)).field("title", row.text(2));
        out->field("url", row.text(3)).field("published", row.text(4));
        if (!row.is_null(5)) {
          out->key("duplicate").begin_object();
          out->field("relation", row.text(6));
          write_optional_text(out, "of", row, 7);
          out->end_object();
        }
        out->field("shared", row.is_null(8) ? 0.0 : row.real(8));
        out->end_object();
      },
      *final_id, limit, offset);
  if (!s) return s;
  out->end_array().end_object();
  return true;
}

Status IndexDatabase::write_stories(const StoryQuery& q, JsonWriter* out) const {
  const std::string match = fts_query(q.q);
  out->begin_array();
  Status s = db_.query(
      st_->stories_json,
      [&](const SqliteRow& row) {
        out->begin_object();
        out->field("id", row.integer(0)).field("headline", row.text(1)).field("size", row.integer(2));
        out->field("outlets", row.integer(3)).field("first_published", row.text(4));
        out->field("last_published", row.text(5)).field("active", row.integer(6) != 0);
        out->key("first").begin_object();
        write_optional_text(out, "id", row, 7);
        write_optional_text(out, "outlet", row, 8);
        out->end_object().end_object();
      },
      q.since.has_value(), int64_t{q.since.value_or(0)}, q.until.has_value(), int64_t{q.until.value_or(0)}, q.outlet,
      match, q.active_only, q.limit, q.offset);
  out->end_array();
  return s;
}

}  // namespace samestory
