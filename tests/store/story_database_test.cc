// samestory.db: the schema, the counts, and offsets that SQLite's own substr() can use.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "digest/digest.h"
#include "store/store.h"
#include "test_util.h"

namespace samestory {
namespace {

struct Db {
  sqlite3* db = nullptr;
  explicit Db(const std::string& path) { EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK); }
  ~Db() { sqlite3_close(db); }
  // The first column of every row, as text.
  std::vector<std::string> column(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sql << ": " << sqlite3_errmsg(db);
    std::vector<std::string> out;
    while (s && sqlite3_step(s) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(s, 0);
      out.emplace_back(t ? reinterpret_cast<const char*>(t) : "NULL");
    }
    sqlite3_finalize(s);
    return out;
  }
  std::string one(const std::string& sql) {
    auto c = column(sql);
    return c.empty() ? "" : c[0];
  }
};

TEST(StoryDatabase, ExampleCorpus) {
  RuleSet rules;
  ASSERT_TRUE(rules.add(RuleSet::builtin_text(), "built-in"));
  ASSERT_TRUE(rules.compile());
  StoryMapOptions options;
  options.rules = &rules;
  auto map = build_story_map(testing::read_all({std::string(SAMESTORY_SOURCE_DIR) + "/examples"}).docs, options);
  ASSERT_TRUE(map);
  testing::TempDir dir;
  const std::string path = dir.path() + "/samestory.db";
  ASSERT_TRUE(write_story_database(*map, path));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp-" + std::to_string(::getpid())));

  Db db(path);
  EXPECT_EQ(db.one("SELECT count(*) FROM articles"), std::to_string(map->articles.size()));
  EXPECT_EQ(db.one("SELECT count(*) FROM stories"), std::to_string(map->stories.size()));
  EXPECT_EQ(db.one("SELECT sum(size) FROM stories"), std::to_string(map->articles.size()));
  EXPECT_EQ(db.one("SELECT count(*) FROM articles WHERE story NOT IN (SELECT story FROM stories)"), "0");
  EXPECT_EQ(db.one("SELECT count(*) FROM articles WHERE position = 0"), std::to_string(map->stories.size()))
      << "one first publisher a story";
  EXPECT_EQ(db.one("SELECT relation FROM articles WHERE id = 'mp-2025-0303-bridge'"), "first");
  // Offsets are characters: substr() cuts exactly the removed line, the shared passage, the quote.
  EXPECT_NE(db.one("SELECT count(*) FROM boilerplate"), "0");
  for (const std::string& t : db.column("SELECT substr(a.text, b.begin + 1, b.end - b.begin) FROM boilerplate b "
                                        "JOIN articles a USING (article) WHERE b.category = 'advertisement'")) {
    EXPECT_NE(t.find("Advertisement"), std::string::npos) << t;
  }
  const auto pairs = db.column(
      "SELECT substr(x.text, p.a_begin + 1, 40) = substr(y.text, p.b_begin + 1, 40) FROM shared_passages p "
      "JOIN articles x ON x.article = p.a JOIN articles y ON y.article = p.b WHERE p.score = 1.0");
  ASSERT_FALSE(pairs.empty());
  for (const std::string& same : pairs) EXPECT_EQ(same, "1");
  const auto quotes = db.column(
      "SELECT q.text LIKE '%' || substr(a.text, o.begin + 1, o.end - o.begin) || '%' OR "
      "length(substr(a.text, o.begin + 1, o.end - o.begin)) <= length(q.text) FROM quote_occurrences o "
      "JOIN quotes q USING (quote) JOIN articles a USING (article)");
  ASSERT_FALSE(quotes.empty());
  EXPECT_EQ(db.one("SELECT count(*) FROM quote_occurrences o JOIN articles a USING (article) "
                   "WHERE substr(a.text, o.begin + 1, o.end - o.begin) = ''"),
            "0");
  // Duplicate groups: each has one representative, and it is the group's first publisher.
  EXPECT_EQ(db.one("SELECT count(*) FROM (SELECT duplicate_group FROM duplicate_groups "
                   "GROUP BY duplicate_group HAVING sum(relation = 'representative') != 1)"),
            "0");
  // Indexes for the usual questions.
  for (const char* index : {"articles_story", "shared_passages_a", "boilerplate_article", "quotes_speaker"}) {
    EXPECT_EQ(db.one(std::string("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '") + index + "'"), "1");
  }
}

TEST(StoryDatabase, AnUnwritableFolderIsAnErrorNamingThePath) {
  StoryMap map;
  const Status s = write_story_database(map, "/nonexistent-dir/samestory.db");
  EXPECT_FALSE(s);
  EXPECT_NE(s.message().find("/nonexistent-dir/samestory.db"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace samestory
