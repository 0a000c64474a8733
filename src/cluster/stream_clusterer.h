// StreamClusterer: assigns each arriving article to a live story, or starts one, in bounded time.
//
// Articles should arrive in date order. Each is scored the way the batch clusterer scores a pair
// (term_vector.h vectors, the same query terms and candidate count but no posting budget,
// shared_neighbours.h), against the articles of the last `horizon_days` only, and joins the story
// whose live members it matches best on average, if that average reaches the threshold;
// otherwise it starts a story. Its pairs with other stories then count towards merging them with
// its story by the same average-linkage rule as the batch.
//
// With `revise` (the default), the stories around each article are then clustered again as the
// batch would cluster them: the live members of its story and of the stories it has pairs with,
// by average linkage over their pairs, each pair's similarity tempered by the neighbours the two
// have now (an article's nearest neighbours keep changing as later articles arrive). So a story
// split early is joined, and one joined early is split, as evidence arrives; the articles that
// change story come back in StreamAssignment::moved.
//
// IDF comes from all the articles seen so far (plus a background, if set). While it is still
// settling, the live articles are weighed again each time the number of articles seen doubles, up
// to 4,096; after that the IDF moves too little to matter. With `revise`, each of those times
// every live article's pairs are found again with the new weights and all live stories are
// clustered again, and nothing leaves the active set before the IDF has settled: the first
// articles were judged on terms that every article seen so far shared, and a story that closed
// then would keep that judgement (on Giveme5W1H, 247 articles over five years, that was most of
// the gap to the batch).
//
// A story leaves the active set when its newest article is older than the horizon (measured from
// the newest date seen); its articles leave the index with it. Work per article is bounded by the
// live articles sharing its heaviest terms: at most query_terms posting lists of at most
// max_posting entries, then `candidates` exact cosines, then (revise) average linkage over at most
// `revise_limit` articles; the settling passes are the exception, a few times in a stream's first
// 4,096 articles.
//
// Guarantees: the assignment depends only on the articles and their order; memory is bounded by
// the live articles (about 2 KB each with their pairs) and, while the IDF settles, the first 4,096.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cluster/story_clusterer.h"

namespace samestory {

struct StreamOptions {
  ClusterOptions cluster;
  // How long a story stays live after its newest article. Stories in Giveme5W1H keep getting
  // articles for weeks; 30 days bounds memory to a month of news.
  int32_t horizon_days = 30;
  // Cluster the stories around each article again (see above). Off, an article's story changes
  // only when its story is merged into another.
  bool revise = true;
  // Stories around an article with more live members than this are left to the merge rule alone.
  // The linkage's cost grows with them: on the UCI headlines (stories of ~70 loosely similar
  // titles) the p99 time to place an article was 0.15 ms at 32, 0.9 ms at 64 and 4.2 ms at 256.
  uint32_t revise_limit = 32;
};

struct StreamAssignment {
  uint64_t story = 0;  // numbered from 0 in order of creation
  bool new_story = false;
  // Stories merged into another because this article bridged them: (absorbed, into), in order.
  // `story` is the story the article is in after the merges.
  std::vector<std::pair<uint64_t, uint64_t>> merged;
  // The live articles this one is similar to, with the pair similarity: for centrality.
  std::vector<std::pair<uint64_t, float>> links;
  // Articles whose story changed when the stories around this one were clustered again (revise):
  // (article, the story it is in now), this article possibly among them. To be applied after
  // `merged`; a story that loses all its articles this way is gone, and is never closed.
  std::vector<std::pair<uint64_t, uint64_t>> moved;
};

class StreamClusterer {
 public:
  explicit StreamClusterer(StreamOptions options = {});

  // Adds the next article (numbered from 0 in order of arrival).
  StreamAssignment add(std::span<const TermCount> bag, int32_t day);

  // Adds the next article as add() does, scoring and remembering its pairs, but into the given
  // story (a number below stories_started(), or stories_started() itself to start one) and
  // without merging. For an article whose story is known already: a copy that belongs with its
  // original, or a live article replayed after a restart (samestory serve), in its original
  // order and story. `count` false leaves the document frequencies alone (they hold it already).
  StreamAssignment add_to(std::span<const TermCount> bag, int32_t day, uint64_t story, bool count = true);
  // As add_to(), for a near copy of the live article `original`: its candidates are the original
  // and the original's nearest neighbours instead of a search of the posting lists. A copy's
  // neighbours are its original's, and with a story re-run by many outlets the search (every
  // copy sits in the same long posting lists) is the costliest part of placing an article.
  // Searches as add_to() does when the original is no longer live.
  StreamAssignment add_copy(std::span<const TermCount> bag, int32_t day, uint64_t story, uint64_t original,
                            bool count = true);
  uint64_t stories_started() const { return next_story_; }
  // The story a live article is in now (after merges), or UINT64_MAX if it is not live.
  uint64_t story_of(uint64_t article) const {
    if (article < first_live_ || article - first_live_ >= live_.size()) return UINT64_MAX;
    const Live& l = live_[article - first_live_];
    return l.forgotten ? UINT64_MAX : l.story;
  }
  uint64_t articles_added() const { return next_article_; }
  // Counts a bag in the document frequencies only: an article that is no longer live, replayed
  // after a restart so that weights come out as before.
  void count_only(std::span<const TermCount> bag) { df_.add(bag); }
  // Takes a live article out of the index (deleted by its owner): it is no longer found, no
  // longer counts in its story's average, and its story closes if it was the last. Its terms stay
  // in the document frequencies. False if the article is not live.
  bool forget(uint64_t article);

  // Stories that left the active set since the last call, in the order they left. After the last
  // article, close_all() ends every story.
  std::vector<uint64_t> take_closed();
  void close_all();

  // Starts the document frequencies from a background corpus (see DocumentFrequencies::load), so
  // the first articles are weighed as well as the later ones.
  void set_background(DocumentFrequencies df) { df_ = std::move(df); }
  const DocumentFrequencies& frequencies() const { return df_; }

  size_t live_articles() const { return live_.size(); }
  size_t memory_bytes() const;

 private:
  struct Live {
    uint64_t article;
    int32_t day;
    uint64_t story;
    std::vector<WeightedTerm> vector;
    std::vector<std::pair<uint64_t, float>> nearest;  // up to k, best first
    std::vector<TermCount> bag;  // kept while the IDF is still settling (kSettlingArticles)
    bool forgotten = false;      // taken out by forget()
    // Every live article it was scored against with a cosine of at least min_cosine, earlier and
    // later ones (revise only): the pairs its story is clustered again from.
    std::vector<std::pair<uint64_t, float>> pairs;
  };
  struct Posting {
    uint64_t article;
    float weight;
  };
  struct PostingList {
    std::vector<Posting> entries;
    size_t head = 0;  // entries before it belong to evicted articles
  };
  Live* find_live(uint64_t article);
  void evict(int32_t newest_day);
  void remember_neighbour(Live& live, uint64_t other, float cos);
  void close_story(uint64_t story);
  void index(const Live& live);
  void reweigh_live();
  // Revise: every live article's pairs found again (after the weights changed).
  void find_all_pairs();
  // Revise: the live members of `stories` clustered again; moves are appended to `moved`.
  void recluster(std::vector<uint64_t> stories, bool unlimited, std::vector<std::pair<uint64_t, uint64_t>>* moved);
  std::vector<uint64_t> near_row_of(const Live& live) const;
  bool settling() const;
  uint64_t merge_around(uint64_t story, std::vector<std::pair<uint64_t, uint64_t>>* merged);
  StreamAssignment place(std::span<const TermCount> bag, int32_t day, const uint64_t* forced_story, bool count,
                         const uint64_t* copy_of = nullptr);
  // Fills touched_ with the live slots worth an exact cosine: from the posting lists of the
  // query's heaviest terms, or (copy_of) the original and its nearest neighbours.
  void find_candidates(int32_t day, const uint64_t* copy_of);

  StreamOptions options_;
  DocumentFrequencies df_;
  std::deque<Live> live_;
  uint64_t first_live_ = 0;  // article number of live_.front()
  uint64_t next_article_ = 0;
  uint64_t next_story_ = 0;
  int32_t newest_day_ = kUnknownDay;
  U32Map list_of_term_;  // term -> 1 + index into lists_
  std::vector<PostingList> lists_;
  std::vector<uint32_t> story_live_count_;  // per story: live articles
  std::vector<std::vector<uint64_t>> story_articles_;  // per live story: its articles (some evicted)
  // Per live story: the summed pair similarities to each other live story it has pairs with.
  std::unordered_map<uint64_t, std::unordered_map<uint64_t, double>> story_links_;
  std::vector<uint64_t> closed_;
  // scratch
  std::vector<WeightedTerm> vector_;
  std::vector<WeightedTerm> query_;
  QueryVector vector_table_;  // vector_, for its cosines with the candidates
  std::vector<std::pair<uint64_t, float>> scores_;
  std::vector<float> partial_;  // per live article, all zero between calls
  std::vector<uint32_t> touched_;
};

}  // namespace samestory
