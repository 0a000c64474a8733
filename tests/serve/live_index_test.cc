// LiveIndex on the example corpus: what each article learns at ingest, and what a restart (the
// in-memory part rebuilt from the database) keeps: every stored answer, and the same copies.
#include "serve/live_index.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "clean/cleaning_setup.h"
#include "io/corpus_reader.h"
#include "store/sqlite_db.h"

namespace samestory {
namespace {

namespace fs = std::filesystem;

std::vector<Document> example_articles() {
  ProblemLog log(ProblemLogOptions{0, nullptr});
  CorpusReader reader({std::string(SAMESTORY_SOURCE_DIR) + "/examples/articles.jsonl"}, ReadOptions{}, &log);
  std::vector<Document> docs;
  Document d;
  while (reader.next(&d)) docs.push_back(d);
  return docs;
}

class LiveIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("samestory-live-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ASSERT_TRUE(load_cleaning(false, "", &cleaning_));
    options_.pipeline.rules = cleaning_.rules_used;
    options_.snapshot_every = 5;  // so that restarts read a snapshot and replay the rest
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<LiveIndex> open(const std::string& name) {
    auto index = LiveIndex::open((dir_ / name).string(), options_);
    EXPECT_TRUE(index) << index.status().message();
    return index ? std::move(index).value() : nullptr;
  }

  static std::vector<IngestOutcome> ingest(LiveIndex& index, const std::vector<Document>& docs, size_t from, size_t to,
                                           size_t batch = 4) {
    std::vector<IngestOutcome> all;
    for (size_t i = from; i < to; i += batch) {
      std::vector<PreparedInput> in;
      for (size_t j = i; j < std::min(to, i + batch); ++j) in.push_back(index.prepare(docs[j]));
      auto out = index.ingest(std::move(in));
      EXPECT_TRUE(out) << out.status().message();
      if (out) all.insert(all.end(), out->begin(), out->end());
    }
    return all;
  }

  // The stories as a partition (story numbers may differ), after every merge.
  static std::set<std::set<std::string>> partition(const std::string& path) {
    auto db = IndexDatabase::open_reader(path);
    EXPECT_TRUE(db);
    std::map<int64_t, std::set<std::string>> stories;
    std::set<std::set<std::string>> out;
    for (const Document& d : example_articles()) {
      std::string body;
      JsonWriter w(&body);
      auto found = db->write_article(d.id, &w);
      EXPECT_TRUE(found && *found);
      const auto at = body.find("\"story\":");
      stories[std::stoll(body.substr(at + 8))].insert(d.id);
    }
    for (auto& [story, ids] : stories) out.insert(ids);
    return out;
  }

  fs::path dir_;
  CleaningSetup cleaning_;
  LiveIndexOptions options_;
};

TEST_F(LiveIndexTest, EachArticleLearnsItsCopiesMatchesAndStory) {
  const std::vector<Document> docs = example_articles();
  ASSERT_EQ(docs.size(), 28u);
  auto index = open("a.db");
  const std::vector<IngestOutcome> out = ingest(*index, docs, 0, docs.size());
  ASSERT_EQ(out.size(), docs.size());
  std::map<std::string, const IngestOutcome*> by_id;
  for (const IngestOutcome& o : out) {
    EXPECT_EQ(o.kind, IngestOutcome::Kind::kIndexed) << o.id;
    by_id[o.id] = &o;
  }
  // The Courier re-ran Meridian Press's bridge story inside its own: a contained copy, with the
  // wire text as a shared passage, in the wire story's story.
  const IngestOutcome& courier = *by_id.at("courier-5520");
  EXPECT_EQ(courier.duplicate_relation, "contained");
  EXPECT_EQ(courier.duplicate_of, "mp-2025-0303-bridge");
  ASSERT_FALSE(courier.matches.empty());
  EXPECT_EQ(courier.matches[0].id, "mp-2025-0303-bridge");
  EXPECT_FALSE(courier.matches[0].passages.empty());
  EXPECT_GT(courier.matches[0].shared, 0.5);
  EXPECT_EQ(courier.story, by_id.at("mp-2025-0303-bridge")->story);
  for (const PassageRow& p : courier.matches[0].passages) {
    EXPECT_LT(p.a_begin, p.a_end);
    EXPECT_LT(p.b_begin, p.b_end);
  }
  // Unrelated stories stay apart.
  EXPECT_NE(by_id.at("mp-2025-0306-storm")->story, by_id.at("mp-2025-0303-bridge")->story);
  EXPECT_EQ(index->stats().articles, docs.size());
}

TEST_F(LiveIndexTest, ARepeatedIdIsReportedNotIndexedAgain) {
  const std::vector<Document> docs = example_articles();
  auto index = open("a.db");
  ingest(*index, docs, 0, 3);
  std::vector<PreparedInput> again;
  again.push_back(index->prepare(docs[1]));
  again.push_back(index->prepare(docs[5]));
  again.push_back(index->prepare(docs[5]));
  auto out = index->ingest(std::move(again));
  ASSERT_TRUE(out);
  EXPECT_EQ((*out)[0].kind, IngestOutcome::Kind::kDuplicateId);
  EXPECT_EQ((*out)[1].kind, IngestOutcome::Kind::kIndexed);
  EXPECT_EQ((*out)[2].kind, IngestOutcome::Kind::kDuplicateId);
  EXPECT_EQ(index->stats().articles, 4u);
}

TEST_F(LiveIndexTest, ARestartFindsTheSameCopies) {
  const std::vector<Document> docs = example_articles();
  std::vector<IngestOutcome> straight;
  {
    auto index = open("straight.db");
    straight = ingest(*index, docs, 0, docs.size());
  }
  std::vector<IngestOutcome> restarted;
  {
    auto index = open("restarted.db");
    restarted = ingest(*index, docs, 0, 9);
  }
  {
    auto index = open("restarted.db");  // no save_snapshot(): as after kill -9
    EXPECT_EQ(index->stats().restored_articles, 9u);
    auto more = ingest(*index, docs, 9, 19);
    restarted.insert(restarted.end(), more.begin(), more.end());
    ASSERT_TRUE(index->save_snapshot());
  }
  {
    auto index = open("restarted.db");
    auto more = ingest(*index, docs, 19, docs.size());
    restarted.insert(restarted.end(), more.begin(), more.end());
  }
  ASSERT_EQ(restarted.size(), straight.size());
  for (size_t i = 0; i < straight.size(); ++i) {
    EXPECT_EQ(restarted[i].duplicate_relation, straight[i].duplicate_relation) << straight[i].id;
    EXPECT_EQ(restarted[i].duplicate_of, straight[i].duplicate_of) << straight[i].id;
    EXPECT_EQ(restarted[i].new_story, straight[i].new_story) << straight[i].id;
    // The copy's match is the same; links to the rest of the story may rank differently (the
    // replayed articles are weighed with the frequencies of the snapshot, see live_index.h).
    if (!straight[i].duplicate_relation.empty()) {
      ASSERT_FALSE(restarted[i].matches.empty()) << straight[i].id;
      EXPECT_EQ(restarted[i].matches[0].id, straight[i].matches[0].id);
      EXPECT_EQ(restarted[i].matches[0].passages.size(), straight[i].matches[0].passages.size());
    }
  }
  // Every article is in one story, and the index answers for all of them.
  size_t members = 0;
  for (const auto& story : partition((dir_ / "restarted.db").string())) members += story.size();
  EXPECT_EQ(members, docs.size());
}

TEST_F(LiveIndexTest, ARestartChangesNothingStored) {
  const std::vector<Document> docs = example_articles();
  {
    auto index = open("a.db");
    ingest(*index, docs, 0, docs.size());
  }
  const auto before = partition((dir_ / "a.db").string());
  {
    auto index = open("a.db");
    EXPECT_EQ(index->stats().articles, docs.size());
    EXPECT_GT(index->stats().live_articles, 0u);
  }
  EXPECT_EQ(partition((dir_ / "a.db").string()), before);
}

TEST_F(LiveIndexTest, AnIndexOfAnEarlierFormatIsRefusedWithWhatToDo) {
  const std::string path = (dir_ / "old.db").string();
  { auto index = open("old.db"); }
  {
    auto db = SqliteDb::open(path, SQLITE_OPEN_READWRITE);
    ASSERT_TRUE(db) << db.status().message();
    ASSERT_TRUE(db->exec("UPDATE meta SET value = '1' WHERE key = 'schema_version'"));
  }
  auto reopened = LiveIndex::open(path, options_);
  ASSERT_FALSE(reopened);
  EXPECT_NE(reopened.status().message().find("built by an earlier samestory, whose word hashes differ"),
            std::string::npos)
      << reopened.status().message();
}

TEST_F(LiveIndexTest, ADeletedArticleIsGoneFromTheDatabaseAndTheLiveIndex) {
  const std::vector<Document> docs = example_articles();
  auto index = open("a.db");
  ingest(*index, docs, 0, 1);  // mp-2025-0303-bridge
  auto removed = index->remove("mp-2025-0303-bridge");
  ASSERT_TRUE(removed && *removed);
  removed = index->remove("mp-2025-0303-bridge");
  ASSERT_TRUE(removed);
  EXPECT_FALSE(*removed);
  // An exact copy of it is no longer a copy of anything.
  Document copy = docs[0];
  copy.id = "copy-of-the-deleted";
  std::vector<PreparedInput> in;
  in.push_back(index->prepare(copy));
  auto out = index->ingest(std::move(in));
  ASSERT_TRUE(out);
  EXPECT_EQ((*out)[0].duplicate_relation, "");
  EXPECT_TRUE((*out)[0].new_story);
  EXPECT_EQ(index->stats().articles, 1u);
}

TEST_F(LiveIndexTest, ADeletedOriginalLeavesNoMatchOrPassageOnEitherSide) {
  const std::vector<Document> docs = example_articles();
  auto index = open("a.db");
  const std::vector<IngestOutcome> out = ingest(*index, docs, 0, docs.size());
  // An article that later ones matched: it is the b side (the older one) of their rows.
  std::string original;
  for (const IngestOutcome& o : out) {
    if (!o.matches.empty() && !o.matches[0].passages.empty()) original = o.matches[0].id;
  }
  ASSERT_FALSE(original.empty());
  auto db = SqliteDb::open((dir_ / "a.db").string(), SQLITE_OPEN_READONLY);
  ASSERT_TRUE(db);
  auto count = [&](const char* sql, int64_t seq) {
    int64_t n = -1;
    auto stmt = db->prepare(sql);
    EXPECT_TRUE(stmt);
    EXPECT_TRUE(db->query(*stmt, [&](const SqliteRow& row) { n = row.integer(0); }, seq));
    return n;
  };
  int64_t seq = 0;
  auto seq_stmt = db->prepare("SELECT seq FROM articles WHERE id = ?");
  ASSERT_TRUE(seq_stmt);
  ASSERT_TRUE(db->query(*seq_stmt, [&](const SqliteRow& row) { seq = row.integer(0); }, original));
  ASSERT_GT(count("SELECT count(*) FROM passages WHERE b = ?", seq), 0);
  ASSERT_GT(count("SELECT count(*) FROM matches WHERE b = ?", seq), 0);
  const int64_t passages_before = count("SELECT count(*) FROM passages WHERE ? > 0", 1);

  auto removed = index->remove(original);
  ASSERT_TRUE(removed && *removed);
  EXPECT_EQ(count("SELECT count(*) FROM passages WHERE a = ?1 OR b = ?1", seq), 0);
  EXPECT_EQ(count("SELECT count(*) FROM matches WHERE a = ?1 OR b = ?1", seq), 0);
  EXPECT_LT(count("SELECT count(*) FROM passages WHERE ? > 0", 1), passages_before);
  EXPECT_GT(count("SELECT count(*) FROM passages WHERE ? > 0", 1), 0) << "other pairs' passages stay";
}

TEST_F(LiveIndexTest, StoriesPastTheHorizonLeaveTheLiveIndexButStayQueryable) {
  options_.horizon_days = 2;
  std::vector<Document> docs = example_articles();
  auto index = open("a.db");
  ingest(*index, docs, 0, 1);  // 2025-03-03
  Document later = docs[9];    // a different story, dated a month later
  later.id = "later";
  later.published.unix_seconds += 30 * 86400;
  std::vector<PreparedInput> in;
  in.push_back(index->prepare(later));
  ASSERT_TRUE(index->ingest(std::move(in)));
  EXPECT_EQ(index->stats().live_articles, 1u);
  auto db = IndexDatabase::open_reader((dir_ / "a.db").string());
  ASSERT_TRUE(db);
  std::string body;
  JsonWriter w(&body);
  auto found = db->write_article("mp-2025-0303-bridge", &w);
  ASSERT_TRUE(found && *found);
  body.clear();
  JsonWriter s(&body);
  auto story = db->write_story(1, 100, 0, &s);
  ASSERT_TRUE(story && *story);
  EXPECT_NE(body.find("\"active\":false"), std::string::npos) << body;
}

// Story rows are kept up to date per article in constant time; they must equal a recomputation
// from the articles.
TEST_F(LiveIndexTest, StoryRowsKeptPerArticleEqualARecomputation) {
  const std::vector<Document> docs = example_articles();
  const std::string path = (dir_ / "a.db").string();
  {
    auto index = open("a.db");
    ingest(*index, docs, 0, docs.size(), 3);
  }
  auto rows = [&] {
    auto db = SqliteDb::open(path, SQLITE_OPEN_READONLY);
    EXPECT_TRUE(db);
    auto stmt = db->prepare(
        "SELECT id, headline, size, outlets, first_article, first_published, first_key, last_published, last_key, "
        "first_day, last_day, merged_into FROM stories ORDER BY id");
    std::vector<std::string> out;
    EXPECT_TRUE(db->query(*stmt, [&](const SqliteRow& r) {
      std::string line;
      for (int c = 0; c < 12; ++c) line += std::string(r.is_null(c) ? "NULL" : r.text(c)) + "|";
      out.push_back(line);
    }));
    return out;
  };
  const std::vector<std::string> kept = rows();
  ASSERT_FALSE(kept.empty());
  {
    auto db = IndexDatabase::open_writer(path, false);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->begin());
    auto stories = SqliteDb::open(path, SQLITE_OPEN_READONLY);
    auto stmt = stories->prepare("SELECT id, active FROM stories WHERE merged_into IS NULL");
    std::vector<std::pair<int64_t, bool>> ids;
    ASSERT_TRUE(stories->query(*stmt, [&](const SqliteRow& r) { ids.push_back({r.integer(0), r.integer(1) != 0}); }));
    for (const auto& [id, active] : ids) ASSERT_TRUE(db->refresh_story(id, active));
    ASSERT_TRUE(db->commit());
  }
  EXPECT_EQ(rows(), kept);
}

}  // namespace
}  // namespace samestory
