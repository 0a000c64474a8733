#include "store/story_database.h"

#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include "digest/story_json.h"
#include "text/offsets.h"

namespace samestory {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE articles (
  article INTEGER PRIMARY KEY,         -- input order, from 1
  id TEXT NOT NULL,                    -- the input's own id
  outlet TEXT, published TEXT, date_precision TEXT, url TEXT, title TEXT, byline TEXT,
  text TEXT NOT NULL,                  -- as the input gave it; every offset points into it
  source TEXT,                         -- FILE:LINE it was read from
  story INTEGER NOT NULL REFERENCES stories(story),
  position INTEGER NOT NULL,           -- in its story by publication; 0 = first publisher
  relation TEXT NOT NULL,              -- first, exact-copy, near-copy, contained, contains, shares, independent
  relative_to INTEGER REFERENCES articles(article),
  similarity REAL,                     -- Jaccard or containment for copies; shared share for 'shares'
  summary TEXT,                        -- the relation in words
  words INTEGER, shared_share REAL, original_share REAL);
CREATE TABLE stories (
  story INTEGER PRIMARY KEY, headline TEXT, size INTEGER, outlets INTEGER,
  first_article INTEGER REFERENCES articles(article), first_published TEXT, first_reason TEXT,
  last_published TEXT);
CREATE TABLE duplicate_groups (
  duplicate_group INTEGER NOT NULL, article INTEGER NOT NULL REFERENCES articles(article),
  representative INTEGER NOT NULL REFERENCES articles(article),
  relation TEXT NOT NULL,              -- representative, exact, near, contained, contains, linked
  jaccard REAL, in_representative REAL, representative_in REAL,
  PRIMARY KEY (duplicate_group, article));
CREATE TABLE shared_passages (
  story INTEGER NOT NULL REFERENCES stories(story),
  a INTEGER NOT NULL REFERENCES articles(article), a_begin INTEGER, a_end INTEGER,
  b INTEGER NOT NULL REFERENCES articles(article), b_begin INTEGER, b_end INTEGER,
  matched_words INTEGER, score REAL);
CREATE TABLE own_passages (
  article INTEGER NOT NULL REFERENCES articles(article), begin INTEGER, end INTEGER);
CREATE TABLE boilerplate (
  article INTEGER NOT NULL REFERENCES articles(article), begin INTEGER, end INTEGER,
  category TEXT, reason TEXT);
CREATE TABLE quotes (
  quote INTEGER PRIMARY KEY, story INTEGER NOT NULL REFERENCES stories(story),
  speaker TEXT, anonymous INTEGER, text TEXT, outlets TEXT);  -- outlets: JSON array
CREATE TABLE quote_occurrences (
  quote INTEGER NOT NULL REFERENCES quotes(quote), article INTEGER NOT NULL REFERENCES articles(article),
  begin INTEGER, end INTEGER, form TEXT, written TEXT);
CREATE TABLE speakers (
  story INTEGER NOT NULL REFERENCES stories(story), name TEXT, spellings TEXT, quotes INTEGER);
)sql";

constexpr const char* kIndexes = R"sql(
CREATE INDEX articles_story ON articles(story, position);
CREATE INDEX articles_id ON articles(id);
CREATE INDEX articles_outlet ON articles(outlet, published);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX duplicate_groups_article ON duplicate_groups(article);
CREATE INDEX shared_passages_story ON shared_passages(story);
CREATE INDEX shared_passages_a ON shared_passages(a);
CREATE INDEX shared_passages_b ON shared_passages(b);
CREATE INDEX own_passages_article ON own_passages(article);
CREATE INDEX boilerplate_article ON boilerplate(article);
CREATE INDEX boilerplate_category ON boilerplate(category);
CREATE INDEX quotes_story ON quotes(story);
CREATE INDEX quotes_speaker ON quotes(speaker);
CREATE INDEX quote_occurrences_quote ON quote_occurrences(quote);
CREATE INDEX quote_occurrences_article ON quote_occurrences(article);
CREATE INDEX speakers_story ON speakers(story);
CREATE INDEX speakers_name ON speakers(name);
)sql";

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtCloser {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Stmt = std::unique_ptr<sqlite3_stmt, StmtCloser>;

// A row number, or NULL when 0 (rows are numbered from 1).
struct NullableId {
  int64_t id = 0;
};

class Writer {
 public:
  Writer(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  Status exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      Status s = Status::io_error(fmt::format("{}: {}", path_, message ? message : "SQLite error"));
      sqlite3_free(message);
      return s;
    }
    return Status::ok();
  }

  Result<Stmt> prepare(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &s, nullptr) != SQLITE_OK) {
      return Status::io_error(fmt::format("{}: {}", path_, sqlite3_errmsg(db_)));
    }
    return Stmt(s);
  }

  // Binds the values (1-based, in order) and steps the statement once.
  template <typename... Values>
  Status insert(const Stmt& stmt, const Values&... values) {
    sqlite3_stmt* s = stmt.get();
    int i = 0;
    (bind(s, ++i, values), ...);
    const int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) return Status::io_error(fmt::format("{}: {}", path_, sqlite3_errmsg(db_)));
    return Status::ok();
  }

 private:
  static void bind(sqlite3_stmt* s, int i, int64_t v) { sqlite3_bind_int64(s, i, v); }
  static void bind(sqlite3_stmt* s, int i, uint64_t v) { sqlite3_bind_int64(s, i, static_cast<int64_t>(v)); }
  static void bind(sqlite3_stmt* s, int i, uint32_t v) { sqlite3_bind_int64(s, i, v); }
  static void bind(sqlite3_stmt* s, int i, int32_t v) { sqlite3_bind_int64(s, i, v); }
  static void bind(sqlite3_stmt* s, int i, bool v) { sqlite3_bind_int64(s, i, v ? 1 : 0); }
  static void bind(sqlite3_stmt* s, int i, double v) { sqlite3_bind_double(s, i, v); }
  static void bind(sqlite3_stmt* s, int i, std::string_view v) {
    sqlite3_bind_text64(s, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  static void bind(sqlite3_stmt* s, int i, const std::string& v) { bind(s, i, std::string_view(v)); }
  static void bind(sqlite3_stmt* s, int i, const char* v) { bind(s, i, std::string_view(v)); }
  static void bind(sqlite3_stmt* s, int i, NullableId v) {
    if (v.id > 0) {
      sqlite3_bind_int64(s, i, v.id);
    } else {
      sqlite3_bind_null(s, i);
    }
  }

  sqlite3* db_;
  std::string path_;
};

std::string json_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      if (static_cast<unsigned char>(c) < 0x20) {
        out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        continue;
      }
      out += c;
    }
    out += '"';
  }
  return out + "]";
}

#define TRY(expr)                  \
  do {                             \
    if (Status s_ = (expr); !s_) { \
      return s_;                   \
    }                              \
  } while (0)

#define PREPARE(name, sql)          \
  auto name##_r = w.prepare(sql);   \
  if (!name##_r) return name##_r.status(); \
  const Stmt name = std::move(name##_r).value()

Status fill(Writer& w, const StoryMap& map) {
  TRY(w.exec(kSchema));
  PREPARE(meta, "INSERT INTO meta VALUES (?, ?)");
  TRY(w.insert(meta, "schema_version", "1"));
  TRY(w.insert(meta, "articles", std::to_string(map.articles.size())));
  TRY(w.insert(meta, "stories", std::to_string(map.stories.size())));
  TRY(w.insert(meta, "offsets", "characters (Unicode code points) of articles.text; end exclusive"));

  PREPARE(article, "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  PREPARE(boiler, "INSERT INTO boilerplate VALUES (?,?,?,?,?)");
  PREPARE(own, "INSERT INTO own_passages VALUES (?,?,?)");
  std::vector<std::unique_ptr<CodePointIndex>> cps(map.articles.size());
  auto cp = [&](uint32_t a) -> const CodePointIndex& {
    if (!cps[a]) cps[a] = std::make_unique<CodePointIndex>(map.articles[a].doc.text);
    return *cps[a];
  };
  for (uint32_t i = 0; i < map.articles.size(); ++i) {
    const MapArticle& a = map.articles[i];
    const StoryDigest& story = map.stories[a.story];
    const StoryMemberDigest& m = story.members[a.member];
    const NullableId relative_to{
        m.relative_to < 0 ? 0 : static_cast<int64_t>(story.members[static_cast<size_t>(m.relative_to)].article) + 1};
    const CodePointIndex& c = cp(i);
    TRY(w.insert(article, i + 1, a.doc.id, a.doc.outlet, a.doc.published.iso(), to_string(a.doc.published.precision),
                 a.doc.url, a.doc.title, a.byline, a.doc.text, a.doc.source.to_string(), a.story + 1, a.member,
                 to_string(m.relation), relative_to, m.similarity, describe_member(map, story, m), m.words,
                 m.shared_share(), m.original_share()));
    for (const Removal& r : a.removed) {
      TRY(w.insert(boiler, i + 1, c.at(r.range.begin), c.at(r.range.end), r.category, r.reason));
    }
    for (const TextRange& r : m.own) TRY(w.insert(own, i + 1, c.at(r.begin), c.at(r.end)));
    cps[i].reset();
  }

  PREPARE(story_stmt, "INSERT INTO stories VALUES (?,?,?,?,?,?,?,?)");
  PREPARE(pair_stmt, "INSERT INTO shared_passages VALUES (?,?,?,?,?,?,?,?,?)");
  PREPARE(quote_stmt, "INSERT INTO quotes VALUES (?,?,?,?,?,?)");
  PREPARE(occurrence_stmt, "INSERT INTO quote_occurrences VALUES (?,?,?,?,?,?)");
  PREPARE(speaker_stmt, "INSERT INTO speakers VALUES (?,?,?,?)");
  uint64_t quote_number = 0;
  for (uint32_t s = 0; s < map.stories.size(); ++s) {
    const StoryDigest& story = map.stories[s];
    const Document& first = map.articles[story.members[0].article].doc;
    std::string last;
    for (const StoryMemberDigest& m : story.members) {
      const PublishedTime& t = map.articles[m.article].doc.published;
      if (t.known()) last = t.iso();
    }
    TRY(w.insert(story_stmt, s + 1, story.headline, static_cast<uint64_t>(story.members.size()),
                 static_cast<uint64_t>(story.outlets.size()), story.members[0].article + 1, first.published.iso(),
                 story.first_reason, last));
    for (const MemberPair& p : story.pairs) {
      const uint32_t a = story.members[p.a].article, b = story.members[p.b].article;
      for (const SharedPassage& sp : p.alignment.passages) {
        TRY(w.insert(pair_stmt, s + 1, a + 1, cp(a).at(sp.a.begin), cp(a).at(sp.a.end), b + 1, cp(b).at(sp.b.begin),
                     cp(b).at(sp.b.end), sp.matched_words, sp.score));
      }
    }
    for (const StoryQuote& q : story.quotes) {
      ++quote_number;
      TRY(w.insert(quote_stmt, quote_number, s + 1, q.speaker, q.anonymous, q.text, json_array(q.outlets)));
      for (const QuoteOccurrence& o : q.occurrences) {
        const uint32_t a = story.members[o.member].article;
        TRY(w.insert(occurrence_stmt, quote_number, a + 1, cp(a).at(o.range.begin), cp(a).at(o.range.end),
                     to_string(o.form), o.written));
      }
    }
    for (const StorySpeaker& sp : story.speakers) {
      TRY(w.insert(speaker_stmt, s + 1, sp.name, json_array(sp.spellings), sp.quotes));
    }
    for (const StoryMemberDigest& m : story.members) cps[m.article].reset();
  }

  PREPARE(group_stmt, "INSERT INTO duplicate_groups VALUES (?,?,?,?,?,?,?)");
  for (uint32_t g = 0; g < map.groups.size(); ++g) {
    const DuplicateGroup& group = map.groups[g];
    const uint32_t rep = group.representative + 1;
    TRY(w.insert(group_stmt, g + 1, rep, rep, "representative", 1.0, 1.0, 1.0));
    for (const GroupMember& m : group.members) {
      TRY(w.insert(group_stmt, g + 1, m.doc + 1, rep, to_string(m.relation), m.jaccard, m.in_rep, m.rep_in));
    }
  }
  TRY(w.exec(kIndexes));
  return Status::ok();
}

}  // namespace

const char* story_database_schema() { return kSchema; }

Status write_story_database(const StoryMap& map, const std::string& path) {
  const std::string temp = fmt::format("{}.tmp-{}", path, ::getpid());
  std::error_code ec;
  std::filesystem::remove(temp, ec);
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(temp.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
    Status s = Status::io_error(fmt::format("{}: cannot create: {}", path, raw ? sqlite3_errmsg(raw) : "out of memory"));
    sqlite3_close(raw);
    return s;
  }
  std::unique_ptr<sqlite3, DbCloser> db(raw);
  Writer w(raw, path);
  // One transaction, no journal: the file is renamed into place only when complete, so a crash
  // leaves at most a temporary file, never a damaged database under the real name.
  Status s = w.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192; BEGIN;");
  if (s) s = fill(w, map);
  if (s) s = w.exec("COMMIT;");
  db.reset();
  if (s) {
    std::filesystem::rename(temp, path, ec);
    if (ec) s = Status::io_error(fmt::format("{}: cannot rename {} into place: {}", path, temp, ec.message()));
  }
  if (!s) std::filesystem::remove(temp, ec);
  return s;
}

}  // namespace samestory
