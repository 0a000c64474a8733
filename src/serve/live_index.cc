#include "serve/live_index.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <tuple>
#include <unordered_set>

#include "base/byte_codec.h"
#include "base/parallel_region.h"
#include "dedup/similarity.h"
#include "sketch/minhash.h"
#include "sketch/shingle.h"
#include "text/offsets.h"

namespace samestory {

namespace {

constexpr uint64_t kNoNumber = UINT64_MAX;
constexpr const char* kFrequenciesKey = "frequencies";

double seconds_since_epoch() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::optional<int32_t> day_of(const Document& doc) {
  if (!doc.published.known()) return std::nullopt;
  return static_cast<int32_t>(doc.published.unix_day());
}

// Each band's bucket key, distinct across bands.
uint64_t bucket_key(const uint32_t* sig, int band, int rows) {
  return band_key(sig, band, rows) ^ (0x9E3779B97F4A7C15ull * static_cast<uint64_t>(band + 1));
}

std::string_view signature_bytes(const std::vector<uint32_t>& sig) {
  return {reinterpret_cast<const char*>(sig.data()), sig.size() * sizeof(uint32_t)};
}

// Splits the serial part of ingest into stages for /metrics: each call adds the time since the
// previous one to a stage's total.
class StageClock {
 public:
  void charge(double* total) {
    const auto now = std::chrono::steady_clock::now();
    *total += std::chrono::duration<double>(now - last_).count();
    last_ = now;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace

LiveIndex::LiveIndex(std::string path, LiveIndexOptions options)
    : path_(std::move(path)),
      options_(std::move(options)),
      cleaner_(std::make_unique<Cleaner>(options_.pipeline.rules, options_.pipeline.model, options_.pipeline.cleaner)),
      sketcher_(std::make_unique<Deduplicator>(options_.pipeline.dedup)),
      // Not revised: the store records each article's story once, and follows stories only through
      // merges (stories.merged_into); moving single articles between stored stories is not built.
      clusterer_(StreamOptions{options_.pipeline.cluster, options_.horizon_days, /*revise=*/false}) {}

LiveIndex::~LiveIndex() = default;

Result<std::unique_ptr<LiveIndex>> LiveIndex::open(const std::string& path, LiveIndexOptions options,
                                                   const std::function<void(double)>& progress) {
  std::unique_ptr<LiveIndex> index(new LiveIndex(path, std::move(options)));
  auto db = IndexDatabase::open_writer(path, index->options_.durable_fsync);
  if (!db) return db.status();
  index->db_ = std::move(db).value();
  if (Status s = index->restore(progress); !s) return s;
  auto checkpointer = IndexDatabase::Checkpointer::start(path);
  if (!checkpointer) return checkpointer.status();
  index->checkpointer_ = std::move(checkpointer).value();
  return index;
}

PreparedInput LiveIndex::prepare(Document doc) const {
  PreparedInput in;
  in.article.doc = std::move(doc);
  prepare_article(*cleaner_, *sketcher_, options_.pipeline, &in.article, &in.prepared);
  if (in.prepared.sketch.shingles > 0) in.shingle_set = shingles_of(in.article.doc.title, in.prepared.cleaned);
  return in;
}

// ---- the dedup part: exact sequences and LSH buckets over the live articles ----

void LiveIndex::add_sketch(int64_t seq, std::optional<int32_t> day, uint64_t sequence, uint32_t shingles,
                           std::vector<uint32_t> signature) {
  if (shingles == 0 || static_cast<int>(signature.size()) != options_.pipeline.dedup.num_hashes) return;
  exact_.try_emplace(sequence, seq);
  const int rows = options_.pipeline.dedup.rows;
  for (int b = 0; b * rows < static_cast<int>(signature.size()); ++b) {
    buckets_[bucket_key(signature.data(), b, rows)].push_back(seq);
  }
  sketch_slot_[seq] = sketch_base_ + sketches_.size();
  sketches_.push_back({seq, day, sequence, shingles, std::move(signature)});
}

void LiveIndex::drop_sketch(int64_t seq) {
  auto slot = sketch_slot_.find(seq);
  if (slot == sketch_slot_.end()) return;
  LiveSketch& s = sketches_[slot->second - sketch_base_];
  const int rows = options_.pipeline.dedup.rows;
  for (int b = 0; b * rows < static_cast<int>(s.signature.size()); ++b) {
    auto bucket = buckets_.find(bucket_key(s.signature.data(), b, rows));
    if (bucket == buckets_.end()) continue;
    std::erase(bucket->second, seq);
    if (bucket->second.empty()) buckets_.erase(bucket);
  }
  if (auto e = exact_.find(s.sequence); e != exact_.end() && e->second == seq) exact_.erase(e);
  s.signature.clear();
  s.shingles = 0;
  sketch_slot_.erase(slot);
}

void LiveIndex::evict_sketches() {
  while (!sketches_.empty()) {
    const LiveSketch& front = sketches_.front();
    if (front.day) {
      if (!newest_day_ || static_cast<int64_t>(*newest_day_) - *front.day <= options_.horizon_days) break;
    } else if (sketches_.size() < 2) {
      break;
    }
    drop_sketch(front.seq);
    sketches_.pop_front();
    ++sketch_base_;
  }
}

// The exact shingle set dedup verifies with: of the cleaned text, or the title of a headline.
std::vector<uint32_t> LiveIndex::shingles_of(std::string_view title, std::string_view cleaned) const {
  thread_local std::vector<Token> tokens;
  tokens.clear();
  tokenize(cleaned.empty() ? title : cleaned, &tokens);
  std::vector<uint32_t> set;
  shingle_set(tokens, options_.pipeline.dedup.shingle_size, &set);
  return set;
}

Result<std::vector<uint32_t>> LiveIndex::shingles_of_stored(int64_t seq) {
  std::string text, title, outlet;
  auto found = db_.article_text(seq, &text, &title, &outlet, nullptr);
  if (!found) return found.status();
  CleanedText cleaned;
  cleaner_->clean(text, outlet, &cleaned);
  return shingles_of(title, cleaned.text);
}

Result<LiveIndex::CopyFound> LiveIndex::find_copy(const PreparedInput& in) {
  const Sketch& sk = in.prepared.sketch;
  const DedupOptions& o = options_.pipeline.dedup;
  CopyFound best;
  if (sk.shingles == 0 || static_cast<int>(sk.signature.size()) != o.num_hashes) return best;
  if (auto e = exact_.find(sk.sequence); e != exact_.end()) {
    best.seq = e->second;
    best.relation = "exact";
    best.jaccard = best.in_other = best.other_in = 1.0;
    return best;
  }
  std::vector<int64_t> candidates;
  for (int b = 0; b * o.rows < o.num_hashes; ++b) {
    auto bucket = buckets_.find(bucket_key(sk.signature.data(), b, o.rows));
    if (bucket != buckets_.end()) candidates.insert(candidates.end(), bucket->second.begin(), bucket->second.end());
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  // The copy is, of the few candidates strongest by estimate, the one that verifies with the highest
  // exact similarity (the earliest among equals). Only a few are tried, as verifying a stored
  // article means reading, cleaning and shingling it again; and all of those few, as a 64-bin
  // estimate cannot tell a wire story from an outlet's re-run of it that the new article also
  // contains.
  struct Estimate {
    double strength;
    int64_t seq;
  };
  std::vector<Estimate> ranked;
  for (int64_t c : candidates) {
    const LiveSketch& other = sketches_[sketch_slot_.at(c) - sketch_base_];
    const uint32_t* theirs = other.signature.data();
    if (!promising_pair(sk.signature.data(), theirs, o.num_hashes, sk.shingles, other.shingles, o)) continue;
    const double j = estimate_jaccard(sk.signature.data(), theirs, o.num_hashes);
    ranked.push_back({std::max({j, containment_from_jaccard(j, sk.shingles, other.shingles),
                                containment_from_jaccard(j, other.shingles, sk.shingles)}),
                      c});
  }
  const size_t checks = std::min(ranked.size(), options_.copy_checks);
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<ptrdiff_t>(checks), ranked.end(),
                    [](const Estimate& x, const Estimate& y) {
                      return x.strength != y.strength ? x.strength > y.strength : x.seq < y.seq;
                    });
  const std::vector<uint32_t>& mine = in.shingle_set;
  for (size_t k = 0; k < checks; ++k) {
    const int64_t c = ranked[k].seq;
    SetSimilarity s;
    if (auto cached = recent_sets_.find(c); cached != recent_sets_.end()) {
      s = set_similarity(mine, cached->second);
    } else {
      auto theirs = shingles_of_stored(c);
      if (!theirs) return theirs.status();
      s = set_similarity(mine, *theirs);
      // An original re-run by many outlets is verified against again and again.
      remember_shingles(c, std::move(theirs).value());
    }
    std::string relation;
    if (s.jaccard >= o.jaccard) {
      relation = "near";
    } else if (s.a_in_b >= o.containment) {
      relation = "contained";
    } else if (s.b_in_a >= o.containment) {
      relation = "contains";
    } else {
      continue;
    }
    const double strength = std::max({s.jaccard, s.a_in_b, s.b_in_a});
    const double best_strength = std::max({best.jaccard, best.in_other, best.other_in});
    if (best.seq == 0 || strength > best_strength || (strength == best_strength && c < best.seq)) {
      best = {c, relation, s.jaccard, s.a_in_b, s.b_in_a};
    }
  }
  return best;
}

// ---- ingest ----

uint64_t LiveIndex::number_of(int64_t seq) const {
  const auto it = std::lower_bound(seq_of_number_.begin(), seq_of_number_.end(), seq);
  if (it == seq_of_number_.end() || *it != seq) return UINT64_MAX;
  return static_cast<uint64_t>(it - seq_of_number_.begin());
}

uint64_t LiveIndex::story_for_copy(int64_t original, std::optional<int32_t> day) const {
  const uint64_t story = clusterer_.story_of(number_of(original));
  const int32_t window = options_.pipeline.cluster.window_days;
  if (story == kNoNumber || window <= 0 || !day) return story;
  // A re-run of an old article is a new story, not a late member of the old one.
  if (auto slot = sketch_slot_.find(original); slot != sketch_slot_.end()) {
    const LiveSketch& o = sketches_[slot->second - sketch_base_];
    if (o.day && std::abs(*day - *o.day) > window) return kNoNumber;
  }
  return story;
}

uint64_t LiveIndex::story_number(int64_t db_story) {
  auto it = number_of_story_.find(db_story);
  return it == number_of_story_.end() ? kNoNumber : it->second;
}

namespace {
// Bytes of [begin, end) inside the removed (boilerplate) spans, which are sorted and disjoint.
uint32_t removed_overlap(const std::vector<Removal>& removed, uint32_t begin, uint32_t end) {
  uint32_t covered = 0;
  for (const Removal& r : removed) {
    if (r.range.end <= begin) continue;
    if (r.range.begin >= end) break;
    covered += std::min(end, r.range.end) - std::max(begin, r.range.begin);
  }
  return covered;
}

// The shared passages of a new article and a stored one.
IngestedMatch align_pair(int64_t seq, const std::string& text, const std::vector<Removal>& removed, int64_t other,
                         const std::string& other_text, const AlignOptions& options) {
  IngestedMatch m;
  const AlignText a = AlignText::of(text), b = AlignText::of(other_text);
  const Alignment alignment = align_texts(a, b, options);
  const CodePointIndex ca(text), cb(other_text);
  uint32_t a_words = 0, b_words = 0;
  for (const SharedPassage& p : alignment.passages) {
    // A passage that is mostly this article's boilerplate is the outlet's furniture (both sides
    // carry the same newsletter line), not shared reporting.
    if (2 * removed_overlap(removed, p.a.begin, p.a.end) > p.a.end - p.a.begin) continue;
    a_words += p.a_words;
    b_words += p.b_words;
    m.passages.push_back({seq, other, ca.at(p.a.begin), ca.at(p.a.end), cb.at(p.b.begin), cb.at(p.b.end),
                          p.matched_words, p.score});
  }
  m.shared = alignment.a_words ? static_cast<double>(a_words) / alignment.a_words : 0.0;
  m.other_shared = alignment.b_words ? static_cast<double>(b_words) / alignment.b_words : 0.0;
  return m;
}

}  // namespace

Result<IngestOutcome> LiveIndex::ingest_one(PreparedInput& in, size_t input, int64_t seq, double now,
                                            std::vector<PendingMatch>* pending) {
  const Document& doc = in.article.doc;
  IngestOutcome out;
  out.id = doc.id;
  const std::optional<int32_t> day = day_of(doc);
  if (day && (!newest_day_ || *day > *newest_day_)) newest_day_ = day;

  StageClock clock;
  auto copy = find_copy(in);
  if (!copy) return copy.status();
  clock.charge(&stats_.copies_seconds);

  // The story: a copy joins its original's story while that one is live.
  const uint64_t copy_story = copy->seq != 0 ? story_for_copy(copy->seq, day) : kNoNumber;
  const int32_t cluster_day = day ? *day : kUnknownDay;
  const StreamAssignment assigned = copy_story != kNoNumber
                                        ? clusterer_.add_copy(in.prepared.bag, cluster_day, copy_story,
                                                              number_of(copy->seq))
                                        : clusterer_.add(in.prepared.bag, cluster_day);
  const uint64_t number = clusterer_.articles_added() - 1;
  seq_of_number_.push_back(seq);
  if (assigned.story >= story_of_number_.size()) {
    story_of_number_.push_back(++max_story_);
    number_of_story_[max_story_] = assigned.story;
    out.new_story = true;
  }
  const int64_t story = story_of_number_[assigned.story];
  out.story = story;
  clock.charge(&stats_.stories_seconds);

  ArticleRow row;
  row.seq = seq;
  row.id = doc.id;
  row.outlet = doc.outlet;
  row.url = doc.url;
  row.title = doc.title;
  row.published = doc.published.iso();
  row.published_key = publication_key(doc.published);
  row.day = day;
  row.text = doc.text;
  row.story = story;
  row.sequence = in.prepared.sketch.sequence;
  row.shingles = in.prepared.sketch.shingles;
  row.signature = std::string(signature_bytes(in.prepared.sketch.signature));
  for (const Removal& r : in.article.removed) row.removed_bytes += r.range.end - r.range.begin;
  row.quotes = static_cast<uint32_t>(in.article.quotes.quotes.size());
  row.byline = in.article.byline;
  row.received = now;
  if (copy->seq != 0) {
    row.duplicate_of = copy->seq;
    row.relation = copy->relation;
    row.jaccard = copy->jaccard;
    row.containment = copy->relation == "contains" ? copy->other_in : copy->in_other;
    out.duplicate_relation = copy->relation;
    out.jaccard = row.jaccard;
    out.containment = row.containment;
    ++stats_.duplicates;
  }
  if (Status s = db_.insert_article(row); !s) return s;

  for (const auto& [gone, keep] : assigned.merged) {
    const int64_t gone_story = story_of_number_[gone], keep_story = story_of_number_[keep];
    if (Status s = db_.merge_story(gone_story, keep_story); !s) return s;
    number_of_story_.erase(gone_story);
    out.merged_stories.push_back(gone_story);
    ++stats_.merges;
  }
  // The article's own story: its row moves by one article; after a merge it is recomputed.
  if (Status s = assigned.merged.empty() ? db_.add_to_story(row) : db_.refresh_story(story, true); !s) return s;
  for (uint64_t closed : clusterer_.take_closed()) {
    const int64_t closed_story = story_of_number_[closed];
    number_of_story_.erase(closed_story);
    if (Status s = db_.set_story_active(closed_story, false); !s) return s;
  }
  clock.charge(&stats_.rows_seconds);

  // Matches, aligned by ingest() for the whole batch: the copy, then the strongest links.
  const size_t first_pending = pending->size();
  if (copy->seq != 0) {
    pending->push_back({input, seq, copy->seq, copy->relation, std::max({copy->jaccard, copy->in_other, copy->other_in}),
                        true});
  }
  std::vector<std::pair<uint64_t, float>> links = assigned.links;
  std::sort(links.begin(), links.end(),
            [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
  for (const auto& [other_number, similarity] : links) {
    if (pending->size() - first_pending >= options_.aligned_matches) break;
    const int64_t other = seq_of_number_[other_number];
    if (other == copy->seq) continue;
    const bool same_story = clusterer_.story_of(other_number) == clusterer_.story_of(number);
    pending->push_back({input, seq, other, same_story ? "story" : "related", similarity, false});
  }
  if (pending->size() - first_pending > options_.aligned_matches) pending->resize(first_pending + options_.aligned_matches);
  remember_shingles(seq, std::move(in.shingle_set));

  add_sketch(seq, day, in.prepared.sketch.sequence, in.prepared.sketch.shingles,
             std::move(in.prepared.sketch.signature));
  evict_sketches();
  clock.charge(&stats_.copies_seconds);
  ++stats_.ingested;
  ++stats_.articles;
  return out;
}

Result<std::vector<IngestOutcome>> LiveIndex::ingest(std::vector<PreparedInput> batch) {
  std::lock_guard lock(mutex_);
  if (!failed_.is_ok()) return failed_;
  const auto start = std::chrono::steady_clock::now();
  if (Status s = db_.begin(); !s) return s;
  std::vector<IngestOutcome> outcomes;
  outcomes.reserve(batch.size());
  std::unordered_set<std::string_view> in_batch;
  std::vector<PendingMatch> pending;
  const double now = seconds_since_epoch();
  auto fail = [&](Status s) {
    // The in-memory part already took some of the batch: only a rebuild from the database
    // (a restart) makes the two agree again, so the index stops taking writes.
    (void)db_.rollback();
    failed_ = Status::io_error(fmt::format("the index stopped taking writes after a database error ({}); restart "
                                           "samestory serve to rebuild it from the database",
                                           s.message()));
    return s;
  };
  for (PreparedInput& in : batch) {
    const std::string& id = in.article.doc.id;
    auto known = db_.seq_of(id);
    if (!known) return fail(known.status());
    if (*known != 0 || !in_batch.insert(id).second) {
      IngestOutcome dup;
      dup.kind = IngestOutcome::Kind::kDuplicateId;
      dup.id = id;
      outcomes.push_back(std::move(dup));
      continue;
    }
    auto outcome = ingest_one(in, outcomes.size(), max_seq_ + 1, now, &pending);
    if (!outcome) return fail(outcome.status());
    ++max_seq_;
    outcomes.push_back(std::move(outcome).value());
    if (++since_snapshot_ >= options_.snapshot_every) {
      if (Status s = db_.put_meta(kFrequenciesKey, encode_frequencies()); !s) return fail(s);
      since_snapshot_ = 0;
    }
  }
  if (Status s = align_pending(batch, pending, &outcomes); !s) return fail(s);
  StageClock clock;
  if (Status s = db_.commit(); !s) return fail(s);
  if (checkpointer_ && checkpointer_->wal_is_large()) {
    if (Status s = db_.catch_up_checkpoint(); !s) return fail(s);
  }
  clock.charge(&stats_.commit_seconds);
  stats_.ingest_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return outcomes;
}

Status LiveIndex::align_pending(const std::vector<PreparedInput>& batch, const std::vector<PendingMatch>& pending,
                                std::vector<IngestOutcome>* outcomes) {
  StageClock clock;
  // The other side of each pair: in this batch, or read from the database.
  struct Other {
    std::string text, title, outlet, id;
  };
  std::unordered_map<int64_t, size_t> input_of_seq;
  for (const PendingMatch& p : pending) input_of_seq.emplace(p.seq, p.input);
  std::unordered_map<int64_t, Other> stored;
  for (const PendingMatch& p : pending) {
    if (input_of_seq.count(p.other) || stored.count(p.other)) continue;
    Other& o = stored[p.other];
    auto found = db_.article_text(p.other, &o.text, &o.title, &o.outlet, &o.id);
    if (!found) return found.status();
  }
  auto other_of = [&](int64_t seq, const std::string** text, const std::string** title, const std::string** outlet,
                      const std::string** id) {
    if (auto in = input_of_seq.find(seq); in != input_of_seq.end()) {
      const Document& d = batch[in->second].article.doc;
      *text = &d.text, *title = &d.title, *outlet = &d.outlet, *id = &d.id;
    } else {
      const Other& o = stored.at(seq);
      *text = &o.text, *title = &o.title, *outlet = &o.outlet, *id = &o.id;
    }
  };
  clock.charge(&stats_.rows_seconds);  // reading the other sides
  // Alignment is the costly part: all pairs of the batch at once, on every core.
  std::vector<IngestedMatch> aligned(pending.size());
  parallel_for_index(size_t{0}, pending.size(), [&](size_t k) {
    const PendingMatch& p = pending[k];
    const std::string *text, *title, *outlet, *id;
    other_of(p.other, &text, &title, &outlet, &id);
    const MapArticle& mine = batch[p.input].article;
    aligned[k] = align_pair(p.seq, mine.doc.text, mine.removed, p.other, *text, options_.align);
    aligned[k].id = *id, aligned[k].title = *title, aligned[k].outlet = *outlet;
    aligned[k].relation = p.relation;
    aligned[k].similarity = p.similarity;
  });
  clock.charge(&stats_.align_seconds);
  for (size_t k = 0; k < pending.size(); ++k) {
    const PendingMatch& p = pending[k];
    IngestedMatch& m = aligned[k];
    if (!p.is_copy) {
      if (m.passages.empty()) continue;
      // Passages one outlet shares with its own articles of other stories are its furniture.
      if (p.relation == "related" && m.outlet == batch[p.input].article.doc.outlet) continue;
    }
    if (Status s = db_.insert_match({p.seq, p.other, p.relation, p.similarity, m.shared, m.other_shared}); !s) return s;
    for (const PassageRow& row : m.passages) {
      if (Status s = db_.insert_passage(row); !s) return s;
    }
    IngestOutcome& out = (*outcomes)[p.input];
    if (p.is_copy) out.duplicate_of = m.id;
    out.matches.push_back(std::move(m));
  }
  clock.charge(&stats_.rows_seconds);
  return Status::ok();
}

void LiveIndex::remember_shingles(int64_t seq, std::vector<uint32_t> set) {
  if (set.empty()) return;
  recent_sets_[seq] = std::move(set);
  recent_order_.push_back(seq);
  while (recent_order_.size() > kRecentSets) {
    recent_sets_.erase(recent_order_.front());
    recent_order_.pop_front();
  }
}

Result<bool> LiveIndex::remove(std::string_view id) {
  std::lock_guard lock(mutex_);
  if (!failed_.is_ok()) return failed_;
  auto seq = db_.seq_of(id);
  if (!seq) return seq.status();
  if (*seq == 0) return false;
  if (Status s = db_.begin(); !s) return s;
  int64_t story = 0;
  auto removed = db_.delete_article(*seq, &story);
  Status s = removed.status();
  if (s) {
    clusterer_.forget(number_of(*seq));  // false (and nothing done) if it is not live
    drop_sketch(*seq);
    s = db_.refresh_story(story, story_number(story) != kNoNumber);
    for (uint64_t closed : clusterer_.take_closed()) {
      const int64_t closed_story = story_of_number_[closed];
      number_of_story_.erase(closed_story);
      if (s) s = db_.set_story_active(closed_story, false);
    }
  }
  if (s) s = db_.commit();
  if (!s) {
    (void)db_.rollback();
    failed_ = Status::io_error(fmt::format("the index stopped taking writes after a database error ({}); restart "
                                           "samestory serve to rebuild it from the database",
                                           s.message()));
    return s;
  }
  --stats_.articles;
  ++stats_.deleted;
  return true;
}

// ---- snapshots and restart ----

std::string LiveIndex::encode_frequencies() const {
  std::vector<std::pair<uint32_t, uint32_t>> counts;
  const DocumentFrequencies& df = clusterer_.frequencies();
  counts.reserve(df.counts().size());
  df.counts().for_each([&](uint32_t term, uint32_t count) { counts.push_back({term, count}); });
  std::string bytes;
  ByteWriter w(&bytes);
  w(static_cast<int64_t>(max_seq_))(static_cast<uint64_t>(df.documents()))(counts);
  return bytes;
}

Status LiveIndex::save_snapshot() {
  std::lock_guard lock(mutex_);
  if (!failed_.is_ok()) return failed_;
  if (Status s = db_.begin(); !s) return s;
  if (Status s = db_.put_meta(kFrequenciesKey, encode_frequencies()); !s) {
    (void)db_.rollback();
    return s;
  }
  since_snapshot_ = 0;
  return db_.commit();
}

Status LiveIndex::restore(const std::function<void(double)>& progress) {
  const auto start = std::chrono::steady_clock::now();
  auto max_seq = db_.max_seq();
  if (!max_seq) return max_seq.status();
  max_seq_ = *max_seq;
  auto max_story = db_.max_story();
  if (!max_story) return max_story.status();
  max_story_ = *max_story;
  auto newest = db_.max_day();
  if (!newest) return newest.status();
  newest_day_ = *newest;
  auto articles = db_.article_count();
  if (!articles) return articles.status();
  stats_.articles = static_cast<uint64_t>(*articles);

  // Document frequencies as of the snapshot; the articles after it are counted again below.
  int64_t snapshot_seq = 0;
  auto snapshot = db_.meta(kFrequenciesKey);
  if (!snapshot) return snapshot.status();
  if (*snapshot) {
    ByteReader r(**snapshot);
    uint64_t documents = 0;
    std::vector<std::pair<uint32_t, uint32_t>> counts;
    r(snapshot_seq)(documents)(counts);
    if (!r.ok()) return Status::data_error(fmt::format("{}: the saved document frequencies are corrupt", path_));
    DocumentFrequencies df;
    for (const auto& [term, count] : counts) df.add_count(term, count);
    df.add_documents(documents);
    clusterer_.set_background(std::move(df));
  } else if (options_.background && max_seq_ == 0) {
    clusterer_.set_background(*options_.background);
  }
  // The live articles: from the first one dated within the horizon of the newest (what the
  // clusterer would still hold), in arrival order.
  int64_t first_live = 1;
  if (newest_day_) {
    auto first = db_.first_seq_from_day(*newest_day_ - options_.horizon_days);
    if (!first) return first.status();
    first_live = *first != 0 ? *first : max_seq_ + 1;
  }
  const int64_t from = std::min(snapshot_seq + 1, first_live);
  std::vector<Token> tokens;
  std::vector<TermCount> bag;
  CleanedText cleaned;
  Status status = db_.scan_articles(from, [&](const StoredArticle& a) {
    if (a.seq < first_live && a.seq <= snapshot_seq) return;
    cleaner_->clean(a.text, a.outlet, &cleaned);
    count_terms(a.title, cleaned.text, options_.pipeline.cluster.features, &tokens, &bag);
    const bool count = a.seq > snapshot_seq;
    if (a.seq < first_live) {
      clusterer_.count_only(bag);
    } else {
      uint64_t story = story_number(a.story);
      if (story == kNoNumber) {
        story = clusterer_.stories_started();
        story_of_number_.push_back(a.story);
        number_of_story_[a.story] = story;
      }
      // As ingest placed it: a copy from its original's neighbours, others by a search.
      const int32_t day = a.day ? *a.day : kUnknownDay;
      if (a.duplicate_of != 0 && story_for_copy(a.duplicate_of, a.day) != kNoNumber) {
        clusterer_.add_copy(bag, day, story, number_of(a.duplicate_of), count);
      } else {
        clusterer_.add_to(bag, day, story, count);
      }
      seq_of_number_.push_back(a.seq);
      std::vector<uint32_t> signature(a.signature.size() / sizeof(uint32_t));
      std::memcpy(signature.data(), a.signature.data(), signature.size() * sizeof(uint32_t));
      add_sketch(a.seq, a.day, a.sequence, a.shingles, std::move(signature));
      ++stats_.restored_articles;
    }
    if (progress && max_seq_ > from && (a.seq & 1023) == 0) {
      progress(static_cast<double>(a.seq - from) / static_cast<double>(max_seq_ - from + 1));
    }
  });
  if (!status) return status;
  evict_sketches();
  // Stories that ended while the index was down, or whose last live article was older.
  const std::vector<uint64_t> closed = clusterer_.take_closed();
  if (!closed.empty()) {
    if (Status s = db_.begin(); !s) return s;
    for (uint64_t c : closed) {
      number_of_story_.erase(story_of_number_[c]);
      if (Status s = db_.set_story_active(story_of_number_[c], false); !s) return s;
    }
    if (Status s = db_.commit(); !s) return s;
  }
  stats_.restore_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Status::ok();
}

Status LiveIndex::health() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

LiveIndexStats LiveIndex::stats() const {
  std::lock_guard lock(mutex_);
  LiveIndexStats s = stats_;
  s.live_articles = clusterer_.live_articles();
  s.lsh_articles = sketch_slot_.size();
  s.stories_started = clusterer_.stories_started();
  return s;
}

}  // namespace samestory
