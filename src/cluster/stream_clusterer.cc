#include "cluster/stream_clusterer.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <tuple>

#include "cluster/average_linkage.h"
#include "base/sorted_intersection.h"
#include "cluster/shared_neighbours.h"

namespace samestory {

namespace {
// Until this many articles have been seen, live articles keep their bags and are weighed again
// whenever the count doubles. The first article alone weighs nothing (every term is in every
// article seen), so without this it could never be found.
constexpr uint64_t kSettlingArticles = 4096;
bool power_of_two(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

// Articles in both of two sorted rows of article numbers (near_row_of()).
uint32_t shared_articles(const std::vector<uint64_t>& x, const std::vector<uint64_t>& y) {
  return static_cast<uint32_t>(count_common<uint64_t>(x, y));
}
}  // namespace

StreamClusterer::StreamClusterer(StreamOptions options) : options_(options) {}

void StreamClusterer::index(const Live& live) {
  for (const WeightedTerm& t : live.vector) {
    uint32_t& slot = list_of_term_[t.term];
    if (slot == 0) {
      lists_.emplace_back();
      slot = static_cast<uint32_t>(lists_.size());
    }
    lists_[slot - 1].entries.push_back({live.article, t.weight});
  }
}

void StreamClusterer::reweigh_live() {
  list_of_term_ = U32Map();
  lists_.clear();
  const bool keep_bags = df_.documents() < kSettlingArticles;
  for (Live& l : live_) {
    weigh_terms(l.bag, df_, options_.cluster.features.max_terms, &l.vector);
    if (!keep_bags) std::vector<TermCount>().swap(l.bag);
    index(l);
  }
}

StreamClusterer::Live* StreamClusterer::find_live(uint64_t article) {
  if (article < first_live_ || article - first_live_ >= live_.size()) return nullptr;
  return &live_[article - first_live_];
}

void StreamClusterer::remember_neighbour(Live& live, uint64_t other, float cos) {
  auto& near = live.nearest;
  const uint32_t k = options_.cluster.shared_neighbours;
  if (near.size() == k && cos <= near.back().second) return;
  auto at = std::find_if(near.begin(), near.end(), [&](const auto& e) { return cos > e.second; });
  near.insert(at, {other, cos});
  if (near.size() > k) near.pop_back();
}

bool StreamClusterer::settling() const { return df_.documents() < kSettlingArticles; }

void StreamClusterer::evict(int32_t newest_day) {
  if (newest_day == kUnknownDay) return;
  if (options_.revise && settling()) return;  // the first articles are judged again until the IDF settles
  while (!live_.empty()) {
    const Live& front = live_.front();
    if (front.day != kUnknownDay && static_cast<int64_t>(newest_day) - front.day <= options_.horizon_days) break;
    if (front.day == kUnknownDay && live_.size() < 2) break;
    if (!front.forgotten && --story_live_count_[front.story] == 0) close_story(front.story);
    live_.pop_front();
    ++first_live_;
  }
}

void StreamClusterer::close_story(uint64_t story) {
  closed_.push_back(story);
  std::vector<uint64_t>().swap(story_articles_[story]);
  auto it = story_links_.find(story);
  if (it == story_links_.end()) return;
  for (const auto& [other, sum] : it->second) story_links_[other].erase(story);
  story_links_.erase(it);
}

// Average linkage between live stories: while the story `story` and another have an average pair
// similarity (over their live articles) of at least the threshold, the two become one; the older
// story's number survives.
uint64_t StreamClusterer::merge_around(uint64_t story, std::vector<std::pair<uint64_t, uint64_t>>* merged) {
  for (;;) {
    auto it = story_links_.find(story);
    if (it == story_links_.end()) return story;
    double best = -1;
    uint64_t best_story = 0;
    for (const auto& [other, sum] : it->second) {
      const double average = sum / (static_cast<double>(story_live_count_[story]) * story_live_count_[other]);
      if (average > best || (average == best && other < best_story)) best = average, best_story = other;
    }
    if (best < options_.cluster.threshold) return story;
    const uint64_t keep = std::min(story, best_story), gone = std::max(story, best_story);
    for (uint64_t a : story_articles_[gone]) {
      if (Live* l = find_live(a)) {
        l->story = keep;
        story_articles_[keep].push_back(a);
      }
    }
    std::vector<uint64_t>().swap(story_articles_[gone]);
    std::erase_if(story_articles_[keep], [&](uint64_t a) { return a < first_live_; });
    story_live_count_[keep] += story_live_count_[gone];
    story_live_count_[gone] = 0;
    std::unordered_map<uint64_t, double> links = std::move(story_links_[gone]);
    story_links_.erase(gone);
    for (const auto& [other, sum] : links) {
      story_links_[other].erase(gone);
      if (other == keep) continue;
      story_links_[keep][other] += sum;
      story_links_[other][keep] += sum;
    }
    if (auto k = story_links_.find(keep); k != story_links_.end() && k->second.empty()) story_links_.erase(k);
    merged->push_back({gone, keep});
    story = keep;
  }
}

StreamAssignment StreamClusterer::add(std::span<const TermCount> bag, int32_t day) {
  return place(bag, day, nullptr, true);
}

StreamAssignment StreamClusterer::add_to(std::span<const TermCount> bag, int32_t day, uint64_t story, bool count) {
  return place(bag, day, &story, count);
}

StreamAssignment StreamClusterer::add_copy(std::span<const TermCount> bag, int32_t day, uint64_t story,
                                           uint64_t original, bool count) {
  return place(bag, day, &story, count, &original);
}

bool StreamClusterer::forget(uint64_t article) {
  Live* l = find_live(article);
  if (l == nullptr || l->forgotten) return false;
  l->forgotten = true;
  // An empty vector scores 0 against every query, so posting entries left behind never match.
  std::vector<WeightedTerm>().swap(l->vector);
  std::vector<TermCount>().swap(l->bag);
  l->nearest.clear();
  std::vector<std::pair<uint64_t, float>>().swap(l->pairs);
  if (--story_live_count_[l->story] == 0) close_story(l->story);
  return true;
}

void StreamClusterer::find_candidates(int32_t day, const uint64_t* copy_of) {
  const ClusterOptions& o = options_.cluster;
  auto outside_window = [&](const Live& l) {
    return o.window_days > 0 && day != kUnknownDay && l.day != kUnknownDay &&
           std::abs(static_cast<int64_t>(day) - l.day) > o.window_days;
  };
  if (const Live* original = copy_of != nullptr ? find_live(*copy_of) : nullptr;
      original != nullptr && !original->forgotten) {
    touched_.clear();
    touched_.push_back(static_cast<uint32_t>(original->article - first_live_));
    for (const auto& [other, cos] : original->nearest) {
      const Live* l = find_live(other);
      if (l != nullptr && !l->forgotten && !outside_window(*l)) {
        touched_.push_back(static_cast<uint32_t>(other - first_live_));
      }
    }
    return;
  }
  // Partial scores over the heaviest terms, then exact cosines of the best candidates.
  std::vector<float>& partial = partial_;
  if (partial.size() < live_.size()) partial.resize(live_.size() * 2, 0.0f);
  std::vector<uint32_t>& touched = touched_;
  touched.clear();
  for (const WeightedTerm& q : query_) {
    const uint32_t slot = list_of_term_.get(q.term);
    if (slot == 0) continue;
    PostingList& list = lists_[slot - 1];
    while (list.head < list.entries.size() && list.entries[list.head].article < first_live_) ++list.head;
    if (list.head > 64 && list.head * 2 > list.entries.size()) {
      list.entries.erase(list.entries.begin(), list.entries.begin() + static_cast<ptrdiff_t>(list.head));
      list.head = 0;
    }
    if (list.entries.size() - list.head > o.max_posting) continue;
    for (size_t p = list.head; p < list.entries.size(); ++p) {
      const auto slot_index = static_cast<uint32_t>(list.entries[p].article - first_live_);
      if (outside_window(live_[slot_index])) continue;
      if (partial[slot_index] == 0.0f) touched.push_back(slot_index);
      partial[slot_index] += q.weight * list.entries[p].weight;
    }
  }
  if (touched.size() > o.candidates) {
    std::partial_sort(touched.begin(), touched.begin() + o.candidates, touched.end(), [&](uint32_t a, uint32_t b) {
      return partial[a] != partial[b] ? partial[a] > partial[b] : a < b;
    });
  }
  for (uint32_t s : touched) partial[s] = 0.0f;
  if (touched.size() > o.candidates) touched.resize(o.candidates);
}

StreamAssignment StreamClusterer::place(std::span<const TermCount> bag, int32_t day, const uint64_t* forced_story,
                                        bool count, const uint64_t* copy_of) {
  const ClusterOptions& o = options_.cluster;
  if (day != kUnknownDay && (newest_day_ == kUnknownDay || day > newest_day_)) newest_day_ = day;
  evict(newest_day_);

  if (count) df_.add(bag);
  weigh_terms(bag, df_, o.features.max_terms, &vector_);
  query_.assign(vector_.begin(), vector_.end());
  keep_heaviest(&query_, o.query_terms);

  find_candidates(day, copy_of);
  scores_.clear();
  const std::vector<uint32_t>& touched = touched_;
  if (!touched.empty()) vector_table_.assign(vector_);
  for (uint32_t s : touched) {
    const float cos = vector_table_.cosine_with(live_[s].vector);
    if (cos >= o.min_cosine) scores_.push_back({first_live_ + s, cos});
  }
  std::sort(scores_.begin(), scores_.end(),
            [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });

  // Shared nearest neighbours, as the batch clusterer counts them.
  const uint64_t me = next_article_++;
  const uint32_t k = o.shared_neighbours;
  std::vector<uint64_t> my_near{me};
  for (size_t i = 0; i < scores_.size() && i < k; ++i) my_near.push_back(scores_[i].first);
  std::sort(my_near.begin(), my_near.end());
  for (const auto& [other, cos] : scores_) remember_neighbour(*find_live(other), me, cos);

  StreamAssignment result;
  std::vector<std::pair<uint64_t, double>> story_sums;
  for (const auto& [other, cos] : scores_) {
    const Live& l = *find_live(other);
    const uint32_t shared = shared_articles(my_near, near_row_of(l));
    const float s = pair_similarity(cos, shared, k, o.strong_cosine);
    story_sums.push_back({l.story, s});
    result.links.push_back({other, s});
  }
  std::sort(story_sums.begin(), story_sums.end());
  double best = -1;
  uint64_t best_story = 0;
  for (size_t i = 0; i < story_sums.size();) {
    size_t j = i;
    double sum = 0;
    while (j < story_sums.size() && story_sums[j].first == story_sums[i].first) sum += story_sums[j++].second;
    const double average = sum / story_live_count_[story_sums[i].first];
    if (average > best) best = average, best_story = story_sums[i].first;
    i = j;
  }
  if (forced_story != nullptr && *forced_story < next_story_) {
    result.story = *forced_story;
  } else if (forced_story == nullptr && best >= o.threshold) {
    result.story = best_story;
  } else {
    result.story = next_story_++;
    result.new_story = true;
    story_live_count_.push_back(0);
    story_articles_.emplace_back();
  }
  ++story_live_count_[result.story];
  story_articles_[result.story].push_back(me);

  Live live{me, day, result.story, vector_, {}, {}, false, {}};
  for (size_t i = 0; i < scores_.size() && i < k; ++i) live.nearest.push_back(scores_[i]);
  if (df_.documents() < kSettlingArticles) live.bag.assign(bag.begin(), bag.end());
  if (options_.revise) {
    live.pairs.assign(scores_.begin(), scores_.end());
    for (const auto& [other, cos] : scores_) find_live(other)->pairs.push_back({me, cos});
  }
  index(live);
  live_.push_back(std::move(live));
  bool weighed_again = false;
  if (count && df_.documents() <= kSettlingArticles && power_of_two(df_.documents())) {
    reweigh_live();
    if (options_.revise) find_all_pairs();
    weighed_again = true;
  }

  // The new article's pairs with other stories count towards merging its story with them.
  for (const auto& [other, similarity] : result.links) {
    const uint64_t their = find_live(other)->story;
    if (their == result.story) continue;
    story_links_[result.story][their] += static_cast<double>(similarity);
    story_links_[their][result.story] += static_cast<double>(similarity);
  }
  if (forced_story == nullptr) result.story = merge_around(result.story, &result.merged);
  if (options_.revise && forced_story == nullptr) {
    std::vector<uint64_t> stories;
    if (weighed_again) {
      // Every pair was found again: every live story is clustered again.
      for (uint64_t st = 0; st < story_live_count_.size(); ++st) {
        if (story_live_count_[st] > 0) stories.push_back(st);
      }
    } else {
      stories.push_back(result.story);
      for (const auto& [other, cos] : find_live(me)->pairs) stories.push_back(find_live(other)->story);
    }
    recluster(std::move(stories), weighed_again, &result.moved);
    result.story = find_live(me)->story;
  }
  return result;
}

std::vector<uint64_t> StreamClusterer::near_row_of(const Live& live) const {
  std::vector<uint64_t> row{live.article};
  for (size_t i = 0; i < live.nearest.size() && i < options_.cluster.shared_neighbours; ++i) {
    row.push_back(live.nearest[i].first);
  }
  std::sort(row.begin(), row.end());
  return row;
}

void StreamClusterer::find_all_pairs() {
  const ClusterOptions& o = options_.cluster;
  for (Live& l : live_) {
    l.pairs.clear();
    l.nearest.clear();
  }
  // Each live article searches the others as a new one would (later ones included), and each pair
  // found from either side is kept once.
  std::vector<std::pair<uint64_t, uint64_t>> found;
  for (size_t i = 0; i < live_.size(); ++i) {
    const Live& a = live_[i];
    if (a.forgotten) continue;
    query_.assign(a.vector.begin(), a.vector.end());
    keep_heaviest(&query_, o.query_terms);
    find_candidates(a.day, nullptr);
    for (uint32_t slot : touched_) {
      const Live& b = live_[slot];
      if (slot == i || b.forgotten) continue;
      found.push_back(std::minmax(a.article, b.article));
    }
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  for (const auto& [x, y] : found) {
    Live& a = *find_live(x);
    Live& b = *find_live(y);
    const float cos = cosine(a.vector, b.vector);
    if (cos < o.min_cosine) continue;
    a.pairs.push_back({y, cos});
    b.pairs.push_back({x, cos});
    remember_neighbour(a, y, cos);
    remember_neighbour(b, x, cos);
  }
}

// Average linkage over the live members of `stories` (as the batch links a corpus), then each
// resulting cluster keeps the number of the story it shares most members with (larger overlaps
// first, then older stories), or gets a new one. Story links to and from these stories are summed
// again from their members' pairs.
void StreamClusterer::recluster(std::vector<uint64_t> stories, bool unlimited,
                                std::vector<std::pair<uint64_t, uint64_t>>* moved) {
  const ClusterOptions& o = options_.cluster;
  std::sort(stories.begin(), stories.end());
  stories.erase(std::unique(stories.begin(), stories.end()), stories.end());
  std::vector<uint64_t> members;
  for (uint64_t st : stories) {
    for (uint64_t a : story_articles_[st]) {
      const Live* l = find_live(a);
      if (l != nullptr && !l->forgotten && l->story == st) members.push_back(a);
    }
  }
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());
  if (members.size() < 2 || (!unlimited && members.size() > options_.revise_limit)) return;
  auto local = [&](uint64_t article) -> int64_t {
    const auto it = std::lower_bound(members.begin(), members.end(), article);
    return it != members.end() && *it == article ? it - members.begin() : -1;
  };
  const uint32_t k = o.shared_neighbours;
  std::vector<std::vector<uint64_t>> rows(members.size());
  for (size_t i = 0; i < members.size(); ++i) rows[i] = near_row_of(*find_live(members[i]));
  std::vector<SimilarityEdge> edges;
  for (size_t i = 0; i < members.size(); ++i) {
    for (const auto& [other, cos] : find_live(members[i])->pairs) {
      const int64_t j = local(other);
      if (j <= static_cast<int64_t>(i)) continue;  // each pair once (both ends hold it), members only
      const auto ju = static_cast<size_t>(j);
      edges.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(ju),
                       pair_similarity(cos, shared_articles(rows[i], rows[ju]), k, o.strong_cosine)});
    }
  }
  const std::vector<uint32_t> label = average_linkage(static_cast<uint32_t>(members.size()), edges, o.threshold);

  // Clusters to story numbers, by overlap.
  std::map<std::pair<uint32_t, uint64_t>, uint32_t> overlap;  // (cluster, story) -> members
  uint32_t clusters = 0;
  for (size_t i = 0; i < members.size(); ++i) {
    ++overlap[{label[i], find_live(members[i])->story}];
    clusters = std::max(clusters, label[i] + 1);
  }
  std::vector<std::tuple<uint32_t, uint64_t, uint32_t>> order;  // (-overlap, story, cluster)
  for (const auto& [key, n] : overlap) order.emplace_back(UINT32_MAX - n, key.second, key.first);
  std::sort(order.begin(), order.end());
  std::vector<uint64_t> story_of_cluster(clusters, UINT64_MAX);
  std::vector<uint64_t> taken;
  for (const auto& [inverse, st, cluster] : order) {
    if (story_of_cluster[cluster] != UINT64_MAX || std::find(taken.begin(), taken.end(), st) != taken.end()) continue;
    story_of_cluster[cluster] = st;
    taken.push_back(st);
  }
  for (uint64_t& st : story_of_cluster) {
    if (st != UINT64_MAX) continue;
    st = next_story_++;
    story_live_count_.push_back(0);
    story_articles_.emplace_back();
    stories.push_back(st);
  }

  // Take the links of these stories out; they are summed again below.
  for (uint64_t st : stories) {
    auto it = story_links_.find(st);
    if (it == story_links_.end()) continue;
    for (const auto& [other, sum] : it->second) {
      auto back = story_links_.find(other);
      if (other == st || back == story_links_.end()) continue;
      back->second.erase(st);
      if (back->second.empty()) story_links_.erase(back);
    }
    story_links_.erase(st);
  }
  for (uint64_t st : stories) {
    story_articles_[st].clear();
    story_live_count_[st] = 0;
  }
  for (size_t i = 0; i < members.size(); ++i) {
    Live& l = *find_live(members[i]);
    const uint64_t now = story_of_cluster[label[i]];
    if (now != l.story) moved->push_back({l.article, now});
    l.story = now;
    story_articles_[now].push_back(l.article);
    ++story_live_count_[now];
  }
  for (size_t i = 0; i < members.size(); ++i) {
    const Live& a = *find_live(members[i]);
    for (const auto& [other, cos] : a.pairs) {
      const Live* b = find_live(other);
      if (b == nullptr || b->forgotten || b->story == a.story) continue;
      const int64_t j = local(other);
      const auto similarity = static_cast<double>(pair_similarity(
          cos, shared_articles(rows[i], j >= 0 ? rows[static_cast<size_t>(j)] : near_row_of(*b)), k, o.strong_cosine));
      story_links_[a.story][b->story] += similarity;
      if (j < 0) story_links_[b->story][a.story] += similarity;  // a member adds the other way itself
    }
  }
  // A story left without live members is over: it closes (its evicted articles, if any, are
  // still the caller's to write).
  for (uint64_t st : stories) {
    if (story_live_count_[st] == 0) close_story(st);
  }
}

std::vector<uint64_t> StreamClusterer::take_closed() {
  std::vector<uint64_t> out;
  out.swap(closed_);
  return out;
}

void StreamClusterer::close_all() {
  evict(newest_day_ == kUnknownDay ? kUnknownDay : newest_day_ + options_.horizon_days + 1);
  while (!live_.empty()) {
    if (!live_.front().forgotten && --story_live_count_[live_.front().story] == 0) close_story(live_.front().story);
    live_.pop_front();
    ++first_live_;
  }
}

size_t StreamClusterer::memory_bytes() const {
  size_t bytes = df_.memory_bytes() + list_of_term_.memory_bytes() + story_live_count_.capacity() * 4;
  for (const Live& l : live_) bytes += sizeof(Live) + l.vector.capacity() * sizeof(WeightedTerm) + l.nearest.capacity() * 16 +
             l.bag.capacity() * sizeof(TermCount) + l.pairs.capacity() * 16;
  for (const PostingList& p : lists_) bytes += sizeof(PostingList) + p.entries.capacity() * sizeof(Posting);
  return bytes;
}

}  // namespace samestory
