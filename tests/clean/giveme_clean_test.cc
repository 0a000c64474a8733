// samestory clean on real articles: the Giveme5W1H dev set (247 articles, 45 events, ~70 outlets)
// and the two seeds. Reads ../shared; skipped where it is absent.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "align/align.h"
#include "clean/clean.h"
#include "test_util.h"

namespace samestory {
namespace {

struct Corpus {
  std::vector<Document> docs;
  std::vector<int64_t> event;
};

const Corpus& giveme() {
  static const Corpus corpus = [] {
    Corpus c;
    c.docs = testing::read_all({testing::shared_dir() + "/data/giveme5w1h-news-cluster-dev"}).docs;
    simdjson::dom::parser parser;
    for (const Document& d : c.docs) {
      c.event.push_back(parser.load(d.source.file)["newsCluster"]["EventId"].get_int64().value());
    }
    return c;
  }();
  return corpus;
}

RuleSet builtin_rules() {
  RuleSet rules;
  EXPECT_TRUE(rules.add(RuleSet::builtin_text(), "built-in").is_ok());
  EXPECT_TRUE(rules.compile().is_ok());
  return rules;
}

BoilerplateModel learn(const std::vector<const Document*>& docs) {
  BoilerplateLearner learner;
  std::vector<Token> tokens;
  ArticleProfile profile;
  for (const Document* d : docs) {
    profile_article(d->text, d->outlet, LearnOptions{}, &tokens, &profile);
    learner.add(profile, d->outlet, d->text);
  }
  return learner.finish();
}

std::vector<CleanedText> clean_all(const std::vector<Document>& docs, const RuleSet& rules,
                                   const BoilerplateModel* model) {
  const Cleaner cleaner(&rules, model);
  std::vector<CleanedText> out(docs.size());
  for (size_t i = 0; i < docs.size(); ++i) cleaner.clean(docs[i].text, docs[i].outlet, &out[i]);
  return out;
}

// The dev set cleaned with the built-in rules and a model learned from all of it, once for every
// test that needs it.
struct CleanedCorpus {
  RuleSet rules;
  BoilerplateModel model;
  std::vector<CleanedText> cleaned;
};

const CleanedCorpus& cleaned_giveme() {
  static const CleanedCorpus result = [] {
    CleanedCorpus r;
    r.rules = builtin_rules();
    std::vector<const Document*> all;
    for (const Document& d : giveme().docs) all.push_back(&d);
    r.model = learn(all);
    r.cleaned = clean_all(giveme().docs, r.rules, &r.model);
    return r;
  }();
  return result;
}

// After cleaning, articles of different events share no boilerplate passage of 8 or more words:
// what they shared before was outlet boilerplate (NPR's footer, the NYT's prompts, AP's copyright
// line, The Sun's most-read lists). Four shared passages remain, and they are reported news, which
// cleaning must keep: three journalistic formulas and one background sentence two North Korea
// stories both carry. They are listed so that losing them (over-cleaning) fails this test as
// surely as any boilerplate left behind.
TEST(CleanGiveme, NoPassageSharedAcrossEventsAfterCleaning) {
  REQUIRE_SHARED();
  const Corpus& c = giveme();
  ASSERT_EQ(c.docs.size(), 247u);
  const auto& cleaned = cleaned_giveme().cleaned;
  std::vector<AlignText> before, after;
  for (size_t i = 0; i < c.docs.size(); ++i) {
    before.push_back(AlignText::of(c.docs[i].text));
    after.push_back(AlignText::of(cleaned[i].text));
  }
  AlignOptions options;  // min_words 8
  const std::set<std::string> content_passages = {
      "people were killed and dozens more were injured",
      "did not respond to a request for comment",
      "did not immediately respond to a request for comment",
      "Last week, the UN Security Council unanimously adopted new sanctions on North Korea",
  };
  std::set<std::string> remaining;
  size_t passages_before = 0, passages_after = 0;
  std::string report;
  for (size_t a = 0; a < c.docs.size(); ++a) {
    for (size_t b = a + 1; b < c.docs.size(); ++b) {
      if (c.event[a] == c.event[b]) continue;
      passages_before += align_texts(before[a], before[b], options).passages.size();
      const Alignment al = align_texts(after[a], after[b], options);
      passages_after += al.passages.size();
      for (const SharedPassage& p : al.passages) {
        const std::string shared = cleaned[a].text.substr(p.a.begin, p.a.end - p.a.begin);
        remaining.insert(shared);
        if (!content_passages.count(shared)) {
          report += c.docs[a].outlet + " / " + c.docs[b].outlet + ": " + shared.substr(0, 200) + "\n";
        }
      }
    }
  }
  std::printf("passages of >= 8 words shared across events: %zu before cleaning, %zu after\n", passages_before,
              passages_after);
  EXPECT_GT(passages_before, 100u);
  EXPECT_EQ(remaining, content_passages) << report;
}

// Syndicated wire copy (pairs of one event sharing most of their 5-grams) stays: cleaning both
// articles leaves every word the pair shared, except what cleaning removes as boilerplate from both.
TEST(CleanGiveme, SyndicatedWireCopyIsKept) {
  REQUIRE_SHARED();
  const Corpus& c = giveme();
  const auto& cleaned = cleaned_giveme().cleaned;
  size_t pairs = 0;
  double worst = 1.0;
  std::string report;
  for (size_t a = 0; a < c.docs.size(); ++a) {
    const AlignText ta = AlignText::of(c.docs[a].text), ca = AlignText::of(cleaned[a].text);
    for (size_t b = a + 1; b < c.docs.size(); ++b) {
      if (c.event[a] != c.event[b]) continue;
      const AlignText tb = AlignText::of(c.docs[b].text);
      const Alignment before = align_texts(ta, tb, {});
      const uint32_t shorter = std::min(before.a_words, before.b_words);
      const uint32_t shared = std::min(before.a_shared_words, before.b_shared_words);
      if (shorter == 0 || shared < 0.75 * shorter) continue;
      ++pairs;
      const Alignment after = align_texts(ca, AlignText::of(cleaned[b].text), {});
      // Words of the shared passages that cleaning took: only boilerplate both carried may go.
      const double kept = static_cast<double>(std::min(after.a_shared_words, after.b_shared_words)) / shared;
      worst = std::min(worst, kept);
      if (kept < 0.97) report += c.docs[a].outlet + " / " + c.docs[b].outlet + ": " + std::to_string(kept) + "\n";
    }
  }
  std::printf("syndicated pairs: %zu; worst share of their shared words kept after cleaning: %.3f\n", pairs, worst);
  EXPECT_GE(pairs, 8u);
  EXPECT_GE(worst, 0.97) << report;
}

struct LineScore {
  size_t true_positive = 0, false_positive = 0, false_negative = 0, lines = 0;
  double precision() const { return static_cast<double>(true_positive) / static_cast<double>(true_positive + false_positive); }
  double recall() const { return static_cast<double>(true_positive) / static_cast<double>(true_positive + false_negative); }
};

// Scores removal line by line against tests/data/clean-labels.tsv: a line counts as removed when
// removed spans cover at least half of its bytes. A dateline moved to metadata leaves its paragraph
// in the text, so it does not count.
LineScore score_against_labels(const Corpus& c, const std::vector<CleanedText>& cleaned, std::string* mistakes) {
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < c.docs.size(); ++i) index[c.docs[i].id] = i;
  std::ifstream in(std::string(SAMESTORY_SOURCE_DIR) + "/tests/data/clean-labels.tsv");
  EXPECT_TRUE(in.good());
  LineScore score;
  std::string row;
  std::set<std::string> outlets;
  size_t articles = 0;
  while (std::getline(in, row)) {
    if (row.empty() || row[0] == '#') continue;
    const size_t t1 = row.find('\t'), t2 = row.find('\t', t1 + 1);
    const std::string id = row.substr(0, t1);
    outlets.insert(row.substr(t1 + 1, t2 - t1 - 1));
    std::set<size_t> boilerplate;
    std::stringstream list(row.substr(t2 + 1));
    for (std::string n; std::getline(list, n, ',');) {
      if (n != "-") boilerplate.insert(std::stoul(n));
    }
    EXPECT_TRUE(index.count(id)) << id;
    const size_t d = index[id];
    ++articles;
    const std::string& text = c.docs[d].text;
    size_t line_begin = 0, number = 0;
    while (line_begin <= text.size()) {
      size_t line_end = text.find('\n', line_begin);
      if (line_end == std::string::npos) line_end = text.size();
      ++number;
      const bool blank = text.find_first_not_of(" \t\r", line_begin) >= line_end;
      if (!blank) {
        size_t covered = 0;
        for (const RemovedSpan& r : cleaned[d].removed) {
          if (r.category == "dateline") continue;
          const size_t b = std::max<size_t>(r.begin, line_begin), e = std::min<size_t>(r.end, line_end);
          if (e > b) covered += e - b;
        }
        const bool removed = 2 * covered >= line_end - line_begin;
        const bool labelled = boilerplate.count(number) > 0;
        ++score.lines;
        score.true_positive += removed && labelled;
        score.false_positive += removed && !labelled;
        score.false_negative += !removed && labelled;
        if (removed != labelled) {
          *mistakes += (removed ? "removed content  " : "kept boilerplate ") + c.docs[d].outlet + ":" +
                       std::to_string(number) + "  " + text.substr(line_begin, std::min<size_t>(100, line_end - line_begin)) + "\n";
        }
      }
      line_begin = line_end + 1;
    }
  }
  EXPECT_EQ(articles, 30u);
  EXPECT_GE(outlets.size(), 10u);
  return score;
}

// Precision and recall of removal on 30 hand-labelled articles from 16 outlets, with the corpus
// statistics learned from the whole dev set, and with the rules alone.
TEST(CleanGiveme, PrecisionAndRecallOnHandLabelledLines) {
  REQUIRE_SHARED();
  const Corpus& c = giveme();
  const CleanedCorpus& cc = cleaned_giveme();
  std::string mistakes, rules_only_mistakes;
  const LineScore with_model = score_against_labels(c, cc.cleaned, &mistakes);
  const LineScore rules_only = score_against_labels(c, clean_all(c.docs, cc.rules, nullptr), &rules_only_mistakes);
  std::printf("hand-labelled lines: %zu, boilerplate %zu\n", with_model.lines,
              with_model.true_positive + with_model.false_negative);
  std::printf("rules + corpus model: precision %.3f recall %.3f\n", with_model.precision(), with_model.recall());
  std::printf("rules only:           precision %.3f recall %.3f\n", rules_only.precision(), rules_only.recall());
  std::printf("%s", mistakes.c_str());
  EXPECT_GE(with_model.precision(), 0.95);
  EXPECT_GE(with_model.recall(), 0.95);
}

}  // namespace
}  // namespace samestory
