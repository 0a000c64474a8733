// The clean stage on its own: rules, units, the learned model, the cleaner, and the two seeds.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "clean/clean.h"
#include "test_util.h"

namespace samestory {
namespace {

RuleSet compiled(std::string_view text) {
  RuleSet rules;
  EXPECT_TRUE(rules.add(text, "test.rules").is_ok());
  EXPECT_TRUE(rules.compile().is_ok());
  return rules;
}

RuleSet builtin() { return compiled(RuleSet::builtin_text()); }

// The rules that hit `line`, each as "name@begin ", in hit order.
std::string hit_names(const RuleSet& rules, std::string_view line) {
  std::vector<RuleHit> hits;
  rules.match(line, &hits);
  std::string out;
  for (const RuleHit& h : hits) out += rules.rules()[h.rule].name + "@" + std::to_string(h.begin) + " ";
  return out;
}

std::string removed_text(std::string_view text, const RemovedSpan& r) {
  return std::string(text.substr(r.begin, r.end - r.begin));
}

TEST(CleanRules, ErrorsNameTheFileLineAndReason) {
  RuleSet rules;
  Status s = rules.add("# comment\n\nok line ad (?i)advert\nbad nowhere ad x\n", "my.rules");
  EXPECT_EQ(s.message(), "my.rules:4: unknown scope 'nowhere' (line or span)");
  EXPECT_NE(rules.add("a line ad (unclosed\n", "f").message().find("f:1: rule 'a': bad pattern"), std::string::npos);
  EXPECT_NE(rules.add("a line nonsense x\n", "f").message().find("f:1: unknown category 'nonsense'"),
            std::string::npos);
  EXPECT_EQ(rules.add("short line\n", "f").message(), "f:1: a rule needs four fields: NAME SCOPE CATEGORY PATTERN");
  RuleSet twice;
  EXPECT_TRUE(twice.add("x line ad a\n", "f").is_ok());
  EXPECT_EQ(twice.add("x span ad b\n", "g").message(), "g:1: a rule named 'x' is already defined");
}

TEST(CleanRules, LineRulesMatchWholeLinesAndSpanRulesMatchInside) {
  const RuleSet rules = compiled("ad line ad (?i)advertisement\nbell span prompt ding+\n");
  std::vector<RuleHit> hits;
  rules.match("Advertisement", &hits);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].end, 13u);
  hits.clear();
  rules.match("An advertisement appeared.", &hits);  // not the whole line
  EXPECT_TRUE(hits.empty());
  rules.match("one ding two dinggg three", &hits);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].begin, 4u);
  EXPECT_EQ(hits[1].begin, 13u);
  EXPECT_EQ(hits[1].end, 19u);
}

// A line rule's alternatives, and a pattern with a ^ or $ of its own, have to cover the whole line
// (a set of line rules can be matched in more than one way: this pins down what any must give);
// a line rule that matches wins over span rules that match too.
TEST(CleanRules, LineRulesWithAlternativesAndAnchorsStillNeedTheWholeLine) {
  const RuleSet rules = compiled(
      "menu line navigation home|menu\n"
      "ends line caption ^photo$\n"
      "bell span prompt ding+\n"
      "ding-line line ad ding\n");
  auto names = [&](std::string_view line) { return hit_names(rules, line); };
  EXPECT_EQ(names("menu"), "menu@0 ");
  EXPECT_EQ(names("home"), "menu@0 ");
  EXPECT_EQ(names("home page"), "");
  EXPECT_EQ(names("main menu"), "");
  EXPECT_EQ(names("photo"), "ends@0 ");
  EXPECT_EQ(names("a photo"), "");
  EXPECT_EQ(names("ding"), "ding-line@0 ");  // the span rule matches too; the line rule takes it
  EXPECT_EQ(names("a ding"), "bell@2 ");
}

// Line rules that start with `.` are matched in the second pass, with the span rules: they must
// still cover the whole line (even with a top-level alternative and a leading flag group), and
// the first matching line rule in file order still names the reason, whichever pass found it.
TEST(CleanRules, LineRulesThatScanTheLineKeepTheirMeaningAndOrder) {
  const RuleSet rules = compiled(
      "reserved line legal (?i).*\\ball rights reserved\\b.*|.*\\bno copying\n"
      "short line ad (?i)all rights reserved\n"
      "agency line caption .{3,}\\(AP\\)\n"
      "bell span prompt ding+\n");
  auto names = [&](std::string_view line) { return hit_names(rules, line); };
  EXPECT_EQ(names("(c) 2025 Herald. ALL RIGHTS RESERVED."), "reserved@0 ");
  EXPECT_EQ(names("All rights reserved"), "reserved@0 ");  // both line rules match; the first wins
  EXPECT_EQ(names("Please, no copying"), "reserved@0 ");
  EXPECT_EQ(names("no copying here, ding"), "bell@17 ");  // the second alternative must end the line
  EXPECT_EQ(names("Crowds in the square (AP)"), "agency@0 ");
  EXPECT_EQ(names("Crowds (AP) in the square"), "");
  EXPECT_EQ(names("A ding (AP)"), "agency@0 ");  // a line rule takes the line from span rules
  EXPECT_EQ(names("first line\nall rights reserved"), "");  // `.` stops at a line break
}

TEST(CleanRules, BuiltInRulesLeaveNewsSentencesAlone) {
  const RuleSet rules = builtin();
  for (std::string_view news : {
           "More than 270 girls were taken from their boarding school in April 2014.",
           "Registered voters received emails from the campaign on Tuesday.",
           "Subscribers to the service will pay more from January, the company said.",
           "By Tuesday, officials had confirmed seven deaths.",
           "Copyright lawsuits against the company have multiplied, analysts said.",
           "Read more about the plan in the minister's statement, he said.",
           "The photo was taken by a passer-by, police said.",
           "Russia and the US have agreed to seek closer ties",
       }) {
    std::vector<RuleHit> hits;
    rules.match(news, &hits);
    EXPECT_TRUE(hits.empty()) << news << " matched " << rules.rules()[hits[0].rule].name;
  }
  for (std::string_view boilerplate : {
           "Advertisement Hide Ad", "Advertisement Continue reading the main story", "Read more", "Share this article",
           "Facebook Twitter WhatsApp Email", "Scroll down for video", "Enlarge this image toggle caption Joe Raedle/AP",
           "Copyright 2018 The Associated Press. All rights reserved.", "Sign up for our daily newsletter",
           "Donald Trump in Vietnam in 2017 | SPUTNIK/AFP via Getty Images", "___",
           "We use cookies to improve your experience. By using our site you agree.",
       }) {
    std::vector<RuleHit> hits;
    rules.match(boilerplate, &hits);
    EXPECT_FALSE(hits.empty()) << boilerplate;
  }
}

TEST(CleanUnits, KeysIgnoreCaseQuotesAndPunctuation) {
  auto units_of = [](std::string_view text) {
    std::vector<Token> tokens;
    tokenize(text, &tokens);
    std::vector<TextUnit> units;
    split_units(text, tokens, {}, &units);
    return units;
  };
  const auto a = units_of("Sign up to our newsletter!\n\nHe said “yes”. Then he left the room quietly.");
  const auto b = units_of("SIGN UP to our newsletter\nHe said \"yes\". Then he left the room quietly!");
  ASSERT_EQ(a.size(), 3u);  // two paragraphs, and the second one's long sentence (the short one is no unit)
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(a[0].key, b[0].key);
  EXPECT_EQ(a[1].key, b[1].key);
  EXPECT_TRUE(a[2].sentence);
  EXPECT_EQ(a[2].key, b[2].key);
  EXPECT_NE(a[0].key, a[1].key);
}

// split_units() with UnitTags skips the paragraphs that cannot hold a unit of the set, and gives
// every other unit exactly as tokenizing the whole text does: random texts over paragraph and
// sentence breaks, sentences long and short, words that join across punctuation ("3.5", "U.S.",
// "don't"), non-ASCII and quotes, with tag sets made from all, some and none of the units.
TEST(CleanUnits, SkippingByFirstWordsKeepsEveryUnitThatCanMatch) {
  const std::vector<std::string> pieces = {
      "The",  "council", "said", "Sign", "up",    "to",    "our",   "newsletter", "3.5", "1,000", "U.S.", "don't",
      "Élan", "“yes”",   "美国",  "—",    "e.g.", ". ",    "! ",    "? ",         ".",   ",",     " ",    " ",
      " ",    "\n",      "\n\n", "\t",  "\"",   "'",     "x",     "Mr.",        "(",   ")",     "3.",   "5"};
  std::mt19937_64 next(20261207);
  std::vector<Token> tokens, scratch;
  std::vector<TextUnit> all, lazy;
  size_t compared = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const size_t count = 1 + next() % 120;
    for (size_t i = 0; i < count; ++i) {
      text += pieces[next() % pieces.size()];
      if (next() % 3 != 0) text += ' ';
    }
    tokens.clear();
    tokenize(text, &tokens);
    all.clear();
    split_units(text, tokens, {}, &all);
    for (int subset : {0, 1, 2}) {  // every unit, about a third of them, none
      UnitTags tags;
      std::vector<uint64_t> in_set;
      for (const TextUnit& u : all) {
        if (u.key != 0 && (subset == 0 || (subset == 1 && next() % 3 == 0))) {
          tags.add(u.key);
          in_set.push_back(u.key);
        }
      }
      lazy.clear();
      split_units(text, tags, {}, &scratch, &lazy);
      // Every paragraph comes; a unit with a key is one of the whole text's, as it is there.
      EXPECT_EQ(std::count_if(lazy.begin(), lazy.end(), [](const TextUnit& u) { return !u.sentence; }),
                std::count_if(all.begin(), all.end(), [](const TextUnit& u) { return !u.sentence; }))
          << text;
      auto same = [](const TextUnit& a, const TextUnit& b) {
        return a.span.begin == b.span.begin && a.span.end == b.span.end && a.key == b.key && a.words == b.words &&
               a.paragraph == b.paragraph && a.sentence == b.sentence;
      };
      for (const TextUnit& u : lazy) {
        if (u.key == 0) continue;
        EXPECT_TRUE(std::any_of(all.begin(), all.end(), [&](const TextUnit& a) { return same(a, u); })) << text;
      }
      // ...and no unit of the set is missed.
      for (const TextUnit& a : all) {
        if (std::find(in_set.begin(), in_set.end(), a.key) == in_set.end()) continue;
        EXPECT_TRUE(std::any_of(lazy.begin(), lazy.end(), [&](const TextUnit& u) { return same(a, u); })) << text;
        ++compared;
      }
      if (subset == 0) {
        EXPECT_EQ(lazy.size(), all.size()) << text;
      }
      if (HasFailure()) return;
    }
  }
  EXPECT_GT(compared, 10000u);
}

// Invented articles: outlet "gazette" prints the same footer under unrelated stories; five
// outlets re-run one wire story with the same paragraphs.
std::vector<Document> footer_and_wire_corpus() {
  // As in real articles, each names a good many people and places, so that the outlet's own name in
  // its footer does not make unrelated stories look alike.
  const char* topics[] = {
      "The city council approved a budget for the new harbour bridge after a long debate on Tuesday. Engineers "
      "Mairead Quinlan and Tom Marsh told Mayor Alice Brennan that work on the Halden Street crossing could start "
      "in spring, with steel from Lisk Foundry and cables from Ostrava.",
      "Farmers in the Tarn valley reported the worst harvest in a decade as drought hit barley and wheat. Minister "
      "Grace Okafor promised relief payments, and the Farmers Union chair Owen Pryce said growers near Kilby and "
      "Ardmore had lost half their crops.",
      "The Rovers beat Athletic three goals to one in the cup final at Kellan Park. Striker Luis Duarte scored "
      "twice and captain Ben Achebe added a header, while Athletic manager Sven Lund blamed referee Paul Greer.",
      "A new exhibition of Byzantine mosaics opened at the Ashford Museum with loans from Ravenna and Istanbul. "
      "Curator Helena Vos said visitors from Rome, Athens and Sofia had booked tours through the Delacroix Trust.",
  };
  std::vector<Document> docs;
  for (int i = 0; i < 4; ++i) {
    Document d;
    d.id = "gazette-" + std::to_string(i);
    d.outlet = "gazette";
    d.text = std::string(topics[i]) + "\n\nGet the Gazette morning briefing in your inbox every day before seven.";
    docs.push_back(d);
  }
  const std::string wire =
      "Rescue teams reached the trapped miners at Corran Deep on Friday after a 40-hour operation, the mine operator "
      "said.\n\nAll twelve men were brought to the surface and taken to hospital in Lisk for checks.";
  for (const char* outlet : {"herald", "courier", "tribune", "gazette", "echo"}) {
    Document d;
    d.id = std::string(outlet) + "-mine";
    d.outlet = outlet;
    d.text = wire + "\n\nThe operator thanked the volunteers who helped.";
    docs.push_back(d);
  }
  return docs;
}

BoilerplateModel learn(const std::vector<Document>& docs, LearnOptions options = {}) {
  BoilerplateLearner learner(options);
  std::vector<Token> tokens;
  ArticleProfile profile;
  for (const Document& d : docs) {
    profile_article(d.text, d.outlet, options, &tokens, &profile);
    learner.add(profile, d.outlet, d.text);
  }
  return learner.finish();
}

TEST(CleanModel, LearnsAnOutletsFooterButNotWireCopy) {
  const auto docs = footer_and_wire_corpus();
  const BoilerplateModel model = learn(docs);
  ASSERT_EQ(model.size(), 1u);
  const BoilerplateEvidence* e = model.entries()[0].second;
  EXPECT_FALSE(e->global);
  EXPECT_EQ(e->outlet, "gazette");
  // Stories are told apart by MinHash estimates, so the count may merge two of the four.
  EXPECT_GE(e->stories, 3u);
  EXPECT_LE(e->stories, 4u);
  EXPECT_EQ(e->articles, 4u);
  EXPECT_EQ(e->sample, "Get the Gazette morning briefing in your inbox every day before seven.");

  const Cleaner cleaner(nullptr, &model);
  CleanedText out;
  cleaner.clean(docs[0].text, "gazette", &out);
  ASSERT_EQ(out.removed.size(), 1u);
  EXPECT_EQ(out.removed[0].category, "repeated");
  EXPECT_EQ(out.text, docs[0].text.substr(0, docs[0].text.find("\n\n")));
  cleaner.clean(docs[0].text, "herald", &out);  // another outlet's article keeps that line
  EXPECT_TRUE(out.removed.empty());
  cleaner.clean(docs[4].text, "herald", &out);  // the wire story is content everywhere
  EXPECT_TRUE(out.removed.empty());
}

TEST(CleanModel, NeedsEnoughUnrelatedStories) {
  auto docs = footer_and_wire_corpus();
  docs.erase(docs.begin() + 2, docs.begin() + 4);  // the footer under two stories only
  EXPECT_EQ(learn(docs).size(), 0u);
  LearnOptions two;
  two.min_outlet_stories = 2;
  EXPECT_EQ(learn(docs, two).size(), 1u);
}

// Learns `docs` in pieces starting at `cuts`, each moved through bytes, merged in order.
BoilerplateModel learn_in_pieces(const std::vector<Document>& docs, std::vector<size_t> cuts, LearnOptions options) {
  cuts.push_back(docs.size());
  BoilerplateLearner merged = BoilerplateLearner::mergeable(options);
  std::vector<Token> tokens;
  ArticleProfile profile;
  for (size_t c = 0; c + 1 < cuts.size(); ++c) {
    BoilerplateLearner piece = BoilerplateLearner::mergeable(options);
    for (size_t i = cuts[c]; i < cuts[c + 1]; ++i) {
      profile_article(docs[i].text, docs[i].outlet, options, &tokens, &profile);
      piece.add(profile, docs[i].outlet, docs[i].text);
    }
    auto moved = BoilerplateLearner::from_bytes(piece.to_bytes(), options);
    EXPECT_TRUE(moved.is_ok());
    if (moved) merged.merge(std::move(moved).value());
  }
  return merged.finish();
}

// Everything but the sample, which a merge may take from another occurrence.
std::vector<std::string> evidence(const BoilerplateModel& model) {
  std::vector<std::string> out;
  for (const auto& [unit, e] : model.entries()) {
    out.push_back(std::to_string(unit) + (e->global ? " global " : " outlet ") + e->outlet + " " +
                  std::to_string(e->stories) + " " + std::to_string(e->articles) + " " + std::to_string(e->outlets));
  }
  return out;
}

TEST(CleanModel, LearningInMergedPiecesGivesTheSameModel) {
  const auto docs = footer_and_wire_corpus();
  const auto whole = evidence(learn(docs));
  ASSERT_EQ(whole.size(), 1u);
  for (const std::vector<size_t>& cuts : {std::vector<size_t>{0}, {0, 1}, {0, 3, 6}, {0, 1, 2, 3, 4, 5, 6, 7, 8}}) {
    EXPECT_EQ(evidence(learn_in_pieces(docs, cuts, {})), whole) << cuts.size() << " pieces";
  }
  // A real corpus, with thresholds low enough for many units and a cap on remembered articles
  // that the pieces must respect together.
  const auto giveme = testing::read_all({testing::shared_dir() + "/data/giveme5w1h-news-cluster-dev"}).docs;
  LearnOptions loose;
  loose.min_outlet_stories = 2;
  loose.min_global_stories = 2;
  loose.min_global_outlets = 2;
  loose.max_articles_per_unit = 3;
  const auto reference = evidence(learn(giveme, loose));
  EXPECT_GT(reference.size(), 20u);
  EXPECT_EQ(evidence(learn_in_pieces(giveme, {0, 50, 51, 120, 200}, loose)), reference);

  BoilerplateModel model = learn(giveme, loose);
  auto back = BoilerplateModel::from_bytes(model.to_bytes());
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(evidence(*back), reference);
  EXPECT_EQ(back->entries()[0].second->sample, model.entries()[0].second->sample);
  const std::string bytes = model.to_bytes();
  EXPECT_FALSE(BoilerplateModel::from_bytes(std::string_view(bytes).substr(0, bytes.size() - 1)).is_ok());
  EXPECT_FALSE(BoilerplateLearner::from_bytes("not a learner").is_ok());
}

TEST(CleanModel, SavesAndLoads) {
  const BoilerplateModel model = learn(footer_and_wire_corpus());
  testing::TempDir dir;
  const std::string path = dir.path() + "/model.tsv";
  ASSERT_TRUE(model.save(path).is_ok());
  auto loaded = BoilerplateModel::load(path);
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().message();
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->entries()[0].first, model.entries()[0].first);
  EXPECT_EQ(loaded->entries()[0].second->outlet, "gazette");
  EXPECT_EQ(loaded->entries()[0].second->stories, model.entries()[0].second->stories);
  EXPECT_EQ(loaded->entries()[0].second->sample, model.entries()[0].second->sample);

  const std::string bad = dir.write("bad.tsv", "# samestory boilerplate model 3\noutlet\tx\tnothex\t1\t1\t1\ts\n");
  EXPECT_EQ(BoilerplateModel::load(bad).status().message(),
            bad + ":2: unit must be 16 hex digits, stories, articles and outlets numbers");
  // A model of an earlier format is keyed otherwise: refused, with what to do.
  for (const char* header : {"# samestory boilerplate model 1\n", "# samestory boilerplate model 2\n"}) {
    const std::string older = dir.write("older.tsv", header);
    EXPECT_EQ(BoilerplateModel::load(older).status().message(),
              older + ":1: written by an earlier samestory, whose unit keys differ from this one's: learn it again "
                      "(clean --relearn --model FILE)");
  }
  const std::string other = dir.write("other.tsv", "id,text\n");
  EXPECT_NE(BoilerplateModel::load(other).status().message().find(":1: not a samestory boilerplate model"),
            std::string::npos);
  EXPECT_EQ(BoilerplateModel::load(dir.path() + "/none").status().code(), StatusCode::kIoError);
}

TEST(Cleaner, BylinesAndDatelinesBecomeMetadata) {
  const RuleSet rules = builtin();
  const Cleaner cleaner(&rules, nullptr);
  CleanedText out;
  const std::string text =
      "Harbour bridge closed\n\nBy Mairead Quinlan and Tom Marsh\n\nPORT CALLOW, March 3 (Meridian Press) - The "
      "bridge was closed on Monday.\n\nEngineers found cracks in two girders.";
  cleaner.clean(text, "meridian", &out);
  EXPECT_EQ(out.byline, "By Mairead Quinlan and Tom Marsh");
  EXPECT_EQ(out.dateline, "PORT CALLOW, March 3 (Meridian Press) -");
  EXPECT_EQ(out.text, "Harbour bridge closed\n\nThe bridge was closed on Monday.\n\nEngineers found cracks in two girders.");
  ASSERT_EQ(out.removed.size(), 2u);
  EXPECT_TRUE(out.removed[0].metadata);
  EXPECT_TRUE(out.removed[1].metadata);
}

TEST(Cleaner, UnpunctuatedLinesInProseAreCaptionsButNotTheHeadline) {
  const Cleaner cleaner(nullptr, nullptr);
  CleanedText out;
  const std::string text =
      "Storm closes the harbour\n\nWinds of 90 km/h tore roofs from houses on Tuesday.\n\nThe harbour master "
      "closed the port until Thursday, officials said.\n\nFishing boats sheltering behind the breakwater at dawn\n\n"
      "Repairs will take weeks, the council said. More storms are forecast.\n\nSee the storm live at "
      "http://example.org/live";
  cleaner.clean(text, "", &out);
  ASSERT_EQ(out.removed.size(), 1u);
  EXPECT_EQ(removed_text(text, out.removed[0]), "Fishing boats sheltering behind the breakwater at dawn");
  EXPECT_TRUE(out.removed[0].layout);
  // A list is not prose: nothing is judged.
  cleaner.clean("Apples\n\nPears and plums\n\nCherries from Kent\n\nGreen figs in syrup", "", &out);
  EXPECT_TRUE(out.removed.empty());
  // Switched off.
  CleanerOptions off;
  off.unpunctuated_lines = false;
  Cleaner(nullptr, nullptr, off).clean(text, "", &out);
  EXPECT_TRUE(out.removed.empty());
}

TEST(Cleaner, SpansInsideALineLeaveTidyText) {
  const RuleSet rules = compiled("ad span ad (?i)advertisement hide ad\n");
  const Cleaner cleaner(&rules, nullptr, CleanerOptions{false, 0.6});
  CleanedText out;
  const std::string text = "First para.\n\nAdvertisement Hide Ad\n\nBefore Advertisement Hide Ad after.\n\n\n\nLast.";
  cleaner.clean(text, "", &out);
  EXPECT_EQ(out.text, "First para.\n\nBefore after.\n\nLast.");
  ASSERT_EQ(out.removed.size(), 2u);
  EXPECT_EQ(out.removed[0].begin, 13u);  // the whole line: nothing with a letter was left of it
  EXPECT_EQ(out.removed[0].end, 34u);
  EXPECT_EQ(removed_text(text, out.removed[1]), "Advertisement Hide Ad");
}

// --- the seeds -------------------------------------------------------------------------------

struct SeedExpectation {
  std::vector<Document> docs;
  const Document* independent = nullptr;
  const Document* scotsman = nullptr;
};

SeedExpectation seeds() {
  SeedExpectation s;
  s.docs = testing::read_all({testing::shared_dir() + "/seeds"}).docs;
  for (const Document& d : s.docs) {
    if (d.text.find("The Independent is on the ground") != std::string::npos) s.independent = &d;
    if (d.text.find("Digital Subscription to The Scotsman") != std::string::npos) s.scotsman = &d;
  }
  return s;
}

// What must go from each seed, and nothing else: the donation appeal; the newsletter prompt, the
// fourteen "Advertisement Hide Ad" lines and the two photo captions.
void check_seed_cleaning(const Document& ind, const CleanedText& ci, const Document& scot, const CleanedText& cs) {
  ASSERT_EQ(ci.removed.size(), 1u);
  EXPECT_EQ(ci.removed[0].begin, 0u);
  const std::string appeal = removed_text(ind.text, ci.removed[0]);
  EXPECT_TRUE(appeal.starts_with("Your support helps us to tell the story Read more")) << appeal;
  EXPECT_TRUE(appeal.ends_with("Your support makes all the difference. Read more")) << appeal;
  EXPECT_EQ(ci.removed[0].category, "prompt");
  EXPECT_TRUE(ci.text.starts_with("Defence Secretary John Healey said details of a US security guarantee"));
  EXPECT_EQ(ind.published.iso(), "2025-02-18");  // the date is metadata and stays

  size_t ads = 0, captions = 0, prompts = 0;
  for (const RemovedSpan& r : cs.removed) {
    const std::string t = removed_text(scot.text, r);
    if (t == "Advertisement Hide Ad") {
      ++ads;
    } else if (r.category == "caption") {
      ++captions;
      EXPECT_TRUE(t.ends_with("Picture: Evelyn Hockstein/Pool Photo via AP | AP") ||
                  t.ends_with("| SPUTNIK/AFP via Getty Images"))
          << t;
    } else if (r.category == "prompt") {
      ++prompts;
      EXPECT_TRUE(t.starts_with("Sign up to our Politics newsletter")) << t;
      EXPECT_TRUE(t.ends_with("Submitting...")) << t;
    } else {
      ADD_FAILURE() << "unexpected removal: " << t;
    }
  }
  EXPECT_EQ(ads, 14u);
  EXPECT_EQ(captions, 2u);
  EXPECT_EQ(prompts, 1u);
  EXPECT_TRUE(cs.text.starts_with("Russia and the US have agreed to seek closer ties\n\nThe UK is facing"));

  // No sentence of reported news is removed: every other paragraph is in the cleaned text as it was.
  for (const auto* pair : {&ind, &scot}) {
    const CleanedText& c = pair == &ind ? ci : cs;
    for (const Span& p : split_paragraphs(pair->text)) {
      const bool removed = std::any_of(c.removed.begin(), c.removed.end(),
                                       [&](const RemovedSpan& r) { return r.begin <= p.begin && p.end <= r.end; });
      if (removed) continue;
      EXPECT_NE(c.text.find(pair->text.substr(p.begin, p.length())), std::string::npos)
          << pair->text.substr(p.begin, p.length());
    }
  }
}

TEST(CleanSeeds, RulesAloneCleanBothSeeds) {
  REQUIRE_SHARED();
  const auto s = seeds();
  ASSERT_TRUE(s.independent && s.scotsman);
  const RuleSet rules = builtin();
  const Cleaner cleaner(&rules, nullptr);
  CleanedText ci, cs;
  cleaner.clean(s.independent->text, s.independent->outlet, &ci);
  cleaner.clean(s.scotsman->text, s.scotsman->outlet, &cs);
  check_seed_cleaning(*s.independent, ci, *s.scotsman, cs);
}

// Inside a corpus (the seeds among the 247 Giveme5W1H articles), the learned statistics change
// nothing on the seeds: what they share is one story's copy, not boilerplate.
TEST(CleanSeeds, InsideACorpusTheSameSpansGo) {
  REQUIRE_SHARED();
  const auto s = seeds();
  ASSERT_TRUE(s.independent && s.scotsman);
  auto corpus = testing::read_all({testing::shared_dir() + "/data/giveme5w1h-news-cluster-dev"}).docs;
  corpus.insert(corpus.end(), s.docs.begin(), s.docs.end());
  const BoilerplateModel model = learn(corpus);
  EXPECT_GT(model.size(), 0u);
  const RuleSet rules = builtin();
  const Cleaner cleaner(&rules, &model);
  CleanedText ci, cs;
  cleaner.clean(s.independent->text, s.independent->outlet, &ci);
  cleaner.clean(s.scotsman->text, s.scotsman->outlet, &cs);
  check_seed_cleaning(*s.independent, ci, *s.scotsman, cs);
}

}  // namespace
}  // namespace samestory
