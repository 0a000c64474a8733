// The shared seeds and data sets load completely, with the counts their READMEs give.

#include <gtest/gtest.h>

#include <set>

#include "test_util.h"

namespace samestory {
namespace {

using testing::read_all;
using testing::shared_dir;

TEST(SharedData, SeedsParseWithTheirDateAndDistinctOutlets) {
  REQUIRE_SHARED();
  const auto r = read_all({shared_dir() + "/seeds"});
  ASSERT_EQ(r.docs.size(), 2u);
  for (const Document& d : r.docs) {
    EXPECT_EQ(d.published.iso(), "2025-02-18");
    EXPECT_EQ(d.published.precision, TimePrecision::kDay);
  }
  EXPECT_NE(r.docs[0].outlet, r.docs[1].outlet);
  // The header is not part of the text; the rest of the first line is.
  EXPECT_TRUE(r.docs[0].text.starts_with("Your support helps us to tell the story"));
  EXPECT_TRUE(r.docs[1].text.starts_with("Russia and the US have agreed"));
  EXPECT_EQ(r.counts.read, 2u);
  EXPECT_EQ(r.rejected, 0u);
}

TEST(SharedData, Giveme5w1hLoadsAll247Articles) {
  REQUIRE_SHARED();
  const auto r = read_all({shared_dir() + "/data/giveme5w1h-news-cluster-dev"});
  EXPECT_EQ(r.docs.size(), 247u);
  EXPECT_EQ(r.rejected, 0u);
  std::set<std::string> ids, outlets;
  for (const Document& d : r.docs) {
    ids.insert(d.id);
    outlets.insert(d.outlet);
    EXPECT_TRUE(d.published.known()) << d.id;
    EXPECT_FALSE(d.text.empty()) << d.id;
    EXPECT_FALSE(d.url.empty()) << d.id;
  }
  EXPECT_EQ(ids.size(), 247u);
  EXPECT_GE(outlets.size(), 70u);
  EXPECT_TRUE(outlets.count("nytimes.com"));
}

TEST(SharedData, ReutersLoadsAll21578RecordsWith19043Bodies) {
  REQUIRE_SHARED();
  const auto r = read_all({shared_dir() + "/data/reuters21578"});
  EXPECT_EQ(r.counts.read, 21578u);
  uint64_t with_body = 0, title_only = 0;
  std::set<std::string> ids;
  for (const Document& d : r.docs) {
    with_body += !d.text.empty();
    title_only += d.text.empty();
    ids.insert(d.id);
    EXPECT_TRUE(d.published.known()) << d.id;
  }
  EXPECT_EQ(with_body, 19043u);
  // The records with neither body nor title are rejected, each with its reason.
  EXPECT_EQ(r.count(Reason::kMissingText), 21578u - with_body - title_only);
  EXPECT_EQ(r.rejected, r.count(Reason::kMissingText));
  EXPECT_EQ(ids.size(), r.docs.size());  // attrs.newid is unique
}

TEST(SharedData, UciHeadlinesLoad6366RowsAndReportTheCutOffOne) {
  REQUIRE_SHARED();
  const auto r = read_all({shared_dir() + "/data/uci-news-aggregator-head"});
  EXPECT_EQ(r.docs.size(), 6366u);
  EXPECT_EQ(r.count(Reason::kTruncatedInput), 1u);
  EXPECT_EQ(r.counts.read, 6367u);
  EXPECT_EQ(r.docs.front().id, "1");
  EXPECT_EQ(r.docs.front().outlet, "Los Angeles Times");
  EXPECT_EQ(r.docs.back().id, "6366");
  for (const Document& d : r.docs) EXPECT_FALSE(d.title.empty());
}

}  // namespace
}  // namespace samestory
