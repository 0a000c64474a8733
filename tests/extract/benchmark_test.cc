// The article-extraction benchmark (../shared/data/article-extraction-benchmark): every page is
// read through the HTML reader and the extracted bodies score F1 >= 0.96 by the benchmark's
// measure (trafilatura 2.0.0 publishes 0.958). A regression in the extractor shows here first.

#include <gtest/gtest.h>
#include <simdjson.h>

#include <unordered_map>

#include "extract/extract.h"
#include "test_util.h"

namespace samestory {
namespace {

using testing::read_all;
using testing::shared_dir;

TEST(ExtractionBenchmark, F1IsAtLeast096OnThe181Pages) {
  REQUIRE_SHARED();
  const std::string dir = shared_dir() + "/data/article-extraction-benchmark";
  const auto r = read_all({dir + "/html"});
  EXPECT_EQ(r.counts.read, 181u);
  std::unordered_map<std::string, std::string> extracted;
  for (const Document& doc : r.docs) {
    extracted[doc.id] = doc.text;
    ASSERT_NE(doc.page, nullptr);
  }
  simdjson::dom::parser parser;
  simdjson::dom::object truth;
  ASSERT_EQ(parser.load(dir + "/ground-truth.json").get(truth), simdjson::SUCCESS);
  ExtractionScore score;
  for (auto [id, page] : truth) {
    std::string_view body;
    ASSERT_EQ(page["articleBody"].get(body), simdjson::SUCCESS);
    auto it = extracted.find(std::string(id));
    score.add(match_shingles(it == extracted.end() ? std::string_view() : std::string_view(it->second), body));
  }
  EXPECT_EQ(score.pages, 181u);
  EXPECT_GE(score.total.f1(), 0.96) << "precision " << score.total.precision() << " recall " << score.total.recall();
  EXPECT_GE(score.total.precision(), 0.94);
  EXPECT_GE(score.total.recall(), 0.94);
}

}  // namespace
}  // namespace samestory
