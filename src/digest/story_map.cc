#include "digest/story_map.h"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <unordered_map>

#include "base/parallel_region.h"
#include "dedup/union_find.h"

namespace samestory {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Runs body(i) for i in [0, n) on all threads, in chunks so progress can be reported (from this
// thread, between chunks) and a stop request honoured.
template <typename Body>
bool for_each_chunked(size_t n, const StoryMapHooks& hooks, const char* stage, const Body& body) {
  constexpr size_t kChunk = 4096;
  for (size_t from = 0; from < n; from += kChunk) {
    if (hooks.stop && hooks.stop->load()) return false;
    const size_t to = std::min(n, from + kChunk);
    parallel_for_index(from, to, body);
    if (hooks.progress) hooks.progress(stage, static_cast<double>(to) / static_cast<double>(n));
  }
  return true;
}

constexpr size_t kLinkWords = 8;

}  // namespace

void sample_link_sequences(const std::vector<Token>& tokens, std::vector<uint64_t>* out) {
  out->clear();
  for (size_t i = 0; i + kLinkWords <= tokens.size(); ++i) {
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (size_t k = 0; k < kLinkWords; ++k) h = (h ^ tokens[i + k].hash) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 29;
    if ((h & 3) == 0) out->push_back(h);
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

void prepare_article(const Cleaner& cleaner, const Deduplicator& dedup, const StoryMapOptions& options,
                     MapArticle* article, PreparedArticle* out) {
  thread_local CleanedText cleaned;
  thread_local std::vector<Token> tokens;
  MapArticle& a = *article;
  cleaner.clean(a.doc.text, a.doc.outlet, &cleaned);
  a.byline = cleaned.byline;
  std::vector<TextRange> skip;
  a.removed.clear();
  a.removed.reserve(cleaned.removed.size());
  for (const RemovedSpan& r : cleaned.removed) {
    a.removed.push_back({{r.begin, r.end}, std::string(r.category), describe_removal(r)});
    skip.push_back({r.begin, r.end});
  }
  extract_quotes(a.doc.text, skip, options.quotes, &a.quotes);
  count_terms(a.doc.title, cleaned.text, options.cluster.features, &tokens, &out->bag);
  // Dedup compares cleaned text: outlets wrap the same copy in different boilerplate.
  Document view;
  view.published = a.doc.published;
  view.title = a.doc.title;
  view.text = cleaned.text;
  dedup.sketch(view, &tokens, &out->sketch);
  sample_link_sequences(tokens, &out->link_sample);  // the cleaned text's tokens, left by sketch()
  out->cleaned = std::move(view.text);
}

void count_shared_sequences(std::span<const LinkPosting> postings, uint32_t max_articles, LinkCounts* shared) {
  for (size_t i = 0; i < postings.size();) {
    size_t j = i;
    while (j < postings.size() && postings[j].sequence == postings[i].sequence) ++j;
    if (j - i >= 2 && j - i <= max_articles) {
      for (size_t x = i; x < j; ++x) {
        for (size_t y = x + 1; y < j; ++y) {
          if (postings[x].outlet == postings[y].outlet) continue;
          const uint32_t a = std::min(postings[x].article, postings[y].article);
          const uint32_t b = std::max(postings[x].article, postings[y].article);
          ++(*shared)[(static_cast<uint64_t>(a) << 32) | b];
        }
      }
    }
    i = j;
  }
}

bool is_copy_link(uint32_t shared, size_t sample_a, size_t sample_b, double share) {
  const size_t smaller = std::min(sample_a, sample_b);
  return shared >= 3 && static_cast<double>(shared) >= share * static_cast<double>(smaller);
}

namespace {

// Article pairs from different outlets whose samples overlap by at least `share` of the smaller
// sample (and three sequences), as (a, b) with a < b, sorted.
std::vector<std::pair<uint32_t, uint32_t>> copy_links(const std::vector<std::vector<uint64_t>>& samples,
                                                      const std::vector<MapArticle>& articles, double share,
                                                      uint32_t max_articles) {
  std::unordered_map<std::string_view, uint32_t> outlet_codes;
  std::vector<LinkPosting> postings;
  for (uint32_t i = 0; i < samples.size(); ++i) {
    const auto code = outlet_codes.try_emplace(articles[i].doc.outlet, static_cast<uint32_t>(outlet_codes.size()));
    for (uint64_t h : samples[i]) postings.push_back({h, i, code.first->second});
  }
  std::sort(postings.begin(), postings.end());
  LinkCounts shared;
  count_shared_sequences(postings, max_articles, &shared);
  std::vector<std::pair<uint32_t, uint32_t>> links;
  for (const auto& [key, n] : shared) {
    const auto a = static_cast<uint32_t>(key >> 32), b = static_cast<uint32_t>(key);
    if (is_copy_link(n, samples[a].size(), samples[b].size(), share)) links.emplace_back(a, b);
  }
  std::sort(links.begin(), links.end());
  return links;
}

}  // namespace

bool learn_boilerplate(size_t n, const std::function<const Document&(size_t)>& doc, const LearnOptions& options,
                       BoilerplateLearner* learner, const StoryMapHooks& hooks) {
  constexpr size_t kChunk = 4096;
  std::vector<ArticleProfile> profiles(std::min(n, kChunk));
  for (size_t from = 0; from < n; from += kChunk) {
    if (hooks.stop && hooks.stop->load()) return false;
    const size_t to = std::min(n, from + kChunk);
    parallel_for_index(from, to, [&](size_t i) {
      thread_local std::vector<Token> tokens;
      profile_article(doc(i).text, doc(i).outlet, options, &tokens, &profiles[i - from]);
    });
    for (size_t i = from; i < to; ++i) learner->add(profiles[i - from], doc(i).outlet, doc(i).text);
    if (hooks.progress) hooks.progress("learn", static_cast<double>(to) / static_cast<double>(n));
  }
  return true;
}

void count_cleaning(StoryMap* map) {
  for (const MapArticle& a : map->articles) {
    map->stats.removed_spans += a.removed.size();
    for (const Removal& r : a.removed) map->stats.removed_bytes += r.range.end - r.range.begin;
    map->stats.quotes += a.quotes.quotes.size();
  }
}

std::vector<std::vector<uint32_t>> assign_stories(std::span<const MapArticle> articles,
                                                  std::span<const DuplicateGroup> groups,
                                                  std::vector<uint32_t> story,
                                                  std::span<const std::pair<uint32_t, uint32_t>> links,
                                                  StoryMapStats* stats) {
  const size_t n = articles.size();
  // A duplicate group stays whole, in its representative's story.
  for (const DuplicateGroup& g : groups) {
    for (const GroupMember& m : g.members) {
      if (story[m.doc] != story[g.representative]) {
        story[m.doc] = story[g.representative];
        ++stats->moved_to_representative;
      }
    }
  }
  // Stories that share copy across outlets are one.
  stats->copy_links = links.size();
  uint32_t count = 0;
  for (uint32_t s : story) count = std::max(count, s + 1);
  UnionFind joined(count);
  for (const auto& [a, b] : links) stats->stories_joined_by_copy += joined.unite(story[a], story[b]);
  for (uint32_t& s : story) s = joined.find(s);
  // Stories numbered by their first publication (then input order); empty ones dropped.
  std::vector<std::vector<uint32_t>> stories;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t s = story[i];
    if (s >= stories.size()) stories.resize(s + 1);
    stories[s].push_back(i);
  }
  std::erase_if(stories, [](const std::vector<uint32_t>& s) { return s.empty(); });
  std::vector<std::pair<int64_t, uint32_t>> first(stories.size());
  for (size_t s = 0; s < stories.size(); ++s) {
    first[s] = {std::numeric_limits<int64_t>::max(), stories[s].front()};
    for (uint32_t i : stories[s]) first[s] = std::min(first[s], std::make_pair(publication_key(articles[i].doc.published), i));
  }
  std::vector<uint32_t> order(stories.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return first[a] < first[b]; });
  std::vector<std::vector<uint32_t>> ordered(stories.size());
  for (size_t k = 0; k < order.size(); ++k) ordered[k] = std::move(stories[order[k]]);
  return ordered;
}

std::vector<CopyOf> copies_of(size_t n, std::span<const DuplicateGroup> groups) {
  std::vector<CopyOf> copies(n);
  for (const DuplicateGroup& g : groups) {
    for (const GroupMember& m : g.members) {
      CopyOf& c = copies[m.doc];
      c.representative = g.representative;
      c.relation = m.relation;
      c.similarity = m.relation == Relation::kContained  ? m.in_rep
                     : m.relation == Relation::kContains ? m.rep_in
                                                         : m.jaccard;
    }
  }
  return copies;
}

StoryDigest digest_articles(std::span<const uint32_t> numbers, std::span<const MapArticle* const> articles,
                            std::span<const CopyOf> copies, const DigestOptions& options) {
  std::vector<DigestInput> in(numbers.size());
  std::vector<std::vector<TextRange>> removed(numbers.size());
  for (size_t j = 0; j < numbers.size(); ++j) {
    const MapArticle& a = *articles[j];
    for (const Removal& r : a.removed) removed[j].push_back(r.range);
    DigestInput& d = in[j];
    d.article = numbers[j];
    d.id = a.doc.id;
    d.outlet = a.doc.outlet;
    d.title = a.doc.title;
    d.text = a.doc.text;
    d.published = a.doc.published;
    d.removed = removed[j];
    d.quotes = &a.quotes;
    const CopyOf& c = copies[j];
    if (c.representative != kNoArticle) {
      d.copy_of = c.representative;
      d.copy_relation = c.relation;
      d.copy_similarity = c.similarity;
    }
  }
  return digest_story(in, options);
}

void index_story_members(StoryMap* map) {
  for (uint32_t s = 0; s < map->stories.size(); ++s) {
    for (uint32_t p = 0; p < map->stories[s].members.size(); ++p) {
      MapArticle& a = map->articles[map->stories[s].members[p].article];
      a.story = s;
      a.member = p;
    }
  }
}

Result<StoryMap> build_story_map(std::vector<Document> documents, const StoryMapOptions& options,
                                 const StoryMapHooks& hooks) {
  StoryMap map;
  const size_t n = documents.size();
  map.articles.resize(n);
  for (size_t i = 0; i < n; ++i) map.articles[i].doc = std::move(documents[i]);
  std::vector<Document>().swap(documents);
  const Status stopped = Status::cancelled("stopped");

  // Clean: learn what each outlet repeats across unrelated stories, then clean every article.
  auto t = Clock::now();
  BoilerplateModel learned;
  const BoilerplateModel* model = options.model;
  if (!model && options.learn_boilerplate) {
    BoilerplateLearner learner(options.learn);
    if (!learn_boilerplate(
            n, [&](size_t i) -> const Document& { return map.articles[i].doc; }, options.learn, &learner, hooks)) {
      return stopped;
    }
    learned = learner.finish();
    model = &learned;
    map.stats.model_learned = true;
  }
  map.stats.boilerplate_units = model ? model->size() : 0;
  const Cleaner cleaner(options.rules, model, options.cleaner);
  Deduplicator dedup(options.dedup);
  std::vector<PreparedArticle> prepared(n);
  if (!for_each_chunked(n, hooks, "clean",
                        [&](size_t i) { prepare_article(cleaner, dedup, options, &map.articles[i], &prepared[i]); })) {
    return stopped;
  }
  count_cleaning(&map);
  map.stats.clean_seconds = seconds_since(t);

  // Dedup, on cleaned text.
  t = Clock::now();
  {
    Document view;
    for (size_t i = 0; i < n; ++i) {
      view.id = map.articles[i].doc.id;
      view.published = map.articles[i].doc.published;
      view.text.clear();
      dedup.add(view, prepared[i].sketch);
      prepared[i].sketch = Sketch{};
    }
  }
  dedup.find_candidates();
  std::vector<uint32_t> needed;
  for (uint32_t i = 0; i < n; ++i) {
    if (dedup.needs_shingles(i)) needed.push_back(i);
  }
  std::vector<std::vector<uint32_t>> sets(needed.size());
  if (!for_each_chunked(needed.size(), hooks, "dedup", [&](size_t k) {
        thread_local std::vector<Token> tokens;
        Document view;
        view.title = map.articles[needed[k]].doc.title;
        view.text = prepared[needed[k]].cleaned;
        // The text is the one sketched a moment ago, so its words cannot have changed.
        (void)dedup.shingle(needed[k], view, &tokens, &sets[k]);
      })) {
    return stopped;
  }
  for (size_t k = 0; k < needed.size(); ++k) dedup.add_shingles(needed[k], std::move(sets[k]));
  std::vector<std::vector<uint32_t>>().swap(sets);
  dedup.finish();
  map.groups = dedup.groups();
  map.stats.duplicate_groups = map.groups.size();
  for (const DuplicateGroup& g : map.groups) map.stats.duplicates += g.members.size();
  for (PreparedArticle& p : prepared) std::string().swap(p.cleaned);
  map.stats.dedup_seconds = seconds_since(t);

  // Cluster.
  t = Clock::now();
  ClusterResult clusters;
  {
    StoryClusterer clusterer(options.cluster);
    for (size_t i = 0; i < n; ++i) {
      const PublishedTime& p = map.articles[i].doc.published;
      clusterer.add(prepared[i].bag, p.known() ? static_cast<int32_t>(p.unix_day()) : kUnknownDay);
      std::vector<TermCount>().swap(prepared[i].bag);
    }
    if (hooks.stop && hooks.stop->load()) return stopped;
    clusters = clusterer.finish();
    if (hooks.progress) hooks.progress("cluster", 1.0);
  }
  std::vector<std::vector<uint64_t>> samples(n);
  for (size_t i = 0; i < n; ++i) samples[i] = std::move(prepared[i].link_sample);
  std::vector<PreparedArticle>().swap(prepared);
  const auto links = copy_links(samples, map.articles, options.link_share, options.link_max_articles);
  std::vector<std::vector<uint64_t>>().swap(samples);
  const std::vector<std::vector<uint32_t>> stories =
      assign_stories(map.articles, map.groups, std::move(clusters.story), links, &map.stats);
  map.stats.cluster_seconds = seconds_since(t);

  // Digest each story.
  t = Clock::now();
  const std::vector<CopyOf> copies = copies_of(n, map.groups);
  map.stories.resize(stories.size());
  if (!for_each_chunked(stories.size(), hooks, "digest", [&](size_t k) {
        std::vector<const MapArticle*> members;
        std::vector<CopyOf> member_copies;
        for (uint32_t i : stories[k]) {
          members.push_back(&map.articles[i]);
          member_copies.push_back(copies[i]);
        }
        map.stories[k] = digest_articles(stories[k], members, member_copies, options.digest);
      })) {
    return stopped;
  }
  index_story_members(&map);
  map.stats.digest_seconds = seconds_since(t);
  return map;
}

}  // namespace samestory
