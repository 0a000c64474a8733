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

struct Prepared {
  std::string cleaned;
  std::vector<TermCount> bag;
  Sketch sketch;
};

constexpr size_t kLinkWords = 8;

// A 1-in-4 sample of a text's 8-word sequences, sorted and distinct (positions are not needed:
// the share of sampled sequences two texts have in common estimates the share of all of them).
void sample_sequences(const std::vector<Token>& tokens, std::vector<uint64_t>* out) {
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

// Article pairs from different outlets whose samples overlap by at least `share` of the smaller
// sample (and three sequences), as (a, b) with a < b, sorted.
std::vector<std::pair<uint32_t, uint32_t>> copy_links(const std::vector<std::vector<uint64_t>>& samples,
                                                      const std::vector<MapArticle>& articles, double share,
                                                      uint32_t max_articles) {
  std::vector<std::pair<uint64_t, uint32_t>> postings;
  for (uint32_t i = 0; i < samples.size(); ++i) {
    for (uint64_t h : samples[i]) postings.emplace_back(h, i);
  }
  std::sort(postings.begin(), postings.end());
  std::unordered_map<uint64_t, uint32_t> shared;
  for (size_t i = 0; i < postings.size();) {
    size_t j = i;
    while (j < postings.size() && postings[j].first == postings[i].first) ++j;
    if (j - i >= 2 && j - i <= max_articles) {
      for (size_t x = i; x < j; ++x) {
        for (size_t y = x + 1; y < j; ++y) {
          const uint32_t a = postings[x].second, b = postings[y].second;
          if (articles[a].doc.outlet == articles[b].doc.outlet) continue;
          ++shared[(static_cast<uint64_t>(a) << 32) | b];
        }
      }
    }
    i = j;
  }
  std::vector<std::pair<uint32_t, uint32_t>> links;
  for (const auto& [key, n] : shared) {
    const auto a = static_cast<uint32_t>(key >> 32), b = static_cast<uint32_t>(key);
    const size_t smaller = std::min(samples[a].size(), samples[b].size());
    if (n >= 3 && static_cast<double>(n) >= share * static_cast<double>(smaller)) links.emplace_back(a, b);
  }
  std::sort(links.begin(), links.end());
  return links;
}

}  // namespace

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
    std::vector<ArticleProfile> profiles(std::min<size_t>(n, 4096));
    constexpr size_t kChunk = 4096;
    for (size_t from = 0; from < n; from += kChunk) {
      if (hooks.stop && hooks.stop->load()) return stopped;
      const size_t to = std::min(n, from + kChunk);
      parallel_for_index(from, to, [&](size_t i) {
        thread_local std::vector<Token> tokens;
        profile_article(map.articles[i].doc.text, map.articles[i].doc.outlet, options.learn, &tokens,
                        &profiles[i - from]);
      });
      for (size_t i = from; i < to; ++i) learner.add(profiles[i - from], map.articles[i].doc.outlet, map.articles[i].doc.text);
      if (hooks.progress) hooks.progress("learn", static_cast<double>(to) / static_cast<double>(n));
    }
    learned = learner.finish();
    model = &learned;
    map.stats.model_learned = true;
  }
  map.stats.boilerplate_units = model ? model->size() : 0;
  const Cleaner cleaner(options.rules, model, options.cleaner);
  Deduplicator dedup(options.dedup);
  std::vector<Prepared> prepared(n);
  std::vector<std::vector<uint64_t>> samples(n);
  if (!for_each_chunked(n, hooks, "clean", [&](size_t i) {
        thread_local CleanedText cleaned;
        thread_local std::vector<Token> tokens;
        MapArticle& a = map.articles[i];
        cleaner.clean(a.doc.text, a.doc.outlet, &cleaned);
        a.byline = cleaned.byline;
        std::vector<TextRange> skip;
        a.removed.reserve(cleaned.removed.size());
        for (const RemovedSpan& r : cleaned.removed) {
          a.removed.push_back({{r.begin, r.end}, std::string(r.category), describe_removal(r)});
          skip.push_back({r.begin, r.end});
        }
        extract_quotes(a.doc.text, skip, options.quotes, &a.quotes);
        Prepared& p = prepared[i];
        count_terms(a.doc.title, cleaned.text, options.cluster.features, &tokens, &p.bag);
        // Dedup compares cleaned text: outlets wrap the same copy in different boilerplate.
        Document view;
        view.published = a.doc.published;
        view.title = a.doc.title;
        view.text = cleaned.text;
        dedup.sketch(view, &tokens, &p.sketch);
        sample_sequences(tokens, &samples[i]);  // the cleaned text's tokens, left by sketch()
        p.cleaned = std::move(view.text);
      })) {
    return stopped;
  }
  for (const MapArticle& a : map.articles) {
    map.stats.removed_spans += a.removed.size();
    for (const Removal& r : a.removed) map.stats.removed_bytes += r.range.end - r.range.begin;
    map.stats.quotes += a.quotes.quotes.size();
  }
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
  for (Prepared& p : prepared) std::string().swap(p.cleaned);
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
    std::vector<Prepared>().swap(prepared);
    if (hooks.stop && hooks.stop->load()) return stopped;
    clusters = clusterer.finish();
    if (hooks.progress) hooks.progress("cluster", 1.0);
  }
  // A duplicate group stays whole, in its representative's story.
  for (const DuplicateGroup& g : map.groups) {
    for (const GroupMember& m : g.members) {
      if (clusters.story[m.doc] != clusters.story[g.representative]) {
        clusters.story[m.doc] = clusters.story[g.representative];
        ++map.stats.moved_to_representative;
      }
    }
  }
  // Stories that share copy across outlets are one.
  {
    const auto links = copy_links(samples, map.articles, options.link_share, options.link_max_articles);
    std::vector<std::vector<uint64_t>>().swap(samples);
    map.stats.copy_links = links.size();
    uint32_t count = 0;
    for (uint32_t s : clusters.story) count = std::max(count, s + 1);
    UnionFind joined(count);
    for (const auto& [a, b] : links) map.stats.stories_joined_by_copy += joined.unite(clusters.story[a], clusters.story[b]);
    for (uint32_t& s : clusters.story) s = joined.find(s);
  }
  // Stories numbered by their first publication (then input order); empty ones dropped.
  std::vector<std::vector<uint32_t>> stories;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t s = clusters.story[i];
    if (s >= stories.size()) stories.resize(s + 1);
    stories[s].push_back(i);
  }
  std::erase_if(stories, [](const std::vector<uint32_t>& s) { return s.empty(); });
  std::vector<std::pair<int64_t, uint32_t>> first(stories.size());
  for (size_t s = 0; s < stories.size(); ++s) {
    first[s] = {std::numeric_limits<int64_t>::max(), stories[s].front()};
    for (uint32_t i : stories[s]) {
      first[s] = std::min(first[s], std::make_pair(publication_key(map.articles[i].doc.published), i));
    }
  }
  std::vector<uint32_t> story_order(stories.size());
  std::iota(story_order.begin(), story_order.end(), 0);
  std::sort(story_order.begin(), story_order.end(), [&](uint32_t a, uint32_t b) { return first[a] < first[b]; });
  map.stats.cluster_seconds = seconds_since(t);

  // Digest each story.
  t = Clock::now();
  std::vector<uint32_t> copy_of(n, kNoArticle);
  std::vector<const GroupMember*> copy_member(n, nullptr);
  for (const DuplicateGroup& g : map.groups) {
    for (const GroupMember& m : g.members) {
      copy_of[m.doc] = g.representative;
      copy_member[m.doc] = &m;
    }
  }
  map.stories.resize(stories.size());
  if (!for_each_chunked(stories.size(), hooks, "digest", [&](size_t k) {
        const std::vector<uint32_t>& members = stories[story_order[k]];
        std::vector<DigestInput> in(members.size());
        std::vector<std::vector<TextRange>> removed(members.size());
        for (size_t j = 0; j < members.size(); ++j) {
          const MapArticle& a = map.articles[members[j]];
          for (const Removal& r : a.removed) removed[j].push_back(r.range);
          DigestInput& d = in[j];
          d.article = members[j];
          d.id = a.doc.id;
          d.outlet = a.doc.outlet;
          d.title = a.doc.title;
          d.text = a.doc.text;
          d.published = a.doc.published;
          d.removed = removed[j];
          d.quotes = &a.quotes;
          if (const GroupMember* m = copy_member[members[j]]) {
            d.copy_of = copy_of[members[j]];
            d.copy_relation = m->relation;
            d.copy_similarity = m->relation == Relation::kContained ? m->in_rep
                                : m->relation == Relation::kContains ? m->rep_in
                                                                     : m->jaccard;
          }
        }
        map.stories[k] = digest_story(in, options.digest);
      })) {
    return stopped;
  }
  for (uint32_t s = 0; s < map.stories.size(); ++s) {
    for (uint32_t p = 0; p < map.stories[s].members.size(); ++p) {
      MapArticle& a = map.articles[map.stories[s].members[p].article];
      a.story = s;
      a.member = p;
    }
  }
  map.stats.digest_seconds = seconds_since(t);
  return map;
}

}  // namespace samestory
