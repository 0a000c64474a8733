#include <gtest/gtest.h>
#include <tbb/task_arena.h>

#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <set>

#include "base/json_writer.h"
#include "dedup/brute_force.h"
#include "dedup/corpus_dedup.h"
#include "dedup/group_report.h"
#include "dedup/lsh_buckets.h"
#include "dedup/similarity.h"
#include "test_util.h"

namespace samestory {
namespace {

using testing::TempDir;

struct Outcome {
  std::vector<Document> docs;
  std::unique_ptr<Deduplicator> dedup;
  std::vector<uint32_t> group;  // group index per document, or npos
  static constexpr uint32_t npos = 0xFFFFFFFFu;

  bool together(uint32_t a, uint32_t b) const { return group[a] != npos && group[a] == group[b]; }
  const GroupMember* member(uint32_t doc) const {
    for (const auto& g : dedup->groups()) {
      for (const auto& m : g.members) {
        if (m.doc == doc) return &m;
      }
    }
    return nullptr;
  }
};

Outcome run(const std::vector<std::string>& inputs, DedupOptions options = {}, int threads = 0) {
  Outcome o;
  o.docs = testing::read_all(inputs).docs;
  o.dedup = std::make_unique<Deduplicator>(options);
  ProblemLogOptions quiet;
  quiet.sink = nullptr;
  ProblemLog log(quiet);
  auto go = [&] { EXPECT_TRUE(deduplicate_corpus(inputs, ReadOptions(), &log, o.dedup.get()).is_ok()); };
  if (threads > 0) {
    tbb::task_arena arena(threads);
    arena.execute(go);
  } else {
    go();
  }
  o.group.assign(o.docs.size(), Outcome::npos);
  for (size_t g = 0; g < o.dedup->groups().size(); ++g) {
    const auto& group = o.dedup->groups()[g];
    o.group[group.representative] = static_cast<uint32_t>(g);
    for (const auto& m : group.members) o.group[m.doc] = static_cast<uint32_t>(g);
  }
  return o;
}

// A deterministic article of `words` distinct-ish words about `topic`.
std::string article(const std::string& topic, int words) {
  std::string s;
  for (int i = 0; i < words; ++i) {
    s += topic + std::to_string(i * 7 % 101) + "w" + std::to_string(i) + (i % 12 == 11 ? ".\n\n" : " ");
  }
  return s;
}

std::string record(const std::string& id, const std::string& date, const std::string& text) {
  std::string out;
  JsonWriter w(&out);
  w.begin_object().field("id", id).field("date", date).field("text", text).end_object();
  return out + "\n";
}

TEST(SetSimilarity, SmallCases) {
  const SetSimilarity s = set_similarity({1, 2, 3, 4}, {3, 4, 5});
  EXPECT_EQ(s.intersection, 2u);
  EXPECT_DOUBLE_EQ(s.jaccard, 2.0 / 5);
  EXPECT_DOUBLE_EQ(s.a_in_b, 0.5);
  EXPECT_DOUBLE_EQ(s.b_in_a, 2.0 / 3);
  EXPECT_DOUBLE_EQ(set_similarity({}, {1}).jaccard, 0);
}

class SyntheticCorpus : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string base = article("harbour", 240);
    std::string edited = base;
    edited.replace(edited.find("harbour17"), 9, "HARBOURX");  // one word changed
    const std::string truncated = base.substr(0, base.size() * 6 / 10);
    // An extended re-run: the whole wire text plus about 90 words of the outlet's own.
    const std::string wrapped = "Sign up to our newsletter today.\n\n" + base + "\n\n" + article("local", 90);
    path_ = dir_.write("c.jsonl", record("wire", "2025-03-03T08:00:00Z", base) +
                                      record("exact", "2025-03-03T09:00:00Z", base) +
                                      record("edited", "2025-03-02", edited) +  // a date alone: end of its day
                                      record("trimmed", "2025-03-04", truncated) +
                                      record("wrapped", "2025-03-05", wrapped) +
                                      record("other", "2025-03-01", article("storm", 200)) +
                                      record("tiny", "2025-03-01", "Short note.") +
                                      record("tiny-too", "2025-03-01", "short NOTE"));
  }
  TempDir dir_;
  std::string path_;
};

TEST_F(SyntheticCorpus, GroupsRelationsAndRepresentative) {
  const Outcome o = run({path_});
  ASSERT_EQ(o.dedup->groups().size(), 2u);
  const DuplicateGroup& g = o.dedup->groups()[0];
  // --keep earliest: "edited" is dated 2025-03-02, before the others.
  EXPECT_EQ(o.dedup->id(g.representative), "edited");
  std::map<std::string, std::string> relation;
  for (const auto& m : g.members) relation[std::string(o.dedup->id(m.doc))] = std::string(to_string(m.relation));
  EXPECT_EQ(relation, (std::map<std::string, std::string>{
                          {"wire", "near"}, {"exact", "near"}, {"trimmed", "contained"}, {"wrapped", "contains"}}));
  EXPECT_FALSE(o.dedup->kept(0));
  EXPECT_TRUE(o.dedup->kept(2));
  EXPECT_TRUE(o.dedup->kept(5));
  // The two tiny notes are exact copies (same words after normalisation).
  EXPECT_TRUE(o.together(6, 7));
  EXPECT_EQ(o.member(7)->relation, Relation::kExact);
}

TEST_F(SyntheticCorpus, KeepPolicies) {
  DedupOptions longest;
  longest.keep = KeepPolicy::kLongest;
  EXPECT_EQ(run({path_}, longest).dedup->id(run({path_}, longest).dedup->groups()[0].representative), "wrapped");
  DedupOptions first;
  first.keep = KeepPolicy::kFirst;
  const Outcome o = run({path_}, first);
  EXPECT_EQ(o.dedup->id(o.dedup->groups()[0].representative), "wire");
  EXPECT_EQ(o.member(1)->relation, Relation::kExact);
  EXPECT_DOUBLE_EQ(o.member(1)->jaccard, 1.0);
}

// Pass 2 reads the input again: a file that changed in between (a record edited, dropped, or
// the records moved by one inserted before them) fails the run instead of verifying other texts.
TEST_F(SyntheticCorpus, InputThatChangesBetweenThePassesFailsTheRun) {
  std::ifstream in(path_, std::ios::binary);
  const std::string original((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(original.empty());
  const size_t second = original.find('\n') + 1;
  const std::vector<std::pair<std::string, std::string>> changes = {
      {"edited", std::string(original).replace(original.find("harbour3"), 8, "harbourZ")},
      {"dropped", original.substr(0, second) + original.substr(original.find('\n', second) + 1)},
      {"shifted", record("new", "2025-03-01", article("storm", 200)) + original},
  };
  for (const auto& [name, changed] : changes) {
    SCOPED_TRACE(name);
    dir_.write("c.jsonl", original);
    Deduplicator dedup{DedupOptions()};
    ProblemLogOptions quiet;
    quiet.sink = nullptr;
    ProblemLog log(quiet);
    bool rewritten = false;
    CorpusDedupHooks hooks;
    hooks.progress = [&](int pass, uint64_t, uint64_t, uint64_t) {
      if (pass == 1 && !rewritten) rewritten = dir_.write("c.jsonl", changed) == path_;
    };
    const auto result = deduplicate_corpus({path_}, ReadOptions(), &log, &dedup, hooks);
    EXPECT_TRUE(rewritten);
    ASSERT_FALSE(result.is_ok());
    EXPECT_NE(result.status().message().find("changed"), std::string::npos) << result.status().message();
  }
  // Unchanged, the same run succeeds.
  dir_.write("c.jsonl", original);
  Deduplicator dedup{DedupOptions()};
  ProblemLog log(ProblemLogOptions{0, nullptr});
  EXPECT_TRUE(deduplicate_corpus({path_}, ReadOptions(), &log, &dedup).is_ok());
}

// The thread count also decides how many LSH bands share a sweep over the signatures (a partial
// last sweep when rows do not divide the bands evenly): none of it may change a result.
TEST_F(SyntheticCorpus, SameGroupsForAnyThreadCount) {
  for (const int rows : {2, 3}) {
    DedupOptions options;
    options.rows = rows;
    const Outcome one = run({path_}, options, 1);
    for (const int threads : {2, 5}) {
      SCOPED_TRACE(::testing::Message() << "rows " << rows << ", threads " << threads);
      const Outcome other = run({path_}, options, threads);
      EXPECT_EQ(one.dedup->stats().candidate_pairs, other.dedup->stats().candidate_pairs);
      ASSERT_EQ(one.dedup->groups().size(), other.dedup->groups().size());
      for (size_t g = 0; g < one.dedup->groups().size(); ++g) {
        EXPECT_EQ(one.dedup->groups()[g].representative, other.dedup->groups()[g].representative);
        ASSERT_EQ(one.dedup->groups()[g].members.size(), other.dedup->groups()[g].members.size());
        for (size_t m = 0; m < one.dedup->groups()[g].members.size(); ++m) {
          EXPECT_EQ(one.dedup->groups()[g].members[m].doc, other.dedup->groups()[g].members[m].doc);
          EXPECT_EQ(one.dedup->groups()[g].members[m].relation, other.dedup->groups()[g].members[m].relation);
        }
      }
    }
  }
}

// Both ways of pass 1 give the same result: sketch() then add(), which copies the signature, and
// signature_slot() + sketch() in place (here in reverse order, as threads may) then add_sketched().
TEST_F(SyntheticCorpus, SignaturesSketchedInPlaceGiveTheSameGroupsAsAdd) {
  const std::vector<Document> docs = testing::read_all({path_}).docs;
  auto finish = [&](Deduplicator* dedup) {
    dedup->find_candidates();
    std::vector<Token> tokens;
    for (uint32_t d = 0; d < dedup->size(); ++d) {
      if (!dedup->needs_shingles(d)) continue;
      std::vector<uint32_t> set;
      ASSERT_TRUE(dedup->shingle(d, docs[d], &tokens, &set));
      dedup->add_shingles(d, std::move(set));
    }
    dedup->finish();
  };
  Deduplicator copied{DedupOptions()}, in_place{DedupOptions()};
  std::vector<Token> tokens;
  for (const Document& doc : docs) {
    Sketch sketch;
    copied.sketch(doc, &tokens, &sketch);
    copied.add(doc, sketch);
  }
  std::vector<Sketch> sketches(docs.size());
  for (size_t i = docs.size(); i-- > 0;) {
    in_place.sketch(docs[i], &tokens, &sketches[i], in_place.signature_slot(static_cast<uint32_t>(i)));
    EXPECT_TRUE(sketches[i].signature.empty());
  }
  for (size_t i = 0; i < docs.size(); ++i) in_place.add_sketched(docs[i], sketches[i]);
  finish(&copied);
  finish(&in_place);
  ASSERT_EQ(copied.groups().size(), 2u);
  ASSERT_EQ(in_place.groups().size(), copied.groups().size());
  EXPECT_EQ(in_place.stats().candidate_pairs, copied.stats().candidate_pairs);
  for (size_t g = 0; g < copied.groups().size(); ++g) {
    EXPECT_EQ(in_place.groups()[g].representative, copied.groups()[g].representative);
    ASSERT_EQ(in_place.groups()[g].members.size(), copied.groups()[g].members.size());
    for (size_t m = 0; m < copied.groups()[g].members.size(); ++m) {
      EXPECT_EQ(in_place.groups()[g].members[m].doc, copied.groups()[g].members[m].doc);
      EXPECT_DOUBLE_EQ(in_place.groups()[g].members[m].jaccard, copied.groups()[g].members[m].jaccard);
    }
  }
}

// Recall of the pairs brute force finds, and that every reported edge and relation holds.
void check_against_brute_force(const Outcome& o, double min_recall, size_t* true_pairs = nullptr) {
  const auto sets = testing::shingle_sets(o.docs);
  const DedupOptions& opt = o.dedup->options();
  const auto truth = testing::brute_force_pairs(sets, opt.jaccard, opt.containment);
  size_t found = 0;
  for (const auto& p : truth) found += o.together(p.a, p.b);
  const double recall = truth.empty() ? 1.0 : static_cast<double>(found) / static_cast<double>(truth.size());
  EXPECT_GE(recall, min_recall) << found << " of " << truth.size();
  if (true_pairs) *true_pairs = truth.size();
  // Precision: every verified edge holds on exact shingle sets.
  for (const auto& [a, b] : o.dedup->edges()) {
    const SetSimilarity s = set_similarity(sets[a], sets[b]);
    EXPECT_TRUE(s.jaccard >= opt.jaccard || std::max(s.a_in_b, s.b_in_a) >= opt.containment)
        << o.docs[a].id << " ~ " << o.docs[b].id;
  }
  // And every near/contained relation to a representative is what it says.
  for (const auto& g : o.dedup->groups()) {
    for (const auto& m : g.members) {
      const SetSimilarity s = set_similarity(sets[m.doc], sets[g.representative]);
      if (m.estimated) continue;
      EXPECT_NEAR(m.jaccard, s.jaccard, 1e-9);
      switch (m.relation) {
        case Relation::kNear: EXPECT_GE(s.jaccard, opt.jaccard); break;
        case Relation::kContained: EXPECT_GE(s.a_in_b, opt.containment); break;
        case Relation::kContains: EXPECT_GE(s.b_in_a, opt.containment); break;
        case Relation::kExact: EXPECT_EQ(sets[m.doc], sets[g.representative]); break;
        default: break;
      }
    }
  }
}

// A text inside one five times its size has Jaccard about 0.19 with it: the bands make such a pair
// a candidate only about three times in four, the single-value buckets nearly always.
TEST(Containment, TextsInsideMuchLongerOnesAreFound) {
  TempDir dir;
  std::string corpus;
  constexpr int kPairs = 20;
  for (int i = 0; i < kPairs; ++i) {
    const std::string inner = article("wire" + std::to_string(i), 60);
    const std::string outer =
        article("before" + std::to_string(i), 120) + "\n\n" + inner + "\n\n" + article("after" + std::to_string(i), 120);
    corpus += record("outer-" + std::to_string(i), "2025-03-03", outer);
    corpus += record("inner-" + std::to_string(i), "2025-03-03", inner);
  }
  const Outcome o = run({dir.write("c.jsonl", corpus)});
  int found = 0;
  for (uint32_t i = 0; i < kPairs; ++i) {
    if (!o.together(2 * i, 2 * i + 1)) continue;
    ++found;
    const GroupMember* inner = o.member(2 * i + 1);
    ASSERT_NE(inner, nullptr) << "the longer text represents the pair (it comes first, same date)";
    EXPECT_EQ(inner->relation, Relation::kContained);
  }
  // Without the single-value buckets (bands alone), about 15 of the 20.
  EXPECT_GE(found, kPairs - 1);
  DedupOptions bands_only;
  bands_only.small_document_shingles = 0;
  const Outcome b = run({dir.path() + "/c.jsonl"}, bands_only);
  int found_by_bands = 0;
  for (uint32_t i = 0; i < kPairs; ++i) found_by_bands += b.together(2 * i, 2 * i + 1);
  EXPECT_LT(found_by_bands, found);
}

TEST(DedupSharedData, ReutersExactGroupsMatchBruteForceAndRecallIsAbove99Percent) {
  REQUIRE_SHARED();
  const Outcome o = run({testing::shared_dir() + "/data/reuters21578"});
  // The 260 groups of byte-identical bodies (522 stories) are all found, each inside one group.
  std::map<std::string, std::vector<uint32_t>> by_body;
  for (uint32_t d = 0; d < o.docs.size(); ++d) {
    if (!o.docs[d].text.empty()) by_body[o.docs[d].text].push_back(d);
  }
  size_t identical_groups = 0, identical_docs = 0;
  for (const auto& [body, docs] : by_body) {
    if (docs.size() < 2) continue;
    ++identical_groups;
    identical_docs += docs.size();
    for (uint32_t d : docs) EXPECT_TRUE(o.together(docs[0], d)) << o.docs[d].id;
  }
  EXPECT_EQ(identical_groups, 260u);
  EXPECT_EQ(identical_docs, 522u);
  // Exact groups (same normalised words) against a brute-force grouping by token sequence.
  std::map<std::vector<uint64_t>, std::vector<uint32_t>> by_words;
  std::vector<Token> tokens;
  for (uint32_t d = 0; d < o.docs.size(); ++d) {
    tokens.clear();
    tokenize(o.docs[d].text.empty() ? o.docs[d].title : o.docs[d].text, &tokens);
    if (tokens.empty()) continue;
    std::vector<uint64_t> words;
    for (const Token& t : tokens) words.push_back(t.hash);
    by_words[words].push_back(d);
  }
  size_t exact_members = 0;
  for (const auto& [words, docs] : by_words) {
    for (size_t i = 1; i < docs.size(); ++i) {
      ASSERT_TRUE(o.together(docs[0], docs[i]));
      ++exact_members;
    }
  }
  size_t reported_exact = 0;
  for (const auto& g : o.dedup->groups()) {
    for (const auto& m : g.members) reported_exact += m.relation == Relation::kExact;
  }
  EXPECT_LE(reported_exact, exact_members);
  size_t true_pairs = 0;
  check_against_brute_force(o, 0.99, &true_pairs);
  EXPECT_GT(true_pairs, 700u);
}

TEST(DedupSharedData, Giveme5w1hSyndicatedCopiesAreFound) {
  REQUIRE_SHARED();
  const Outcome o = run({testing::shared_dir() + "/data/giveme5w1h-news-cluster-dev"});
  check_against_brute_force(o, 0.99);
  // Agency stories re-run by several outlets: each set of outlets ends up in one group.
  auto outlets_grouped_with = [&](const std::string& outlet) {
    std::set<std::set<std::string>> out;
    for (const auto& g : o.dedup->groups()) {
      std::set<std::string> names{o.docs[g.representative].outlet};
      for (const auto& m : g.members) names.insert(o.docs[m.doc].outlet);
      if (names.count(outlet)) out.insert(names);
    }
    return out;
  };
  EXPECT_TRUE(outlets_grouped_with("denverpost.com")
                  .count(std::set<std::string>{"washingtonpost.com", "denverpost.com", "sfgate.com"}));
  EXPECT_TRUE(outlets_grouped_with("dailymail.co.uk")
                  .count(std::set<std::string>{"washingtonpost.com", "nytimes.com", "dailymail.co.uk"}));
  EXPECT_TRUE(outlets_grouped_with("cnbc.com").count(std::set<std::string>{"nytimes.com", "cnbc.com"}));
}

TEST(DedupSharedData, TheSeedsAreNotDuplicates) {
  REQUIRE_SHARED();
  const Outcome o = run({testing::shared_dir() + "/seeds"});
  EXPECT_TRUE(o.dedup->groups().empty());
  const auto sets = testing::shingle_sets(o.docs);
  const SetSimilarity s = set_similarity(sets[0], sets[1]);
  EXPECT_GT(s.jaccard, 0.1);  // they do share passages...
  EXPECT_LT(s.jaccard, 0.3);  // ...but are far from near-duplicates
}

}  // namespace
}  // namespace samestory

namespace samestory {
namespace {

TEST(LshBuckets, SortUniqueGivesTheDistinctWordsOfAllParts) {
  std::mt19937_64 rng(13);
  const uint32_t documents = 5000;
  std::vector<std::vector<uint64_t>> parts(7);
  std::vector<uint64_t> expected;
  for (auto& part : parts) {
    for (int i = 0; i < 3000; ++i) {
      const uint64_t p = pair_key(static_cast<uint32_t>(rng() % documents), static_cast<uint32_t>(rng() % documents));
      part.push_back(p);
      expected.push_back(p);
    }
  }
  std::sort(expected.begin(), expected.end());
  expected.erase(std::unique(expected.begin(), expected.end()), expected.end());
  EXPECT_EQ(sort_unique(&parts, static_cast<uint64_t>(documents) << 32), expected);
  for (const auto& part : parts) EXPECT_TRUE(part.empty());
}

TEST(LshBuckets, GatheredEntriesAreByKeyWithDocumentsInPartOrder) {
  std::mt19937_64 rng(17);
  std::vector<std::vector<uint64_t>> parts(5);
  std::vector<uint64_t> expected;
  uint32_t doc = 0;
  for (auto& part : parts) {
    for (int i = 0; i < 4000; ++i, ++doc) {
      // Keys over the whole 32-bit range (every gathering range used) and repeated often.
      const auto key = static_cast<uint32_t>((rng() % 500) * 8589934ull);
      part.push_back(bucket_entry(key, doc));
      expected.push_back(part.back());
    }
  }
  std::stable_sort(expected.begin(), expected.end(),
                   [](uint64_t a, uint64_t b) { return entry_key(a) < entry_key(b); });
  const std::vector<uint64_t> entries = gather_sorted_by_key(&parts);
  EXPECT_EQ(entries, expected);

  // Slices never cut a key's run, and the runs met slice by slice are the runs of the whole.
  const std::vector<size_t> slices = key_run_slices(entries, 16);
  ASSERT_EQ(slices.front(), 0u);
  ASSERT_EQ(slices.back(), entries.size());
  std::vector<std::pair<size_t, size_t>> whole, sliced;
  for_each_key_run(entries, [&](const uint64_t* run, size_t n) { whole.emplace_back(run - entries.data(), n); });
  for (size_t s = 0; s + 1 < slices.size(); ++s) {
    ASSERT_LT(slices[s], slices[s + 1]);
    if (slices[s] > 0) {
      EXPECT_NE(entry_key(entries[slices[s]]), entry_key(entries[slices[s] - 1]));
    }
    for_each_key_run(std::span<const uint64_t>(entries.data() + slices[s], slices[s + 1] - slices[s]),
                     [&](const uint64_t* run, size_t n) { sliced.emplace_back(run - entries.data(), n); });
  }
  EXPECT_EQ(sliced, whole);
  EXPECT_GT(whole.size(), 400u);
}

}  // namespace
}  // namespace samestory

namespace samestory {
namespace {

TEST(SmallBucketValues, DistinctValuesInOrderOfFirstAppearanceForShortDocuments) {
  std::mt19937 rng(7);
  for (int k : {8, 64, 200, 1024}) {
    for (int trial = 0; trial < 50; ++trial) {
      std::vector<uint32_t> sig(static_cast<size_t>(k));
      const uint32_t range = 1 + rng() % static_cast<uint32_t>(k);  // few values: many repeats
      for (auto& v : sig) v = trial % 2 == 0 ? rng() % range : rng() % range * 0x10001u;
      std::vector<uint32_t> expected;
      for (uint32_t v : sig) {
        if (std::find(expected.begin(), expected.end(), v) == expected.end()) expected.push_back(v);
      }
      std::vector<uint32_t> values;
      small_bucket_values(sig.data(), k, true, &values);
      EXPECT_EQ(values, expected) << "k=" << k;
      small_bucket_values(sig.data(), k, false, &values);
      EXPECT_EQ(values, sig);
    }
  }
}

TEST(OfferedValues, AllOfASmallDocumentsTheSmallestOfALongerOnes) {
  std::mt19937 rng(11);
  for (const uint32_t bottom : {1u, 2u, 3u, 5u}) {
    DedupOptions options;
    options.bottom_values = bottom;
    for (int trial = 0; trial < 200; ++trial) {
      std::vector<uint32_t> sig(64);
      const uint32_t range = trial % 3 == 0 ? 4 : 0xFFFFFFFFu;  // some with few values, repeated
      for (auto& v : sig) v = trial % 5 == 0 ? 0xFFFFFFFFu - rng() % 3 : rng() % range;
      std::vector<uint32_t> distinct = sig;
      std::sort(distinct.begin(), distinct.end());
      distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
      distinct.resize(std::min<size_t>(distinct.size(), bottom));
      std::vector<uint32_t> values;
      offered_values(sig.data(), 64, 500, options, &values);
      EXPECT_EQ(values, distinct) << "bottom " << bottom << ", trial " << trial;
      EXPECT_EQ(offer_bound(500, values, options), distinct.back());
      std::vector<uint32_t> small;
      small_bucket_values(sig.data(), 64, true, &small);
      offered_values(sig.data(), 64, options.small_document_shingles, options, &values);
      EXPECT_EQ(values, small);
      EXPECT_EQ(offer_bound(options.small_document_shingles, values, options), 0xFFFFFFFFu);
      offered_values(sig.data(), 64, 0, options, &values);
      EXPECT_TRUE(values.empty());
    }
  }
}

TEST(SingleValuePair, ASmallDocumentOrAShorterOneThatOfferedTheValue) {
  const DedupOptions o;  // small: up to 32 shingles; ratio 0.6
  // A small document pairs with anything it meets.
  EXPECT_TRUE(single_value_pair(7, {20, 0xFFFFFFFFu}, {25, 3}, o));
  EXPECT_TRUE(single_value_pair(7, {900, 3}, {32, 0xFFFFFFFFu}, o));
  // Longer ones: the shorter must have offered the value and be at most 0.6 of the other.
  EXPECT_TRUE(single_value_pair(7, {60, 7}, {100, 2}, o));
  EXPECT_TRUE(single_value_pair(7, {1000, 2}, {100, 9}, o));
  EXPECT_FALSE(single_value_pair(7, {60, 6}, {100, 9}, o));   // the shorter did not offer 7
  EXPECT_FALSE(single_value_pair(7, {61, 9}, {100, 9}, o));   // sizes too close: the bands' work
  EXPECT_FALSE(single_value_pair(7, {100, 9}, {100, 9}, o));
}

// The report written piece by piece on many threads is the one written group by group, in order,
// across more groups than one wave of pieces holds; an error from the writer ends the writing.
TEST(GroupReports, WrittenInParallelPiecesAsOneGroupAtATime) {
  constexpr uint32_t kGroups = 70000;
  Deduplicator dedup{DedupOptions()};
  std::mt19937 rng(7);
  for (uint32_t g = 0; g < kGroups; ++g) {
    Sketch sketch;
    sketch.sequence = 0x9E3779B97F4A7C15ull * (g + 1);
    sketch.shingles = 50;
    sketch.signature.resize(static_cast<size_t>(DedupOptions().num_hashes));
    for (uint32_t& v : sketch.signature) v = static_cast<uint32_t>(rng());
    for (int copy = 0; copy < 2; ++copy) {
      const uint32_t doc = 2 * g + static_cast<uint32_t>(copy);
      dedup.add("doc-" + std::to_string(doc), 0, 100, doc, sketch);
    }
  }
  dedup.find_candidates();
  dedup.finish();
  ASSERT_EQ(dedup.groups().size(), kGroups);
  std::string one_at_a_time;
  for (size_t g = 0; g < dedup.groups().size(); ++g) {
    append_group_jsonl(g + 1, report_group(dedup, dedup.groups()[g]), &one_at_a_time);
  }
  for (const int threads : {1, 3}) {
    std::string pieces;
    size_t writes = 0;
    tbb::task_arena(threads).execute([&] {
      EXPECT_TRUE(write_group_reports(dedup, [&](std::string_view text) {
                    ++writes;
                    pieces += text;
                    return Status::ok();
                  }).is_ok());
    });
    EXPECT_GT(writes, 16u);
    EXPECT_TRUE(pieces == one_at_a_time) << threads << " threads";
  }
  size_t writes = 0;
  const Status failed = write_group_reports(dedup, [&](std::string_view) {
    ++writes;
    return Status::io_error("disk full");
  });
  EXPECT_FALSE(failed.is_ok());
  EXPECT_EQ(failed.message(), "disk full");
  EXPECT_EQ(writes, 1u);
}

}  // namespace
}  // namespace samestory
