#include "store/story_database.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include "digest/story_json.h"
#include "store/sqlite_db.h"
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
  const SqliteStmt name = std::move(name##_r).value()

Status fill(const SqliteDb& w, const StoryMap& map) {
  TRY(w.exec(kSchema));
  PREPARE(meta, "INSERT INTO meta VALUES (?, ?)");
  TRY(w.run(meta, "schema_version", "1"));
  TRY(w.run(meta, "articles", std::to_string(map.articles.size())));
  TRY(w.run(meta, "stories", std::to_string(map.stories.size())));
  TRY(w.run(meta, "offsets", "characters (Unicode code points) of articles.text; end exclusive"));

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
    const auto relative_to = nullable(
        m.relative_to >= 0,
        m.relative_to < 0 ? int64_t{0} : static_cast<int64_t>(story.members[static_cast<size_t>(m.relative_to)].article) + 1);
    const CodePointIndex& c = cp(i);
    TRY(w.run(article, i + 1, a.doc.id, a.doc.outlet, a.doc.published.iso(), to_string(a.doc.published.precision),
                 a.doc.url, a.doc.title, a.byline, a.doc.text, a.doc.source.to_string(), a.story + 1, a.member,
                 to_string(m.relation), relative_to, m.similarity, describe_member(map, story, m), m.words,
                 m.shared_share(), m.original_share()));
    for (const Removal& r : a.removed) {
      TRY(w.run(boiler, i + 1, c.at(r.range.begin), c.at(r.range.end), r.category, r.reason));
    }
    for (const TextRange& r : m.own) TRY(w.run(own, i + 1, c.at(r.begin), c.at(r.end)));
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
    TRY(w.run(story_stmt, s + 1, story.headline, static_cast<uint64_t>(story.members.size()),
                 static_cast<uint64_t>(story.outlets.size()), story.members[0].article + 1, first.published.iso(),
                 story.first_reason, last));
    for (const MemberPair& p : story.pairs) {
      const uint32_t a = story.members[p.a].article, b = story.members[p.b].article;
      for (const SharedPassage& sp : p.alignment.passages) {
        TRY(w.run(pair_stmt, s + 1, a + 1, cp(a).at(sp.a.begin), cp(a).at(sp.a.end), b + 1, cp(b).at(sp.b.begin),
                     cp(b).at(sp.b.end), sp.matched_words, sp.score));
      }
    }
    for (const StoryQuote& q : story.quotes) {
      ++quote_number;
      TRY(w.run(quote_stmt, quote_number, s + 1, q.speaker, q.anonymous, q.text, json_array(q.outlets)));
      for (const QuoteOccurrence& o : q.occurrences) {
        const uint32_t a = story.members[o.member].article;
        TRY(w.run(occurrence_stmt, quote_number, a + 1, cp(a).at(o.range.begin), cp(a).at(o.range.end),
                     to_string(o.form), o.written));
      }
    }
    for (const StorySpeaker& sp : story.speakers) {
      TRY(w.run(speaker_stmt, s + 1, sp.name, json_array(sp.spellings), sp.quotes));
    }
    for (const StoryMemberDigest& m : story.members) cps[m.article].reset();
  }

  PREPARE(group_stmt, "INSERT INTO duplicate_groups VALUES (?,?,?,?,?,?,?)");
  for (uint32_t g = 0; g < map.groups.size(); ++g) {
    const DuplicateGroup& group = map.groups[g];
    const uint32_t rep = group.representative + 1;
    TRY(w.run(group_stmt, g + 1, rep, rep, "representative", 1.0, 1.0, 1.0));
    for (const GroupMember& m : group.members) {
      TRY(w.run(group_stmt, g + 1, m.doc + 1, rep, to_string(m.relation), m.jaccard, m.in_rep, m.rep_in));
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
  Status s;
  {
    auto db = SqliteDb::open(temp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!db) return Status::io_error(fmt::format("{}: cannot create: {}", path, db.status().message()));
    const SqliteDb w = std::move(db).value();
    // One transaction, no journal: the file is renamed into place only when complete, so a crash
    // leaves at most a temporary file, never a damaged database under the real name.
    s = w.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192; BEGIN;");
    if (s) s = fill(w, map);
    if (s) s = w.exec("COMMIT;");
  }  // closed before the rename
  if (s) {
    std::filesystem::rename(temp, path, ec);
    if (ec) s = Status::io_error(fmt::format("{}: cannot rename {} into place: {}", path, temp, ec.message()));
  }
  if (!s) std::filesystem::remove(temp, ec);
  return s;
}

}  // namespace samestory
