// Deduplicator: exact, near-duplicate and contained copies in a corpus, verified and grouped.
//
// Two relations, both needed for news:
//   near       Jaccard similarity of the two 5-gram shingle sets >= DedupOptions::jaccard
//              (the same article, lightly edited);
//   contained  containment of the smaller set in the larger >= DedupOptions::containment
//              (a trimmed re-run of a wire story, or one wrapped in extra paragraphs).
// Exact duplicates have the same normalised word sequence (sketch/shingle.h: sequence_hash).
//
// The work runs in two passes over the corpus, so memory holds signatures, never texts:
//   pass 1  sketch(): per document (any thread), the sequence hash, the shingle count and a
//           K-bin one-permutation MinHash signature; add() stores them in document order.
//   find_candidates()  exact groups by sequence hash; LSH over one representative signature per
//           exact group, in bands of `rows` rows (2 by default: a pair with Jaccard 0.36 becomes a
//           candidate with probability 0.99, which covers containment down to a size ratio of
//           about 0.45 as well as near duplicates); candidates whose signature estimates are far
//           below both thresholds are dropped; the rest form candidate components.
//   pass 2  the documents of candidate components are shingled again (add_shingles(), in
//           document order); when a component's last document arrives, every pair in it is
//           verified on exact shingle sets and the sets are freed.
//   finish()  groups by union-find over exact and verified edges, one representative per group by
//           the keep policy, and each member's relation and similarity to it.
//
// Guarantees: a reported near or contained edge always holds on the exact shingle sets (precision
// 1.0); results depend only on the documents and their order, never on the thread count.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dedup/union_find.h"
#include "io/document.h"
#include "sketch/minhash.h"
#include "text/tokenize.h"

namespace samestory {

enum class KeepPolicy : uint8_t {
  kEarliest,  // the earliest published (a date alone counts as the end of its day; undated last),
              // then the first in input order
  kLongest,   // the longest text, then the first in input order
  kFirst,     // the first in input order
};
std::string_view to_string(KeepPolicy p);

enum class Relation : uint8_t { kRepresentative, kExact, kNear, kContained, kContains, kLinked };
std::string_view to_string(Relation r);

// The order of `--keep earliest`: seconds of the end of the known period (a date alone counts as
// the end of its day, so an article stamped 09:30 that day comes first); undated documents last.
int64_t publication_key(const PublishedTime& t);

struct DedupOptions {
  int shingle_size = 5;           // words per shingle
  int num_hashes = 64;            // K: signature bins
  int rows = 2;                   // rows per LSH band (bands = K / rows)
  double jaccard = 0.8;           // near-duplicate threshold
  double containment = 0.8;       // contained threshold (smaller in larger)
  KeepPolicy keep = KeepPolicy::kEarliest;
  // A candidate survives when its estimated Jaccard or containment is within this margin of a
  // threshold (about 3 standard deviations of a 64-bin estimate near 0.6).
  double estimate_margin = 0.2;
  // Components up to this size have every pair verified (so each member's similarity to its
  // representative is exact); larger ones only their candidate pairs.
  size_t max_all_pairs_component = 64;
  // Single-value buckets, for a text contained in a much longer one, where Jaccard is too low for
  // the bands (a size ratio below about 0.5: Jaccard 0.36 at containment 0.8). Documents meet in
  // them when one's signature holds a value that the other's signature also holds.
  //   Documents with at most `small_document_shingles` shingles offer every value of their
  //   signatures, and are paired with any document they meet. 0 turns single-value buckets off.
  uint32_t small_document_shingles = 32;
  //   Longer ones offer their `bottom_values` smallest values, and are paired only with documents
  //   at least 1 / `single_value_ratio` times their size. Why the smallest: a value is in both
  //   signatures when the shorter text's shingle is also the longer's minimum in that bin, and the
  //   smaller the value the likelier that is (for the shorter text's minimum, about
  //   exp(-1 / (64 r)) at size ratio r, so 0.86 at r = 0.1).
  uint32_t bottom_values = 2;
  double single_value_ratio = 0.6;
  // LSH buckets up to this size give every pair; larger ones (texts shared by very many
  // documents) a star and a chain, which keeps them connected at linear cost.
  size_t max_bucket_pairs = 64;
};

// What pass 1 computes for one document.
struct Sketch {
  uint64_t sequence = 0;
  uint32_t shingles = 0;  // distinct shingles (0: nothing to compare)
  std::vector<uint32_t> signature;
};

struct GroupMember {
  uint32_t doc = 0;
  Relation relation = Relation::kLinked;
  double jaccard = 0;      // with the representative
  double in_rep = 0;       // containment of this member in the representative
  double rep_in = 0;       // containment of the representative in this member
  bool estimated = false;  // similarities from signatures (very large components only)
  uint32_t via = 0;        // the member it was linked through (itself if directly)
};

struct DuplicateGroup {
  uint32_t representative = 0;
  std::vector<GroupMember> members;  // not including the representative, in document order
};

struct DedupStats {
  uint64_t documents = 0;
  uint64_t exact_pairs_implied = 0;  // documents that are exact copies of an earlier one
  uint64_t candidate_pairs = 0;      // distinct pairs met in LSH buckets, before the estimate filter
  uint64_t pairs_to_verify = 0;
  uint64_t near_edges = 0;
  uint64_t contained_edges = 0;
  uint64_t rejected_pairs = 0;       // verified and below both thresholds
  uint64_t max_open_sets = 0;        // most shingle sets held at once in pass 2
  double sketch_seconds = 0;         // pass 1: read, tokenise, sketch
  double candidate_seconds = 0;      // exact groups, LSH, estimate filter, components
  double verify_seconds = 0;         // pass 2: read again, shingle candidates, verify
  double group_seconds = 0;          // union-find, representatives, relations
};

// Whether a candidate pair is worth verifying: its estimated Jaccard or containment is within
// DedupOptions::estimate_margin of a threshold.
bool promising_pair(const uint32_t* sig_a, const uint32_t* sig_b, int k, uint32_t shingles_a, uint32_t shingles_b,
                    const DedupOptions& options);

// The signature values a lead is bucketed by in the small-document pass (distinct values for a
// small document, in order of first appearance; all K for the others).
void small_bucket_values(const uint32_t* sig, int k, bool small, std::vector<uint32_t>* values);

// The values a document with `shingles` shingles offers to the single-value buckets: all of a
// small one's distinct values, in order of first appearance; a longer one's `bottom_values`
// smallest distinct values, in increasing order (none without shingles).
void offered_values(const uint32_t* sig, int k, uint32_t shingles, const DedupOptions& options,
                    std::vector<uint32_t>* values);

// The largest value a document offers (all of a small document's): with offered_values() already
// taken, values->back() for a longer one.
inline uint32_t offer_bound(uint32_t shingles, const std::vector<uint32_t>& offered, const DedupOptions& options) {
  if (shingles <= options.small_document_shingles) return 0xFFFFFFFFu;
  return offered.empty() ? 0 : offered.back();
}

// One side of a pair met in a single-value bucket: its shingles and offer_bound().
struct SingleValueSide {
  uint32_t shingles;
  uint32_t offer_bound;
};

// Whether two documents that meet in the single-value bucket of `value` are a candidate pair: one
// is small, or the shorter offered `value` and has at most `single_value_ratio` of the longer's
// shingles. (A bucket also holds documents that merely have the value: two of those are no pair.)
inline bool single_value_pair(uint32_t value, SingleValueSide a, SingleValueSide b, const DedupOptions& options) {
  if (a.shingles <= options.small_document_shingles || b.shingles <= options.small_document_shingles) return true;
  const SingleValueSide& shorter = a.shingles <= b.shingles ? a : b;
  const SingleValueSide& longer = a.shingles <= b.shingles ? b : a;
  return value <= shorter.offer_bound &&
         static_cast<double>(shorter.shingles) <= options.single_value_ratio * static_cast<double>(longer.shingles);
}

class Deduplicator {
 public:
  explicit Deduplicator(DedupOptions options);

  const DedupOptions& options() const { return options_; }

  // Pass 1. sketch() is thread-safe; add() takes documents in input order. On return `scratch`
  // holds the tokens compared (the text's, or the title's when the text is empty), for callers that
  // need them too.
  void sketch(const Document& doc, std::vector<Token>* scratch, Sketch* out) const;
  void add(const Document& doc, const Sketch& sketch);
  // The same from the fields the Deduplicator keeps (publication_key() of the date, the text's
  // size in bytes, location_of() the provenance): for callers that sketched elsewhere.
  void add(std::string_view id, int64_t published_key, uint32_t text_bytes, uint64_t location, const Sketch& sketch);
  // Pass 1 with each signature written where it is kept, by the thread that sketches it: the
  // signatures are most of the memory a run touches, and copying them in add() put its first touch
  // (a page fault every 4 KiB) in the one thread that adds. signature_slot(d) is where document d
  // (its number in add order) keeps its K values; it may be called from any thread, for documents
  // not yet added. sketch() then writes there, and add_sketched() adds document size() without a
  // signature of its own in `sketch`.
  uint32_t* signature_slot(uint32_t doc);
  void sketch(const Document& doc, std::vector<Token>* scratch, Sketch* out, uint32_t* signature) const;
  void add_sketched(const Document& doc, const Sketch& sketch);
  size_t size() const { return published_.size(); }

  void find_candidates();
  // Instead of find_candidates(): candidate pairs found elsewhere (pair_key() of document numbers,
  // already through promising_pair()); the Dask pipeline finds them with a distributed shuffle and
  // hands each connected part of the corpus to its own Deduplicator.
  void use_candidates(std::vector<uint64_t> pairs);

  // Pass 2, in input order: documents for which needs_shingles() holds get add_shingles().
  bool needs_shingles(uint32_t doc) const { return doc < component_of_.size() && component_of_[doc] != kNone; }
  // Where each document was read from: (file index << 40 | record number), for reading the
  // documents that need shingles again without parsing the rest.
  uint64_t location(uint32_t doc) const { return location_[doc]; }
  static uint64_t location_of(const Provenance& p) { return (static_cast<uint64_t>(p.file_index) << 40) | p.record; }
  // Shingles `doc` (known to be document number `index`); false if its words are not those seen in
  // pass 1 (the input changed).
  bool shingle(uint32_t index, const Document& doc, std::vector<Token>* scratch, std::vector<uint32_t>* set) const;
  void add_shingles(uint32_t doc, std::vector<uint32_t> set);

  void finish();

  const std::vector<DuplicateGroup>& groups() const { return groups_; }
  bool kept(uint32_t doc) const { return !removed_[doc]; }
  std::string_view id(uint32_t doc) const;
  const DedupStats& stats() const { return stats_; }
  DedupStats& mutable_stats() { return stats_; }
  // Verified near/contained edges (between exact-group leads), and each document's exact lead.
  const std::vector<std::pair<uint32_t, uint32_t>>& edges() const { return edges_; }
  uint32_t exact_lead(uint32_t doc) const { return exact_lead_[doc]; }
  uint64_t memory_bytes() const;

 private:
  static constexpr uint32_t kNone = 0xFFFFFFFFu;
  struct PairSimilarity {
    double jaccard, a_in_b, b_in_a;
  };
  struct Component {
    std::vector<uint32_t> docs;    // sorted
    std::vector<uint64_t> pairs;   // (a << 32 | b), a < b, to verify
  };

  void add_columns(std::string_view id, int64_t published_key, uint32_t text_bytes, uint64_t location,
                   const Sketch& sketch);
  std::vector<uint32_t> group_exact();  // returns the leads: documents LSH looks at
  void build_components(const std::vector<uint32_t>& leads, std::vector<uint64_t> pairs);
  void verify_component(uint32_t component);
  bool accepted(const PairSimilarity& s) const;
  PairSimilarity similarity(uint32_t a, uint32_t b, bool* estimated) const;
  // finish() for one group of documents: its representative, and each member's relation to it.
  void settle_group(const std::vector<uint32_t>& docs, const std::vector<uint64_t>& arcs,
                    const std::vector<uint32_t>& first_arc, std::vector<uint32_t>* parent,
                    std::vector<uint32_t>* queue, DuplicateGroup* group) const;
  const uint32_t* signature(uint32_t doc) const {
    return signature_blocks_[doc / kBlockDocs].get() + static_cast<size_t>(doc % kBlockDocs) * k_;
  }

  DedupOptions options_;
  MinHasher hasher_;
  size_t k_;
  // Columns, one entry per document.
  std::string id_bytes_;
  std::vector<uint32_t> id_end_;
  std::vector<int64_t> published_;  // the --keep earliest order key; INT64_MAX when unknown
  std::vector<uint32_t> text_bytes_;
  std::vector<uint64_t> sequence_;
  std::vector<uint64_t> location_;
  std::vector<uint32_t> shingle_count_;
  // Signatures, N x K, in blocks of kBlockDocs documents: growing never copies them.
  static constexpr uint32_t kBlockDocs = 8192;
  struct FreeBlock {
    void operator()(uint32_t* block) const { std::free(block); }
  };
  std::vector<std::unique_ptr<uint32_t[], FreeBlock>> signature_blocks_;
  std::mutex signature_blocks_mutex_;  // signature_slot() adds blocks from sketching threads
  std::vector<uint32_t> exact_lead_;  // first document with the same sequence (itself if none)
  // Candidates and verification.
  std::vector<uint32_t> component_of_;
  std::vector<Component> components_;
  std::vector<uint32_t> component_remaining_;
  std::unordered_map<uint32_t, std::vector<uint32_t>> open_sets_;
  std::unordered_map<uint64_t, PairSimilarity> verified_;
  std::vector<std::pair<uint32_t, uint32_t>> edges_;  // accepted near/contained edges
  // Results.
  std::vector<DuplicateGroup> groups_;
  std::vector<bool> removed_;
  DedupStats stats_;
};

}  // namespace samestory
