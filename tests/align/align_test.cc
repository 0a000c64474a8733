#include <gtest/gtest.h>
#include <simdjson.h>

#include <random>

#include "align/align.h"
#include "base/sorted_intersection.h"
#include "text/offsets.h"
#include "sketch/shingle.h"
#include "test_util.h"
#include "text/tokenize.h"

namespace samestory {
namespace {

Alignment align(const std::string& a, const std::string& b, const AlignOptions& options = {}) {
  return align_texts(AlignText::of(a), AlignText::of(b), options);
}

std::string span(const std::string& text, ByteRange r) { return text.substr(r.begin, r.end - r.begin); }

// Deterministic filler prose: `words` words drawn from a vocabulary large enough that two
// different seeds share no 8-word stretch.
std::string prose(uint32_t seed, int words) {
  std::mt19937 rng(seed);
  std::string s;
  for (int i = 0; i < words; ++i) {
    if (i) s += (i % 17 == 0) ? ".\n\n" : " ";
    s += 'w';
    s += std::to_string(rng() % 50000);
  }
  return s + ".";
}

TEST(Align, IdenticalTextsAreOnePassage) {
  const std::string t = prose(1, 300);
  const Alignment al = align(t, t);
  ASSERT_EQ(al.passages.size(), 1u);
  EXPECT_EQ(al.passages[0].a.begin, 0u);
  EXPECT_EQ(al.passages[0].a.end, t.size() - 1);  // the final '.' is not a word
  EXPECT_DOUBLE_EQ(al.passages[0].score, 1.0);
  EXPECT_DOUBLE_EQ(al.a_shared(), 1.0);
  EXPECT_DOUBLE_EQ(al.b_shared(), 1.0);
}

TEST(Align, ContainedTextIsFullyShared) {
  const std::string inner = prose(2, 120);
  const std::string outer = prose(3, 80) + "\n\n" + inner + "\n\n" + prose(4, 90);
  const Alignment al = align(inner, outer);
  ASSERT_EQ(al.passages.size(), 1u);
  EXPECT_DOUBLE_EQ(al.a_shared(), 1.0);
  EXPECT_NEAR(al.b_shared(), 120.0 / 290.0, 1e-9);
  EXPECT_EQ(span(outer, al.passages[0].b), span(inner, al.passages[0].a));
}

TEST(Align, EmptyAndTinyTexts) {
  EXPECT_TRUE(align("", "").passages.empty());
  EXPECT_TRUE(align("", prose(5, 50)).passages.empty());
  EXPECT_DOUBLE_EQ(align("", prose(5, 50)).a_shared(), 0.0);
  EXPECT_TRUE(align("one two three", "one two three").passages.empty());  // below min_words
}

TEST(Align, EditsInsideAPassageAreBridged) {
  const std::string a =
      "Ukrainian officials have not been invited to the meeting in Riyadh between delegations led by US "
      "secretary of state Marco Rubio and Russian foreign minister Sergey Lavrov, said President Trump on "
      "Tuesday in a statement that surprised the allies.";
  const std::string b =
      "UKRAINIAN officials were not invited to the meeting in Riyadh, between delegations led by U.S. "
      "secretary of state Marco Rubio and Russian foreign minister Sergei Lavrov — said President [Donald] "
      "Trump on Tuesday in a statement that surprised the allies.";
  const Alignment al = align(a, b);
  ASSERT_EQ(al.passages.size(), 1u);
  EXPECT_EQ(al.passages[0].a.begin, 0u);
  EXPECT_EQ(al.passages[0].b.begin, 0u);
  EXPECT_EQ(al.passages[0].a.end, a.size() - 1);
  EXPECT_EQ(al.passages[0].b.end, b.size() - 1);
  EXPECT_GT(al.passages[0].score, 0.9);
}

TEST(Align, ReorderedParagraphsAreSeparatePassages) {
  const std::string p1 = prose(6, 40), p2 = prose(7, 40), p3 = prose(8, 40);
  const Alignment al = align(p1 + "\n\n" + p2 + "\n\n" + p3, p3 + "\n\n" + p1 + "\n\n" + p2);
  // p1+p2 stay together, p3 moved: two passages, everything shared.
  ASSERT_EQ(al.passages.size(), 2u);
  EXPECT_DOUBLE_EQ(al.a_shared(), 1.0);
  EXPECT_DOUBLE_EQ(al.b_shared(), 1.0);
}

TEST(Align, InterleavedBoilerplateLinesAreBridgedAndListed) {
  const std::string p1 = prose(9, 30), p2 = prose(10, 30);
  const std::string b = p1 + "\n\nAdvertisement Hide Ad\n\nAdvertisement Hide Ad\n\n" + p2;
  const Alignment al = align(p1 + "\n\n" + p2, b);
  ASSERT_EQ(al.passages.size(), 1u);
  ASSERT_EQ(al.passages[0].b_inserted_lines.size(), 1u);
  EXPECT_EQ(span(b, al.passages[0].b_inserted_lines[0]), "Advertisement Hide Ad\n\nAdvertisement Hide Ad");
  EXPECT_TRUE(al.passages[0].a_inserted_lines.empty());
  // The same words inside a line of one side's own are not bridged: different text replaced.
  const std::string c = p1 + " and then something else entirely was said here " + p2;
  EXPECT_EQ(align(p1 + " " + p2, c).passages.size(), 2u);
}

TEST(Align, CommonPhrasesAreNotPassages) {
  const Alignment al = align(prose(11, 100) + " officials said on Tuesday that the " + prose(12, 50),
                             prose(13, 100) + " officials said on Tuesday that the " + prose(14, 50));
  EXPECT_TRUE(al.passages.empty());
}

TEST(Align, ScriptsWithoutSpaces) {
  const std::string shared = "中华人民共和国国务院新闻办公室今天举行新闻发布会介绍经济运行情况";
  const Alignment al = align("北京消息。" + shared + "。记者报道。", "上海电。" + shared + "。完。");
  ASSERT_EQ(al.passages.size(), 1u);
  EXPECT_EQ(span("北京消息。" + shared + "。记者报道。", al.passages[0].a), shared);
}

TEST(Align, OneMegabyteDocuments) {
  std::string a = prose(15, 160000);  // about 1 MB
  std::string b = a;
  // A word changed every 500 words: still one passage, nearly all shared.
  for (size_t pos = 3000; pos + 10 < b.size(); pos += 3500) {
    const size_t w = b.find(' ', pos);
    if (w != std::string::npos) b.insert(w + 1, "inserted ");
  }
  ASSERT_GT(a.size(), 1000000u);
  const Alignment al = align(a, b);
  EXPECT_EQ(al.passages.size(), 1u);
  EXPECT_GT(al.a_shared(), 0.999);
}

TEST(Align, CodePointOffsets) {
  const std::string t = "Healey’s “new era” — 2025";
  CodePointIndex index(t);
  EXPECT_EQ(index.at(0), 0u);
  EXPECT_EQ(index.at(static_cast<uint32_t>(t.find("new"))), 10u);
  EXPECT_EQ(index.at(static_cast<uint32_t>(t.size())), 25u);
}

// ---------------------------------------------------------------------------------------------
// The seeds: the Independent and the Scotsman on 2025-02-18.

struct ExpectedPassage {
  // Opening and closing words of the passage in each text (found by search, so the test states
  // what it expects in words, not in offsets).
  const char* a_start;
  const char* a_end;
  const char* b_start;
  const char* b_end;
};

size_t find_or_die(const std::string& text, const char* needle, size_t from = 0) {
  const size_t at = text.find(needle, from);
  EXPECT_NE(at, std::string::npos) << needle;
  return at;
}

TEST(AlignSharedData, EveryPassageTheSeedsShareIsFoundOnce) {
  REQUIRE_SHARED();
  const auto docs = testing::read_all({testing::shared_dir() + "/seeds"}).docs;
  ASSERT_EQ(docs.size(), 2u);
  const std::string& ind = docs[0].text;  // The Independent
  const std::string& sco = docs[1].text;  // The Scotsman
  ASSERT_NE(ind.find("The Independent"), std::string::npos);
  // Read from the two texts: every stretch both carry (Healey's speech, the Riyadh meeting and
  // Zelensky, the spending passage through Starmer and Scholz). Each is one passage despite
  // Sergey/Sergei, Healey/Healy, "[Donald] Trump", "[Russian president Vladimir] Putin", changed
  // punctuation and paragraphs, and the Scotsman's "Advertisement Hide Ad" lines.
  const std::vector<ExpectedPassage> expected = {
      {"US and Russian officials will meet", "negotiated without them", "US and Russian officials met",
       "negotiated without them"},
      {"decisions made “over the coming weeks", "for a generation to come", "decisions made “over the coming weeks",
       "for a generation to come"},
      {"Mr Healey said: “We need a security", "make Putin any wiser", "Mr Healey said: “We need a security",
       "make Putin any wiser"},
      {"We’re in a new era of threat", "aims we share on defence reform", "We’re in a new era of threat",
       "aims we share on defence reform"},
      {"European nations know they", "to monitor any ceasefire", "European nations knew they",
       "to monitor any ceasefire"},
  };
  const Alignment al = align(ind, sco);
  ASSERT_EQ(al.passages.size(), expected.size());
  constexpr long kSlack = 3;  // characters
  for (const auto& e : expected) {
    const long a0 = static_cast<long>(find_or_die(ind, e.a_start));
    const long a1 = static_cast<long>(find_or_die(ind, e.a_end, static_cast<size_t>(a0)) + strlen(e.a_end));
    const long b0 = static_cast<long>(find_or_die(sco, e.b_start));
    const long b1 = static_cast<long>(find_or_die(sco, e.b_end, static_cast<size_t>(b0)) + strlen(e.b_end));
    bool found = false;
    for (const auto& p : al.passages) {
      if (std::abs(static_cast<long>(p.a.begin) - a0) <= kSlack && std::abs(static_cast<long>(p.a.end) - a1) <= kSlack &&
          std::abs(static_cast<long>(p.b.begin) - b0) <= kSlack && std::abs(static_cast<long>(p.b.end) - b1) <= kSlack) {
        found = true;
      }
    }
    EXPECT_TRUE(found) << "not found as one passage: " << e.a_start << " ... " << e.a_end;
  }
  // The Starmer/Scholz stretch bridges the Scotsman's ad lines and says so.
  const auto& last = al.passages.back();
  ASSERT_EQ(last.b_inserted_lines.size(), 1u);
  EXPECT_EQ(span(sco, last.b_inserted_lines[0]), "Advertisement Hide Ad\n\nAdvertisement Hide Ad");
  // Each has reporting the other lacks, and their boilerplate is not shared.
  EXPECT_GT(al.a_shared(), 0.35);
  EXPECT_LT(al.a_shared(), 0.6);
  EXPECT_GT(al.b_shared(), 0.25);
  EXPECT_LT(al.b_shared(), 0.5);
}

// Giveme5W1H dev: the syndicated pairs are almost entirely shared; between unrelated articles of
// one outlet, what is found is that outlet's boilerplate.
TEST(AlignSharedData, Giveme5w1hSyndicatedAndUnrelatedPairs) {
  REQUIRE_SHARED();
  const auto docs = testing::read_all({testing::shared_dir() + "/data/giveme5w1h-news-cluster-dev"}).docs;
  ASSERT_EQ(docs.size(), 247u);
  std::vector<AlignText> texts;
  std::vector<std::vector<uint32_t>> shingles(docs.size());
  std::vector<int64_t> event(docs.size());
  simdjson::dom::parser parser;
  for (size_t d = 0; d < docs.size(); ++d) {
    texts.push_back(AlignText::of(docs[d].text));
    shingle_set(texts.back().tokens, 5, &shingles[d]);
    event[d] = parser.load(docs[d].source.file)["newsCluster"]["EventId"].get_int64().value();
  }
  auto containment = [&](size_t a, size_t b) {
    const auto& x = shingles[a];
    const auto& y = shingles[b];
    const size_t common = count_common<uint32_t>(x, y);
    return static_cast<double>(common) / static_cast<double>(std::max<size_t>(1, std::min(x.size(), y.size())));
  };
  size_t syndicated = 0, unrelated_passages = 0, boilerplate_passages = 0;
  double worst_share = 1.0;
  for (size_t a = 0; a < docs.size(); ++a) {
    for (size_t b = a + 1; b < docs.size(); ++b) {
      const bool same_outlet_unrelated = docs[a].outlet == docs[b].outlet && event[a] != event[b];
      const double c = containment(a, b);
      if (c < 0.75 && !same_outlet_unrelated) continue;
      const Alignment al = align_texts(texts[a], texts[b]);
      if (c >= 0.75) {
        ++syndicated;
        const double shorter = texts[a].tokens.size() <= texts[b].tokens.size() ? al.a_shared() : al.b_shared();
        worst_share = std::min(worst_share, shorter);
        EXPECT_GE(shorter, 0.9) << docs[a].outlet << " / " << docs[b].outlet;
      }
      if (!same_outlet_unrelated) continue;
      // Boilerplate: the passage recurs (half of its 5-word shingles: outlets vary their prompts) in
      // at least 3 articles of
      // the outlet.
      for (const auto& p : al.passages) {
        ++unrelated_passages;
        std::vector<Token> words;
        std::vector<uint32_t> passage_shingles;
        tokenize(span(docs[a].text, p.a), &words);
        shingle_set(words, 5, &passage_shingles);
        int carriers = 0;
        for (size_t d = 0; d < docs.size(); ++d) {
          if (docs[d].outlet != docs[a].outlet) continue;
          size_t present = 0;
          for (uint32_t h : passage_shingles) present += std::binary_search(shingles[d].begin(), shingles[d].end(), h);
          carriers += present * 2 >= passage_shingles.size();
        }
        if (carriers >= 3) {
          ++boilerplate_passages;
        } else {
          std::cout << "recurs in " << carriers << " articles of " << docs[a].outlet << ": " << span(docs[a].text, p.a) << "\n";
        }
      }
    }
  }
  std::cout << syndicated << " syndicated pairs, worst shared share of the shorter " << worst_share << "; "
            << boilerplate_passages << " of " << unrelated_passages
            << " passages between unrelated same-outlet articles recur in 3+ of the outlet's articles\n";
  EXPECT_EQ(syndicated, 9u);
  EXPECT_GE(boilerplate_passages, unrelated_passages * 90 / 100);
}

}  // namespace
}  // namespace samestory

namespace samestory {
namespace {

// Found by fuzz_align: a later chain bridged a gap across words an earlier passage had taken.
TEST(Align, PassagesNeverOverlapInEitherText) {
  const std::string a = "The Halden Street bridge across Port Callow harbour was closed on Monday.\n\nEngineers found cracks.";
  const std::string b =
      "Keep losed on Monday.\n\nAdvHalden Street bride across  Port Callow harbour was clo{ed on Monday.\n\n"
      "Advertisement Hide Ad\n\nEngineers found cracks.";
  AlignOptions options;
  options.min_words = 3;
  options.seed_words = 2;
  const Alignment al = align(a, b, options);
  std::vector<ByteRange> in_b;
  for (const auto& p : al.passages) in_b.push_back(p.b);
  std::sort(in_b.begin(), in_b.end(), [](ByteRange x, ByteRange y) { return x.begin < y.begin; });
  for (size_t i = 1; i < in_b.size(); ++i) EXPECT_LE(in_b[i - 1].end, in_b[i].begin);
  for (size_t i = 1; i < al.passages.size(); ++i) EXPECT_LE(al.passages[i - 1].a.end, al.passages[i].a.begin);
}

}  // namespace
}  // namespace samestory
