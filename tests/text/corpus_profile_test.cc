#include "text/corpus_profile.h"

#include <gtest/gtest.h>

namespace samestory {
namespace {

Document doc(std::string outlet, std::string text, int64_t t, bool dated = true) {
  Document d;
  d.outlet = std::move(outlet);
  d.text = std::move(text);
  if (dated) d.published = {t, TimePrecision::kDay};
  return d;
}

TEST(CorpusProfile, MergingBatchesEqualsAddingOneByOne) {
  const std::vector<Document> docs = {doc("a", "One two three.", 100), doc("b", "Four five.", 50),
                                      doc("a", "Six.", 0, false), doc("c", "Seven eight nine ten.", 300)};
  CorpusProfile whole;
  for (const Document& d : docs) whole.add(d, true);
  CorpusProfile left, right;
  left.add(docs[0], true);
  left.add(docs[1], true);
  right.add(docs[2], true);
  right.add(docs[3], true);
  left.merge(right);
  EXPECT_EQ(left.documents, 4u);
  EXPECT_EQ(left.tokens, whole.tokens);
  EXPECT_EQ(left.tokens, 10u);
  EXPECT_EQ(left.sentences, 4u);
  EXPECT_EQ(left.dated, 3u);
  EXPECT_EQ(left.first_published, 50);
  EXPECT_EQ(left.last_published, 300);
  EXPECT_EQ(left.outlets, whole.outlets);
  const auto top = left.top_outlets(1);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].first, "a");
  EXPECT_EQ(top[0].second, 2u);
}

}  // namespace
}  // namespace samestory
