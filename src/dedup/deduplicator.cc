#include "dedup/deduplicator.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <limits>
#include <new>

#include "base/bit_filter.h"
#include "base/parallel_region.h"
#include "dedup/lsh_buckets.h"
#include "dedup/similarity.h"
#include "sketch/shingle.h"

namespace samestory {

std::string_view to_string(KeepPolicy p) {
  switch (p) {
    case KeepPolicy::kEarliest: return "earliest";
    case KeepPolicy::kLongest: return "longest";
    case KeepPolicy::kFirst: return "first";
  }
  return "earliest";
}

std::string_view to_string(Relation r) {
  switch (r) {
    case Relation::kRepresentative: return "representative";
    case Relation::kExact: return "exact";
    case Relation::kNear: return "near";
    case Relation::kContained: return "contained";
    case Relation::kContains: return "contains";
    case Relation::kLinked: return "linked";
  }
  return "linked";
}

int64_t publication_key(const PublishedTime& t) {
  constexpr int64_t kUndated = std::numeric_limits<int64_t>::max();
  if (!t.known()) return kUndated;
  if (t.precision >= TimePrecision::kMinute) return t.unix_seconds;
  return t.unix_day() * 86400 + 86399;  // a date alone: the end of its day
}

namespace {

// The text that is compared: the body, or the title of a headline-only document.
void tokens_of(const Document& doc, std::vector<Token>* tokens) {
  tokens->clear();
  tokenize(doc.text.empty() ? std::string_view(doc.title) : std::string_view(doc.text), tokens);
}

// The 32-bit bucket key of one band: a multiply-xor fold of its rows. Different rows can share a
// key (about one pair a band among a million leads), so buckets are split by the rows themselves.
inline uint32_t band_bucket_key(const uint32_t* rows, int count, int band) {
  uint64_t h = 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(band + 1);
  for (int i = 0; i < count; ++i) h = (h ^ rows[i]) * 0xBF58476D1CE4E5B9ull;
  return static_cast<uint32_t>((h ^ (h >> 29)) >> 32);
}

// Calls fn(docs, n) for each group of two or more documents in `docs` (in order, all with one
// bucket key) whose `count` rows are equal, in document order within each group.
template <typename RowsOf, typename Fn>
void for_each_bucket_of_equal_rows(std::vector<uint32_t>* docs, const RowsOf& rows_of, size_t count, Fn&& fn) {
  auto same = [&](uint32_t a, uint32_t b) {
    const uint32_t *x = rows_of(a), *y = rows_of(b);
    for (size_t i = 0; i < count; ++i) {
      if (x[i] != y[i]) return false;
    }
    return true;
  };
  const uint32_t first = docs->front();
  if (std::all_of(docs->begin() + 1, docs->end(), [&](uint32_t d) { return same(first, d); })) {
    fn(docs->data(), docs->size());
    return;
  }
  std::stable_sort(docs->begin(), docs->end(), [&](uint32_t a, uint32_t b) {
    return std::lexicographical_compare(rows_of(a), rows_of(a) + count, rows_of(b), rows_of(b) + count);
  });
  for (size_t i = 0; i < docs->size();) {
    size_t j = i + 1;
    while (j < docs->size() && same((*docs)[i], (*docs)[j])) ++j;
    if (j - i >= 2) fn(docs->data() + i, j - i);
    i = j;
  }
}

// Moves the parts into one vector, in order, freeing each part as it goes.
std::vector<uint64_t> concatenate(std::vector<std::vector<uint64_t>>* parts) {
  size_t total = 0;
  for (const auto& p : *parts) total += p.size();
  std::vector<uint64_t> all;
  all.reserve(total);
  for (auto& p : *parts) {
    all.insert(all.end(), p.begin(), p.end());
    std::vector<uint64_t>().swap(p);
  }
  return all;
}

}  // namespace

Deduplicator::Deduplicator(DedupOptions options)
    : options_(options), hasher_(options.num_hashes), k_(static_cast<size_t>(options.num_hashes)) {}

void Deduplicator::sketch(const Document& doc, std::vector<Token>* scratch, Sketch* out) const {
  out->signature.resize(k_);
  sketch(doc, scratch, out, out->signature.data());
}

void Deduplicator::sketch(const Document& doc, std::vector<Token>* scratch, Sketch* out, uint32_t* signature) const {
  tokens_of(doc, scratch);
  // Shingle positions, not distinct shingles: counting distinct ones would cost a sort per
  // document, and news text rarely repeats five words; the count only feeds estimates.
  out->shingles =
      static_cast<uint32_t>(shingle_signature(*scratch, options_.shingle_size, hasher_, signature, &out->sequence));
}

uint32_t* Deduplicator::signature_slot(uint32_t doc) {
  const std::lock_guard<std::mutex> lock(signature_blocks_mutex_);
  while (signature_blocks_.size() <= doc / kBlockDocs) {
    // Aligned to cache lines, so that the words one band sweep reads are never split across two.
    auto* block = static_cast<uint32_t*>(std::aligned_alloc(64, size_t{kBlockDocs} * k_ * sizeof(uint32_t)));
    if (block == nullptr) throw std::bad_alloc();
    signature_blocks_.emplace_back(block);
  }
  return signature_blocks_[doc / kBlockDocs].get() + static_cast<size_t>(doc % kBlockDocs) * k_;
}

void Deduplicator::add(const Document& doc, const Sketch& sketch) {
  add(doc.id, publication_key(doc.published), static_cast<uint32_t>(doc.text.size()), location_of(doc.source),
      sketch);
}

void Deduplicator::add_sketched(const Document& doc, const Sketch& sketch) {
  add_columns(doc.id, publication_key(doc.published), static_cast<uint32_t>(doc.text.size()), location_of(doc.source),
              sketch);
}

void Deduplicator::add(std::string_view id, int64_t published_key, uint32_t text_bytes, uint64_t location,
                       const Sketch& sketch) {
  const auto doc = static_cast<uint32_t>(size());
  add_columns(id, published_key, text_bytes, location, sketch);
  std::copy(sketch.signature.begin(), sketch.signature.end(), signature_slot(doc));
}

void Deduplicator::add_columns(std::string_view id, int64_t published_key, uint32_t text_bytes, uint64_t location,
                               const Sketch& sketch) {
  id_bytes_ += id;
  id_end_.push_back(static_cast<uint32_t>(id_bytes_.size()));
  published_.push_back(published_key);
  text_bytes_.push_back(text_bytes);
  sequence_.push_back(sketch.sequence);
  location_.push_back(location);
  shingle_count_.push_back(sketch.shingles);
}

std::string_view Deduplicator::id(uint32_t doc) const {
  const uint32_t begin = doc == 0 ? 0 : id_end_[doc - 1];
  return std::string_view(id_bytes_).substr(begin, id_end_[doc] - begin);
}

bool promising_pair(const uint32_t* sig_a, const uint32_t* sig_b, int k, uint32_t shingles_a, uint32_t shingles_b,
                    const DedupOptions& options) {
  const double margin = options.estimate_margin;
  const double j = estimate_jaccard(sig_a, sig_b, k);
  if (j >= options.jaccard - margin) return true;
  const double c = std::max(containment_from_jaccard(j, shingles_a, shingles_b),
                            containment_from_jaccard(j, shingles_b, shingles_a));
  return c >= options.containment - margin;
}

std::vector<uint32_t> Deduplicator::group_exact() {
  const auto n = static_cast<uint32_t>(size());
  stats_.documents = n;
  // Exact groups: documents with the same word sequence share a lead (the first of them).
  exact_lead_.resize(n);
  // Bucketed by the top half of the sequence hash (a radix sort keeps documents in order), then
  // matched on the whole hash within a bucket.
  std::vector<uint64_t> entries;
  entries.reserve(n);
  for (uint32_t d = 0; d < n; ++d) {
    exact_lead_[d] = d;
    if (shingle_count_[d] > 0) entries.push_back(bucket_entry(static_cast<uint32_t>(sequence_[d] >> 32), d));
  }
  sort_by_key(entries);
  for_each_key_run(entries, [&](const uint64_t* run, size_t count) {
    for (size_t i = 1; i < count; ++i) {
      const uint32_t d = entry_doc(run[i]);
      for (size_t j = 0; j < i; ++j) {
        const uint32_t earlier = entry_doc(run[j]);
        if (exact_lead_[earlier] == earlier && sequence_[earlier] == sequence_[d]) {
          exact_lead_[d] = earlier;
          ++stats_.exact_pairs_implied;
          break;
        }
      }
    }
  });
  std::vector<uint32_t> leads;
  for (uint32_t d = 0; d < n; ++d) {
    if (shingle_count_[d] > 0 && exact_lead_[d] == d) leads.push_back(d);
  }
  return leads;
}

void Deduplicator::find_candidates() {
  const std::vector<uint32_t> leads = group_exact();
  // LSH bands of `rows` rows over all leads, in parallel; within a band, documents with equal rows
  // are paired (lsh_buckets.h). Pairs are only collected here: a pair met in several bands is
  // checked once, after the repeats are gone (a third of the raw pairs on the bench corpus).
  const int rows = std::max(1, options_.rows);
  const int bands = static_cast<int>(k_) / rows;
  std::vector<std::vector<uint64_t>> band_pairs(static_cast<size_t>(bands));
  // A band's rows are one word pair in each lead's signature, so a band alone reads a cache line
  // per lead for 8 bytes of it: the sweeps over the signatures were most of this phase, stalled on
  // memory. Several bands are keyed in one sweep instead, each line read once for all of them; as
  // many as keep every thread busy, up to eight words (the entries cost 8 bytes a lead a band: a
  // sweep over 16 words was no faster on 1 GB and held 110 MB more).
  const int threads = std::max(1, tbb::this_task_arena::max_concurrency());
  const int per_sweep = std::clamp(bands / threads, 1, std::max(1, 8 / rows));
  const int sweeps = (bands + per_sweep - 1) / per_sweep;
  parallel_for_index(0, sweeps, [&](int sweep) {
    // Buffers per thread, reused across sweeps: allocating them per band cost more in page faults
    // than the grouping itself. Entries name leads by their document numbers (in increasing
    // order, as `leads` is), so a lead's rows are found without a random read of `leads`.
    thread_local std::vector<std::vector<uint64_t>> entries;
    thread_local std::vector<uint64_t> in_runs;
    thread_local std::vector<uint32_t> members;
    const auto r = static_cast<size_t>(rows);
    const int first_band = sweep * per_sweep;
    const int band_count = std::min(per_sweep, bands - first_band);
    const size_t first_offset = static_cast<size_t>(first_band) * r;
    if (entries.size() < static_cast<size_t>(band_count)) entries.resize(static_cast<size_t>(band_count));
    for (int slot = 0; slot < band_count; ++slot) entries[static_cast<size_t>(slot)].resize(leads.size());
    // Leads' signatures are K words apart (and leads skip exact copies): fetched ahead.
    constexpr uint32_t kAhead = 16;
    for (uint32_t i = 0; i < leads.size(); ++i) {
      if (i + kAhead < leads.size()) __builtin_prefetch(signature(leads[i + kAhead]) + first_offset);
      const uint32_t* mine = signature(leads[i]) + first_offset;
      for (int slot = 0; slot < band_count; ++slot) {
        entries[static_cast<size_t>(slot)][i] =
            bucket_entry(band_bucket_key(mine + static_cast<size_t>(slot) * r, rows, first_band + slot), leads[i]);
      }
    }
    for (int slot = 0; slot < band_count; ++slot) {
      const int band = first_band + slot;
      const size_t offset = static_cast<size_t>(band) * r;
      auto& band_entries = entries[static_cast<size_t>(slot)];
      auto& out = band_pairs[static_cast<size_t>(band)];
      auto rows_of = [&](uint32_t doc) { return signature(doc) + offset; };
      sort_by_key(band_entries);
      // Only documents in runs of one key have their rows compared, and those rows are read at
      // random: gathered first, so that their rows can be fetched ahead.
      in_runs.clear();
      for_each_key_run(band_entries,
                       [&](const uint64_t* run, size_t count) { in_runs.insert(in_runs.end(), run, run + count); });
      size_t fetched = 0;
      for_each_key_run(in_runs, [&](const uint64_t* run, size_t count) {
        const size_t until = std::min(in_runs.size(), static_cast<size_t>(run - in_runs.data()) + count + kAhead);
        for (; fetched < until; ++fetched) __builtin_prefetch(rows_of(entry_doc(in_runs[fetched])));
        members.clear();
        for (size_t i = 0; i < count; ++i) members.push_back(entry_doc(run[i]));
        for_each_bucket_of_equal_rows(&members, rows_of, r, [&](const uint32_t* bucket, size_t n) {
          pair_bucket(bucket, n, options_.max_bucket_pairs,
                      [&](uint32_t a, uint32_t b) { out.push_back(pair_key(a, b)); });
        });
      });
    }
  });

  // Single-value buckets (DedupOptions::small_document_shingles, bottom_values): for a text
  // contained in a much longer one, where Jaccard is too low for the bands. Documents offer values
  // (offered_values()), and every lead looks up all of its values among those offered.
  if (options_.small_document_shingles > 0) {
    auto is_small = [&](uint32_t d) { return shingle_count_[d] <= options_.small_document_shingles; };
    // Keys spread over 64 bits: the filter takes bits from the top and the middle.
    auto spread = [](uint32_t key) { return static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull; };
    // The offered values and each document's offer_bound(), in parallel chunks of leads.
    constexpr size_t kChunk = 16384;
    const size_t chunk_count = (leads.size() + kChunk - 1) / kChunk;
    std::vector<std::vector<uint32_t>> offered(chunk_count);
    std::vector<uint32_t> bound(size(), 0);
    parallel_for_index(size_t{0}, chunk_count, [&](size_t c) {
      std::vector<uint32_t> values;
      for (size_t i = c * kChunk; i < std::min(leads.size(), (c + 1) * kChunk); ++i) {
        const uint32_t d = leads[i];
        offered_values(signature(d), static_cast<int>(k_), shingle_count_[d], options_, &values);
        bound[d] = offer_bound(shingle_count_[d], values, options_);
        offered[c].insert(offered[c].end(), values.begin(), values.end());
      }
    });
    // Nearly every lookup misses: a filter of the offered values, which stays in cache, answers
    // them. It is the only set there is. The absent values it lets through (about 1 in 16) make
    // entries in buckets where no document offered the value, and single_value_pair() pairs
    // nobody there; an exact set of the offered values cost more to build and probe than those
    // entries cost to sort.
    size_t offered_count = 0;
    for (const auto& part : offered) offered_count += part.size();
    BitFilter filter(offered_count);
    for (auto& part : offered) {
      for (uint32_t v : part) filter.insert(spread(small_value_key(v)));
      std::vector<uint32_t>().swap(part);
    }
    // The lookups, in parallel chunks of leads whose results are gathered in order so the outcome
    // does not depend on the thread count; the filter words of lead i + 1 are fetched while lead
    // i's values are looked up.
    std::vector<std::vector<uint64_t>> chunks(chunk_count);
    parallel_for_index(size_t{0}, chunks.size(), [&](size_t c) {
      std::vector<uint32_t> values, next_values;
      auto& out = chunks[c];
      const size_t begin = c * kChunk, end = std::min(leads.size(), (c + 1) * kChunk);
      auto fetch = [&](size_t i, std::vector<uint32_t>* into) {
        small_bucket_values(signature(leads[i]), static_cast<int>(k_), is_small(leads[i]), into);
        for (uint32_t v : *into) filter.prefetch(spread(small_value_key(v)));
      };
      if (begin < end) fetch(begin, &next_values);
      for (size_t i = begin; i < end; ++i) {
        values.swap(next_values);
        if (i + 1 < end) fetch(i + 1, &next_values);
        for (uint32_t v : values) {
          const uint32_t key = small_value_key(v);
          if (filter.may_contain(spread(key))) out.push_back(bucket_entry(key, leads[i]));
        }
      }
    });
    const std::vector<uint64_t> entries = gather_sorted_by_key(&chunks);
    // Buckets to pairs in parallel slices (a key's run is never cut), each slice's pairs a part of
    // their own.
    const std::vector<size_t> slices = key_run_slices(entries, 64);
    const size_t first_part = band_pairs.size();
    band_pairs.resize(first_part + slices.size() - 1);
    parallel_for_index(size_t{0}, slices.size() - 1, [&](size_t slice) {
      auto& out = band_pairs[first_part + slice];
      std::vector<uint32_t> docs;
      const std::span<const uint64_t> mine(entries.data() + slices[slice], slices[slice + 1] - slices[slice]);
      for_each_key_run(mine, [&](const uint64_t* run, size_t count) {
        docs.clear();
        for (size_t i = 0; i < count; ++i) docs.push_back(entry_doc(run[i]));
        const uint32_t value = small_value_of_key(entry_key(run[0]));
        pair_bucket(docs.data(), count, options_.max_bucket_pairs, [&](uint32_t a, uint32_t b) {
          if (a != b && single_value_pair(value, {shingle_count_[a], bound[a]}, {shingle_count_[b], bound[b]},
                                          options_)) {
            out.push_back(pair_key(a, b));
          }
        });
      });
    });
  }
  std::vector<uint64_t> pairs = sort_unique(&band_pairs, static_cast<uint64_t>(size()) << 32);
  stats_.candidate_pairs = pairs.size();

  // A candidate survives when its estimated Jaccard or containment is within the margin of a
  // threshold. Checked in parallel chunks kept in order.
  constexpr size_t kPairChunk = 65536;
  std::vector<std::vector<uint64_t>> kept((pairs.size() + kPairChunk - 1) / kPairChunk);
  parallel_for_index(size_t{0}, kept.size(), [&](size_t c) {
    for (size_t i = c * kPairChunk; i < std::min(pairs.size(), (c + 1) * kPairChunk); ++i) {
      const auto a = static_cast<uint32_t>(pairs[i] >> 32), b = static_cast<uint32_t>(pairs[i]);
      if (promising_pair(signature(a), signature(b), static_cast<int>(k_), shingle_count_[a], shingle_count_[b],
                         options_)) {
        kept[c].push_back(pairs[i]);
      }
    }
  });
  std::vector<uint64_t>().swap(pairs);
  pairs = concatenate(&kept);
  build_components(leads, std::move(pairs));
}

void small_bucket_values(const uint32_t* sig, int k, bool small, std::vector<uint32_t>* values) {
  if (!small) {
    values->assign(sig, sig + k);
    return;
  }
  // Densification repeats values; long documents' bins hold distinct minima. Distinct values in
  // order of first appearance, through a small open-addressing table: sorting 64 values per short
  // document took a twelfth of the candidate phase.
  values->clear();
  size_t slots = 16;
  while (slots < 2 * static_cast<size_t>(k)) slots *= 2;
  thread_local std::vector<uint32_t> table;
  thread_local std::vector<uint8_t> used;
  table.resize(slots);
  used.assign(slots, 0);
  const int shift = 64 - std::countr_zero(slots);
  for (int i = 0; i < k; ++i) {
    const uint32_t v = sig[i];
    size_t at = static_cast<size_t>((v * 0x9E3779B97F4A7C15ull) >> shift);
    while (used[at] && table[at] != v) at = (at + 1) & (slots - 1);
    if (used[at]) continue;
    used[at] = 1;
    table[at] = v;
    values->push_back(v);
  }
}

void offered_values(const uint32_t* sig, int k, uint32_t shingles, const DedupOptions& options,
                    std::vector<uint32_t>* values) {
  if (shingles == 0) {
    values->clear();
    return;
  }
  if (shingles <= options.small_document_shingles) {
    small_bucket_values(sig, k, true, values);
    return;
  }
  values->clear();
  if (options.bottom_values == 2) {
    // The default, without a branch per value: the two smallest distinct values by min and max
    // (an insertion into a sorted list mispredicted on most of the values that entered it).
    constexpr uint64_t kNoValue = uint64_t{1} << 32;
    uint64_t first = kNoValue, second = kNoValue;
    for (int i = 0; i < k; ++i) {
      const uint64_t v = sig[i];
      const uint64_t displaced = std::max(first, v);
      second = v == first ? second : std::min(second, displaced);
      first = std::min(first, v);
    }
    values->push_back(static_cast<uint32_t>(first));
    if (second != kNoValue) values->push_back(static_cast<uint32_t>(second));
    return;
  }
  // Any other count: insertion into a short sorted list.
  const size_t want = std::min<size_t>(options.bottom_values, static_cast<size_t>(k));
  for (int i = 0; i < k; ++i) {
    const uint32_t v = sig[i];
    if (values->size() == want && (want == 0 || v >= values->back())) continue;
    const auto at = static_cast<size_t>(std::lower_bound(values->begin(), values->end(), v) - values->begin());
    if (at < values->size() && (*values)[at] == v) continue;
    if (values->size() == want) values->pop_back();  // v is below the last, so `at` stays in range
    values->insert(values->begin() + static_cast<ptrdiff_t>(at), v);
  }
}

void Deduplicator::use_candidates(std::vector<uint64_t> pairs) {
  const std::vector<uint32_t> leads = group_exact();
  stats_.candidate_pairs = pairs.size();
  build_components(leads, std::move(pairs));
}

void Deduplicator::build_components(const std::vector<uint32_t>& leads, std::vector<uint64_t> pairs) {
  const auto n = static_cast<uint32_t>(size());
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());

  // Candidate components, numbered by their first document.
  UnionFind uf(n);
  for (uint64_t p : pairs) uf.unite(static_cast<uint32_t>(p >> 32), static_cast<uint32_t>(p));
  component_of_.assign(n, kNone);
  components_.clear();
  std::vector<uint32_t> root_component(n, kNone);
  for (uint32_t d : leads) {
    if (uf.set_size(d) < 2) continue;
    const uint32_t root = uf.find(d);
    if (root_component[root] == kNone) {
      root_component[root] = static_cast<uint32_t>(components_.size());
      components_.emplace_back();
    }
    component_of_[d] = root_component[root];
    components_[component_of_[d]].docs.push_back(d);
  }
  for (Component& c : components_) {
    if (c.docs.size() <= options_.max_all_pairs_component) {
      for (size_t a = 0; a < c.docs.size(); ++a) {
        for (size_t b = a + 1; b < c.docs.size(); ++b) c.pairs.push_back(pair_key(c.docs[a], c.docs[b]));
      }
    }
  }
  for (uint64_t p : pairs) {
    Component& c = components_[component_of_[static_cast<uint32_t>(p >> 32)]];
    if (c.docs.size() > options_.max_all_pairs_component) c.pairs.push_back(p);
  }
  component_remaining_.clear();
  for (const Component& c : components_) {
    component_remaining_.push_back(static_cast<uint32_t>(c.docs.size()));
    stats_.pairs_to_verify += c.pairs.size();
  }
}

bool Deduplicator::shingle(uint32_t index, const Document& doc, std::vector<Token>* scratch,
                           std::vector<uint32_t>* set) const {
  tokens_of(doc, scratch);
  uint64_t sequence = 0;
  shingle_set(*scratch, options_.shingle_size, set, &sequence);
  return sequence == sequence_[index];
}

void Deduplicator::add_shingles(uint32_t doc, std::vector<uint32_t> set) {
  const uint32_t c = component_of_[doc];
  open_sets_.emplace(doc, std::move(set));
  stats_.max_open_sets = std::max<uint64_t>(stats_.max_open_sets, open_sets_.size());
  if (--component_remaining_[c] == 0) verify_component(c);
}

bool Deduplicator::accepted(const PairSimilarity& s) const {
  return s.jaccard >= options_.jaccard || std::max(s.a_in_b, s.b_in_a) >= options_.containment;
}

void Deduplicator::verify_component(uint32_t component) {
  Component& c = components_[component];
  for (uint64_t p : c.pairs) {
    const auto a = static_cast<uint32_t>(p >> 32), b = static_cast<uint32_t>(p);
    const SetSimilarity s = set_similarity(open_sets_.at(a), open_sets_.at(b));
    const PairSimilarity ps{s.jaccard, s.a_in_b, s.b_in_a};
    verified_.emplace(p, ps);
    if (accepted(ps)) {
      edges_.emplace_back(a, b);
      if (ps.jaccard >= options_.jaccard) {
        ++stats_.near_edges;
      } else {
        ++stats_.contained_edges;
      }
    } else {
      ++stats_.rejected_pairs;
    }
  }
  for (uint32_t d : c.docs) open_sets_.erase(d);
  std::vector<uint64_t>().swap(c.pairs);
}

Deduplicator::PairSimilarity Deduplicator::similarity(uint32_t a, uint32_t b, bool* estimated) const {
  *estimated = false;
  if (a == b) return {1, 1, 1};
  if (auto it = verified_.find(pair_key(a, b)); it != verified_.end()) {
    PairSimilarity s = it->second;
    if (a > b) std::swap(s.a_in_b, s.b_in_a);
    return s;
  }
  *estimated = true;
  const double j = estimate_jaccard(signature(a), signature(b), static_cast<int>(k_));
  return {j, containment_from_jaccard(j, shingle_count_[a], shingle_count_[b]),
          containment_from_jaccard(j, shingle_count_[b], shingle_count_[a])};
}

void Deduplicator::finish() {
  const auto n = static_cast<uint32_t>(size());
  UnionFind uf(n);
  // Links (exact copies to their lead, verified edges) both ways as (from << 32 | to), sorted into
  // adjacency lists with neighbours in document order.
  std::vector<uint64_t> arcs;
  auto link = [&](uint32_t a, uint32_t b) {
    uf.unite(a, b);
    arcs.push_back(static_cast<uint64_t>(a) << 32 | b);
    arcs.push_back(static_cast<uint64_t>(b) << 32 | a);
  };
  for (uint32_t d = 0; d < n; ++d) {
    if (exact_lead_.size() == n && exact_lead_[d] != d) link(exact_lead_[d], d);
  }
  for (const auto& [a, b] : edges_) link(a, b);
  {
    std::vector<uint64_t> scratch;
    radix_sort(arcs, &scratch);
  }
  std::vector<uint32_t> first_arc(static_cast<size_t>(n) + 1, 0);
  for (uint64_t arc : arcs) ++first_arc[(arc >> 32) + 1];
  for (uint32_t d = 0; d < n; ++d) first_arc[d + 1] += first_arc[d];

  // Groups in order of their first document.
  std::vector<uint32_t> group_of_root(n, kNone);
  std::vector<std::vector<uint32_t>> group_docs;
  for (uint32_t d = 0; d < n; ++d) {
    if (uf.set_size(d) < 2) continue;
    const uint32_t root = uf.find(d);
    if (group_of_root[root] == kNone) {
      group_of_root[root] = static_cast<uint32_t>(group_docs.size());
      group_docs.emplace_back();
    }
    group_docs[group_of_root[root]].push_back(d);
  }

  // Groups are settled side by side, in chunks: each reads shared columns and writes only its own
  // group and its own members' `parent` entries (the arcs never leave a group).
  groups_.assign(group_docs.size(), DuplicateGroup());
  std::vector<uint32_t> parent(n, kNone);
  constexpr size_t kGroupsPerChunk = 1024;
  parallel_for_index(size_t{0}, (group_docs.size() + kGroupsPerChunk - 1) / kGroupsPerChunk, [&](size_t chunk) {
    std::vector<uint32_t> queue;
    const size_t end = std::min(group_docs.size(), (chunk + 1) * kGroupsPerChunk);
    for (size_t g = chunk * kGroupsPerChunk; g < end; ++g) {
      settle_group(group_docs[g], arcs, first_arc, &parent, &queue, &groups_[g]);
    }
  });
  removed_.assign(n, false);
  for (const DuplicateGroup& g : groups_) {
    for (const GroupMember& m : g.members) removed_[m.doc] = true;
  }
}

void Deduplicator::settle_group(const std::vector<uint32_t>& docs, const std::vector<uint64_t>& arcs,
                                const std::vector<uint32_t>& first_arc, std::vector<uint32_t>* parent_of,
                                std::vector<uint32_t>* queue, DuplicateGroup* group) const {
  std::vector<uint32_t>& parent = *parent_of;
  uint32_t rep = docs.front();
  for (uint32_t d : docs) {
    switch (options_.keep) {
      case KeepPolicy::kEarliest:
        if (published_[d] < published_[rep]) rep = d;
        break;
      case KeepPolicy::kLongest:
        if (text_bytes_[d] > text_bytes_[rep]) rep = d;
        break;
      case KeepPolicy::kFirst: break;
    }
  }
  // The member each document was linked through: its parent in a breadth-first tree from rep.
  parent[rep] = rep;
  queue->assign(1, rep);
  for (size_t head = 0; head < queue->size(); ++head) {
    const uint32_t d = (*queue)[head];
    for (uint32_t a = first_arc[d]; a < first_arc[d + 1]; ++a) {
      const auto m = static_cast<uint32_t>(arcs[a]);
      if (parent[m] == kNone) {
        parent[m] = d;
        queue->push_back(m);
      }
    }
  }
  group->representative = rep;
  for (uint32_t d : docs) {
    if (d == rep) continue;
    GroupMember m;
    m.doc = d;
    m.via = parent[d];
    if (sequence_[d] == sequence_[rep]) {
      m.relation = Relation::kExact;
      m.jaccard = m.in_rep = m.rep_in = 1;
    } else {
      const PairSimilarity s = similarity(exact_lead_[d], exact_lead_[rep], &m.estimated);
      m.jaccard = s.jaccard;
      m.in_rep = s.a_in_b;
      m.rep_in = s.b_in_a;
      if (s.jaccard >= options_.jaccard) {
        m.relation = Relation::kNear;
      } else if (s.a_in_b >= options_.containment && s.a_in_b >= s.b_in_a) {
        m.relation = Relation::kContained;
      } else if (s.b_in_a >= options_.containment) {
        m.relation = Relation::kContains;
      } else if (s.a_in_b >= options_.containment) {
        m.relation = Relation::kContained;
      } else {
        m.relation = Relation::kLinked;
      }
    }
    group->members.push_back(m);
  }
}

uint64_t Deduplicator::memory_bytes() const {
  return id_bytes_.capacity() + id_end_.capacity() * 4 + published_.capacity() * 8 + text_bytes_.capacity() * 4 +
         sequence_.capacity() * 8 + location_.capacity() * 8 + shingle_count_.capacity() * 4 +
         signature_blocks_.size() * size_t{kBlockDocs} * k_ * 4 +
         exact_lead_.capacity() * 4 + component_of_.capacity() * 4;
}

}  // namespace samestory
