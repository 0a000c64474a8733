// samestory._samestory: the engine's stages for Python (python/samestory/__init__.py re-exports
// the public part; the names starting with an underscore serve samestory.dask).
//
// Arrays cross as numpy arrays: results are moved into arrays that own the C++ buffer (no copy),
// inputs are read in place. Long loops release the GIL and run on the engine's threads.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <numeric>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <tbb/enumerable_thread_specific.h>

#include "align/align.h"
#include "base/parallel_region.h"
#include "clean/clean.h"
#include "cluster/cluster.h"
#include "cluster/neighbour_index.h"
#include "dedup/dedup.h"
#include "io/date.h"
#include "io/io.h"
#include "samestory_version.h"
#include "sketch/sketch.h"
#include "text/offsets.h"
#include "text/tokenize.h"
#include "common.h"

namespace samestory::python {
namespace {

// ---- documents and reading ---------------------------------------------------------------------

std::optional<std::string> date_of(const Document& d) {
  if (!d.published.known()) return std::nullopt;
  return d.published.iso();
}

void set_date(Document* d, const std::optional<std::string>& text) {
  if (!text || text->empty()) {
    d->published = PublishedTime{};
    return;
  }
  const DateParse parsed = parse_date(*text);
  if (parsed.error != DateError::kNone) throw py::value_error("not a date samestory can read: '" + *text + "'");
  d->published = parsed.time;
}

Document make_document(std::string id, std::string text, std::string title, std::string outlet,
                       const std::optional<std::string>& date, std::string url, std::string label) {
  Document d;
  d.id = std::move(id);
  d.text = std::move(text);
  d.title = std::move(title);
  d.outlet = std::move(outlet);
  d.url = std::move(url);
  d.label = std::move(label);
  set_date(&d, date);
  return d;
}

ReadOptions read_options(const std::vector<std::string>& fields, const std::string& format, const std::string& outlet,
                         bool strict) {
  ReadOptions options;
  auto parsed = parse_input_format(format);
  if (!parsed) raise(parsed.status());
  options.format = *parsed;
  for (const std::string& spec : fields) {
    if (Status s = options.fields.set(spec); !s) raise(s);
  }
  options.default_outlet = outlet;
  options.strict = strict;
  return options;
}

py::dict counts_dict(const ReadCounts& counts, const ProblemLog& log) {
  py::dict rejected, kept;
  for (size_t r = 0; r < kReasonCount; ++r) {
    const auto reason = static_cast<Reason>(r);
    if (log.count(reason) == 0) continue;
    (reason_rejects(reason) ? rejected : kept)[py::str(std::string(reason_name(reason)))] = log.count(reason);
  }
  py::dict d;
  d["read"] = counts.read;
  d["accepted"] = counts.accepted;
  d["rejected"] = log.rejected();
  d["rejected_by_reason"] = rejected;
  d["kept_with_problems"] = kept;
  d["files"] = counts.files;
  return d;
}

// Reads documents; `files` limits the run to the files [first, last] of the expanded inputs (0-based),
// `records` to the records [first, last] (1-based) of each.
py::tuple read_corpus(const std::vector<std::string>& inputs, const std::vector<std::string>& fields,
                      const std::string& format, const std::string& outlet, bool strict, bool quiet,
                      std::optional<std::pair<uint32_t, uint32_t>> files,
                      std::optional<std::pair<uint64_t, uint64_t>> records) {
  ReadOptions options = read_options(fields, format, outlet, strict);
  if (files) {
    const auto [first_file, last_file] = *files;
    options.file_filter = [first_file, last_file](uint32_t i) { return i >= first_file && i <= last_file; };
    if (records) {
      const auto [first, last] = *records;
      options.record_filter = [first, last](uint32_t, uint64_t r) { return r >= first && r <= last; };
    }
  }
  ProblemLogOptions log_options;
  if (quiet) log_options.sink = nullptr;
  ProblemLog log(log_options);
  std::vector<Document> docs;
  ReadCounts counts;
  {
    py::gil_scoped_release release;
    CorpusReader reader(inputs, options, &log);
    Document doc;
    while (reader.next(&doc)) docs.push_back(std::move(doc));
    counts = reader.counts();
  }
  if (strict && log.total() > 0) {
    throw py::value_error(std::to_string(log.total()) + " problem(s) in the input (strict); see the messages above");
  }
  return py::make_tuple(std::move(docs), counts_dict(counts, log));
}

// ---- cleaning -----------------------------------------------------------------------------------

// The built-in rules and an optional saved model, as one picklable object.
class PyCleaner {
 public:
  PyCleaner(bool rules, std::string model_path) : rules_(rules), model_path_(std::move(model_path)) {
    setup_ = std::make_unique<CleaningSetup>();
    if (Status s = load_cleaning(!rules_, model_path_, setup_.get()); !s) raise(s);
    if (!rules_ && !model_path_.empty()) {
      throw py::value_error("a boilerplate model is applied together with the rules: keep rules=True");
    }
    cleaner_ = std::make_unique<Cleaner>(setup_->rules_used, setup_->model_used);
  }
  bool rules() const { return rules_; }
  const std::string& model_path() const { return model_path_; }
  const Cleaner& cleaner() const { return *cleaner_; }

  py::dict clean(const std::string& text, const std::string& outlet) const {
    CleanedText out;
    cleaner_->clean(text, outlet, &out);
    const CodePointIndex cp(text);
    py::list removed;
    for (const RemovedSpan& r : out.removed) {
      py::dict span;
      span["begin"] = cp.at(r.begin);
      span["end"] = cp.at(r.end);
      span["category"] = std::string(r.category);
      span["reason"] = describe_removal(r);
      span["metadata"] = r.metadata;
      removed.append(span);
    }
    py::dict d;
    d["text"] = out.text;
    d["removed"] = removed;
    d["byline"] = out.byline;
    d["dateline"] = out.dateline;
    return d;
  }

 private:
  bool rules_;
  std::string model_path_;
  std::unique_ptr<CleaningSetup> setup_;
  std::unique_ptr<Cleaner> cleaner_;
};

// ---- sketches and dedup -------------------------------------------------------------------------

DedupOptions dedup_options(double jaccard, double containment, const std::string& keep, int shingle_size,
                           int num_hashes, int rows) {
  DedupOptions o;
  o.jaccard = jaccard;
  o.containment = containment;
  o.shingle_size = shingle_size;
  o.num_hashes = num_hashes;
  o.rows = rows;
  if (num_hashes <= 0 || rows <= 0 || num_hashes % rows != 0) {
    throw py::value_error("num_hashes must be a positive multiple of rows");
  }
  if (keep == "earliest") {
    o.keep = KeepPolicy::kEarliest;
  } else if (keep == "longest") {
    o.keep = KeepPolicy::kLongest;
  } else if (keep == "first") {
    o.keep = KeepPolicy::kFirst;
  } else {
    throw py::value_error("keep must be 'earliest', 'longest' or 'first', not '" + keep + "'");
  }
  return o;
}

// MinHash signatures of texts, written straight into the result array.
py::array_t<uint32_t> signatures(const std::vector<std::string>& texts, int shingle_size, int num_hashes) {
  if (num_hashes <= 0) throw py::value_error("num_hashes must be positive");
  std::vector<uint32_t> out(texts.size() * static_cast<size_t>(num_hashes));
  {
    py::gil_scoped_release release;
    const MinHasher hasher(num_hashes);
    parallel_for_index(size_t{0}, texts.size(), [&](size_t i) {
      thread_local std::vector<Token> tokens;
      tokens.clear();
      tokenize(texts[i], &tokens);
      shingle_signature(tokens, shingle_size, hasher, out.data() + i * static_cast<size_t>(num_hashes));
    });
  }
  return owned_array(std::move(out), {static_cast<py::ssize_t>(texts.size()), num_hashes});
}

// What pass 1 of dedup keeps per document, as columns.
py::dict sketch_documents(const py::sequence& sequence_of_docs, const DedupOptions& options) {
  const DocRefs docs = doc_refs(sequence_of_docs);
  const size_t n = docs.size(), k = static_cast<size_t>(options.num_hashes);
  std::vector<uint64_t> sequence(n), location(n);
  std::vector<uint32_t> shingles(n), text_bytes(n), sig(n * k);
  std::vector<int64_t> published(n);
  {
    py::gil_scoped_release release;
    const Deduplicator dedup(options);
    parallel_for_index(size_t{0}, n, [&](size_t i) {
      thread_local std::vector<Token> tokens;
      thread_local Sketch sketch;
      dedup.sketch(*docs[i], &tokens, &sketch);
      sequence[i] = sketch.sequence;
      shingles[i] = sketch.shingles;
      std::copy(sketch.signature.begin(), sketch.signature.end(), sig.begin() + static_cast<ptrdiff_t>(i * k));
      published[i] = publication_key(docs[i]->published);
      text_bytes[i] = static_cast<uint32_t>(docs[i]->text.size());
      location[i] = Deduplicator::location_of(docs[i]->source);
    });
  }
  py::dict d;
  d["sequence"] = owned_array(std::move(sequence));
  d["shingles"] = owned_array(std::move(shingles));
  d["published"] = owned_array(std::move(published));
  d["text_bytes"] = owned_array(std::move(text_bytes));
  d["location"] = owned_array(std::move(location));
  d["signature"] = owned_array(std::move(sig), {static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(k)});
  return d;
}

py::dict group_dict(const GroupReport& g) {
  py::list members;
  for (const MemberReport& m : g.members) {
    py::dict d;
    d["id"] = m.id;
    d["relation"] = std::string(to_string(m.relation));
    d["jaccard"] = m.jaccard;
    d["containment"] = m.in_rep;
    d["containment_of_representative"] = m.rep_in;
    d["estimated"] = m.estimated;
    d["via"] = m.via.empty() ? py::object(py::none()) : py::object(py::str(m.via));
    members.append(d);
  }
  py::dict d;
  d["representative"] = g.representative;
  d["first"] = g.first;
  d["members"] = members;
  return d;
}

py::dict stats_dict(const DedupStats& s) {
  py::dict d;
  d["documents"] = s.documents;
  d["candidate_pairs"] = s.candidate_pairs;
  d["pairs_to_verify"] = s.pairs_to_verify;
  d["near_edges"] = s.near_edges;
  d["contained_edges"] = s.contained_edges;
  d["rejected_pairs"] = s.rejected_pairs;
  return d;
}

// Shingles the documents needing it and finishes: the second half of a dedup run, on documents
// already added and candidates already found.
py::list finish_dedup(Deduplicator* dedup, const DocRefs& docs) {
  {
    py::gil_scoped_release release;
    std::vector<Token> tokens;
    for (uint32_t d = 0; d < dedup->size(); ++d) {
      if (!dedup->needs_shingles(d)) continue;
      std::vector<uint32_t> set;
      if (!dedup->shingle(d, *docs[d], &tokens, &set)) {
        throw std::logic_error("a document changed while it was deduplicated");
      }
      dedup->add_shingles(d, std::move(set));
    }
    dedup->finish();
  }
  py::list groups;
  for (const DuplicateGroup& g : dedup->groups()) groups.append(group_dict(report_group(*dedup, g)));
  return groups;
}

py::tuple dedup_documents(const py::sequence& sequence_of_docs, const DedupOptions& options) {
  const DocRefs docs = doc_refs(sequence_of_docs);
  Deduplicator dedup(options);
  {
    py::gil_scoped_release release;
    std::vector<Sketch> sketches(docs.size());
    parallel_for_index(size_t{0}, docs.size(), [&](size_t i) {
      thread_local std::vector<Token> tokens;
      dedup.sketch(*docs[i], &tokens, &sketches[i]);
    });
    for (size_t i = 0; i < docs.size(); ++i) dedup.add(*docs[i], sketches[i]);
    dedup.find_candidates();
  }
  py::list groups = finish_dedup(&dedup, docs);
  return py::make_tuple(groups, stats_dict(dedup.stats()));
}

py::array_t<uint64_t> band_keys(const InArray<uint32_t>& sig, int rows) {
  if (sig.ndim() != 2 || rows <= 0 || sig.shape(1) % rows != 0) throw py::value_error("signatures must be (n, K), K a multiple of rows");
  const size_t n = static_cast<size_t>(sig.shape(0)), k = static_cast<size_t>(sig.shape(1));
  const size_t bands = k / static_cast<size_t>(rows);
  std::vector<uint64_t> keys(n * bands);
  const uint32_t* data = sig.data();
  for (size_t i = 0; i < n; ++i) {
    for (size_t b = 0; b < bands; ++b) keys[i * bands + b] = band_key(data + i * k, static_cast<int>(b), rows);
  }
  return owned_array(std::move(keys), {static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(bands)});
}

// Candidate pairs of buckets: entries (bucket, doc) sorted here. With `single_value` (per entry:
// the document's shingles and offer_bound()), the buckets are single-value ones, keyed by
// small_value_key(), and only pairs that single_value_pair() accepts are made.
py::array_t<uint32_t> bucket_pairs(const InArray<uint64_t>& buckets, const InArray<uint32_t>& docs,
                                   std::optional<InArray<uint32_t>> shingles, std::optional<InArray<uint32_t>> bounds,
                                   std::optional<InArray<int16_t>> bands, size_t max_all_pairs,
                                   const DedupOptions& options) {
  const size_t n = static_cast<size_t>(buckets.size());
  if (static_cast<size_t>(docs.size()) != n || shingles.has_value() != bounds.has_value() ||
      (shingles && (static_cast<size_t>(shingles->size()) != n || static_cast<size_t>(bounds->size()) != n)) ||
      (bands && static_cast<size_t>(bands->size()) != n)) {
    throw py::value_error("buckets, docs, shingles, bounds and bands must have one entry each");
  }
  // Entries sorted by (band, key, document): a bucket is a run of equal (band, key).
  struct Entry {
    int16_t band;
    uint64_t key;
    uint32_t doc;
    SingleValueSide side;
    bool operator<(const Entry& o) const {
      return band != o.band ? band < o.band : key != o.key ? key < o.key : doc < o.doc;
    }
  };
  std::vector<Entry> entries(n);
  for (size_t i = 0; i < n; ++i) {
    entries[i] = {bands ? bands->data()[i] : int16_t{0}, buckets.data()[i], docs.data()[i],
                  shingles ? SingleValueSide{shingles->data()[i], bounds->data()[i]} : SingleValueSide{0, 0}};
  }
  std::vector<uint32_t> out;
  {
    py::gil_scoped_release release;
    std::sort(entries.begin(), entries.end());
    std::vector<uint32_t> run_docs;
    std::unordered_map<uint32_t, SingleValueSide> sides;
    for (size_t run = 0; run < n;) {
      size_t stop = run + 1;
      while (stop < n && entries[stop].band == entries[run].band && entries[stop].key == entries[run].key) ++stop;
      if (stop - run >= 2) {
        run_docs.clear();
        sides.clear();
        for (size_t e = run; e < stop; ++e) {
          run_docs.push_back(entries[e].doc);
          sides[entries[e].doc] = entries[e].side;
        }
        const uint32_t value = small_value_of_key(static_cast<uint32_t>(entries[run].key));
        pair_bucket(run_docs.data(), run_docs.size(), max_all_pairs, [&](uint32_t a, uint32_t b) {
          if (shingles && (a == b || !single_value_pair(value, sides[a], sides[b], options))) return;
          const uint64_t p = pair_key(a, b);
          out.push_back(static_cast<uint32_t>(p >> 32));
          out.push_back(static_cast<uint32_t>(p));
        });
      }
      run = stop;
    }
  }
  const auto pairs = static_cast<py::ssize_t>(out.size() / 2);
  return owned_array(std::move(out), {pairs, 2});
}

// What some leads offer to the single-value buckets: the values (offered_values(), all rows one
// after another) and each row's offer_bound().
py::tuple offers(const InArray<uint32_t>& sig, const InArray<uint32_t>& shingles, const DedupOptions& options) {
  const size_t n = static_cast<size_t>(sig.shape(0)), k = static_cast<size_t>(sig.shape(1));
  std::vector<uint32_t> all, bounds(n), values;
  for (size_t i = 0; i < n; ++i) {
    offered_values(sig.data() + i * k, static_cast<int>(k), shingles.data()[i], options, &values);
    bounds[i] = offer_bound(shingles.data()[i], values, options);
    all.insert(all.end(), values.begin(), values.end());
  }
  return py::make_tuple(owned_array(std::move(all)), owned_array(std::move(bounds)));
}

// Entries of the single-value buckets for some leads: (key, row) for each signature value in
// `offered` (sorted), values taken as small_bucket_values() takes them.
py::tuple small_entries(const InArray<uint32_t>& sig, const InArray<uint32_t>& shingles,
                        const InArray<uint32_t>& offered, uint32_t small_shingles) {
  const size_t n = static_cast<size_t>(sig.shape(0)), k = static_cast<size_t>(sig.shape(1));
  std::vector<uint64_t> keys;
  std::vector<uint32_t> rows;
  std::vector<uint32_t> values;
  const uint32_t* sv = offered.data();
  const size_t sv_n = static_cast<size_t>(offered.size());
  for (size_t i = 0; i < n; ++i) {
    small_bucket_values(sig.data() + i * k, static_cast<int>(k), shingles.data()[i] <= small_shingles, &values);
    for (uint32_t v : values) {
      if (std::binary_search(sv, sv + sv_n, v)) {
        keys.push_back(small_value_key(v));
        rows.push_back(static_cast<uint32_t>(i));
      }
    }
  }
  return py::make_tuple(owned_array(std::move(keys)), owned_array(std::move(rows)));
}

py::array_t<bool> promising(const InArray<uint32_t>& sig_a, const InArray<uint32_t>& sig_b,
                            const InArray<uint32_t>& shingles_a, const InArray<uint32_t>& shingles_b,
                            const DedupOptions& options) {
  const size_t n = static_cast<size_t>(sig_a.shape(0)), k = static_cast<size_t>(sig_a.shape(1));
  std::vector<uint8_t> keep(n);
  for (size_t i = 0; i < n; ++i) {
    keep[i] = promising_pair(sig_a.data() + i * k, sig_b.data() + i * k, static_cast<int>(k), shingles_a.data()[i],
                             shingles_b.data()[i], options);
  }
  py::array_t<bool> out(static_cast<py::ssize_t>(n));
  std::memcpy(out.mutable_data(), keep.data(), n);
  return out;
}

// The shingle sets dedup verifies on, as bytes of sorted uint32.
std::vector<py::bytes> shingle_sets(const py::sequence& sequence_of_docs, int shingle_size) {
  const DocRefs docs = doc_refs(sequence_of_docs);
  std::vector<std::string> sets(docs.size());
  {
    py::gil_scoped_release release;
    parallel_for_index(size_t{0}, docs.size(), [&](size_t i) {
      thread_local std::vector<Token> tokens;
      std::vector<uint32_t> set;
      tokens.clear();
      const Document& d = *docs[i];
      tokenize(d.text.empty() ? std::string_view(d.title) : std::string_view(d.text), &tokens);
      shingle_set(tokens, shingle_size, &set);
      sets[i].assign(reinterpret_cast<const char*>(set.data()), set.size() * 4);
    });
  }
  std::vector<py::bytes> out;
  out.reserve(sets.size());
  for (const std::string& s : sets) out.emplace_back(s);
  return out;
}

// Connected parts of a corpus, each deduplicated as a Deduplicator on the whole corpus would: rows
// are documents (any order) with their part's label and corpus number, pairs the candidate pairs
// (corpus numbers) with their part's label. Returns the groups, `first` in corpus numbers, and the
// summed counts.
py::tuple dedup_parts(const InArray<int64_t>& labels, const InArray<int64_t>& gidx, const std::vector<std::string>& ids,
                      const InArray<int64_t>& published, const InArray<uint32_t>& text_bytes,
                      const InArray<uint64_t>& location, const InArray<uint64_t>& sequence,
                      const InArray<uint32_t>& shingles, const InArray<uint32_t>& sig,
                      const std::vector<std::optional<std::string>>& sets, const InArray<int64_t>& pair_labels,
                      const InArray<int64_t>& pair_a, const InArray<int64_t>& pair_b, const DedupOptions& options) {
  const size_t n = ids.size(), k = static_cast<size_t>(options.num_hashes);
  for (size_t size : {static_cast<size_t>(labels.size()), static_cast<size_t>(gidx.size()), sets.size(),
                      static_cast<size_t>(sig.shape(0))}) {
    if (size != n) throw py::value_error("dedup_parts: columns of different lengths");
  }
  std::vector<size_t> rows(n), pairs(static_cast<size_t>(pair_labels.size()));
  std::iota(rows.begin(), rows.end(), size_t{0});
  std::iota(pairs.begin(), pairs.end(), size_t{0});
  const int64_t* L = labels.data();
  const int64_t* G = gidx.data();
  const int64_t* PL = pair_labels.data();
  std::sort(rows.begin(), rows.end(), [&](size_t x, size_t y) { return L[x] != L[y] ? L[x] < L[y] : G[x] < G[y]; });
  std::sort(pairs.begin(), pairs.end(), [&](size_t x, size_t y) { return PL[x] < PL[y]; });
  struct Found {
    std::vector<GroupReport> groups;
    DedupStats stats;
  };
  Found found;
  {
    py::gil_scoped_release release;
    size_t p = 0;
    Sketch sketch;
    for (size_t begin = 0; begin < n;) {
      size_t end = begin + 1;
      while (end < n && L[rows[end]] == L[rows[begin]]) ++end;
      const int64_t label = L[rows[begin]];
      std::vector<int64_t> members;  // corpus numbers, increasing
      Deduplicator dedup(options);
      for (size_t r = begin; r < end; ++r) {
        const size_t i = rows[r];
        members.push_back(G[i]);
        sketch.sequence = sequence.data()[i];
        sketch.shingles = shingles.data()[i];
        sketch.signature.assign(sig.data() + i * k, sig.data() + (i + 1) * k);
        dedup.add(ids[i], published.data()[i], text_bytes.data()[i], location.data()[i], sketch);
      }
      auto local = [&](int64_t g) {
        const auto at = std::lower_bound(members.begin(), members.end(), g);
        if (at == members.end() || *at != g) throw std::logic_error("dedup_parts: a pair leaves its part");
        return static_cast<uint32_t>(at - members.begin());
      };
      while (p < pairs.size() && PL[pairs[p]] < label) ++p;  // pairs of parts without rows: none expected
      std::vector<uint64_t> candidate;
      for (; p < pairs.size() && PL[pairs[p]] == label; ++p) {
        candidate.push_back(pair_key(local(pair_a.data()[pairs[p]]), local(pair_b.data()[pairs[p]])));
      }
      dedup.use_candidates(std::move(candidate));
      for (uint32_t d = 0; d < members.size(); ++d) {
        if (!dedup.needs_shingles(d)) continue;
        const std::optional<std::string>& bytes = sets[rows[begin + d]];
        if (!bytes) throw std::logic_error("dedup_parts: a candidate document has no shingle set");
        std::vector<uint32_t> set(bytes->size() / 4);
        std::memcpy(set.data(), bytes->data(), set.size() * 4);
        dedup.add_shingles(d, std::move(set));
      }
      dedup.finish();
      for (const DuplicateGroup& g : dedup.groups()) {
        GroupReport report = report_group(dedup, g);
        report.first = static_cast<uint32_t>(members[report.first]);
        found.groups.push_back(std::move(report));
      }
      const DedupStats& st = dedup.stats();
      found.stats.near_edges += st.near_edges;
      found.stats.contained_edges += st.contained_edges;
      found.stats.rejected_pairs += st.rejected_pairs;
      found.stats.pairs_to_verify += st.pairs_to_verify;
      found.stats.candidate_pairs += st.candidate_pairs;
      found.stats.documents += st.documents;
      begin = end;
    }
  }
  py::list groups;
  for (const GroupReport& g : found.groups) groups.append(group_dict(g));
  return py::make_tuple(groups, stats_dict(found.stats));
}

// ---- alignment ----------------------------------------------------------------------------------

py::dict align(const std::string& a, const std::string& b) {
  Alignment al;
  {
    py::gil_scoped_release release;
    al = align_texts(AlignText::of(a), AlignText::of(b));
  }
  const CodePointIndex ca(a), cb(b);
  py::list passages;
  for (const SharedPassage& p : al.passages) {
    py::dict d;
    d["a_begin"] = ca.at(p.a.begin);
    d["a_end"] = ca.at(p.a.end);
    d["b_begin"] = cb.at(p.b.begin);
    d["b_end"] = cb.at(p.b.end);
    d["matched_words"] = p.matched_words;
    d["score"] = p.score;
    passages.append(d);
  }
  py::dict d;
  d["passages"] = passages;
  d["a_words"] = al.a_words;
  d["b_words"] = al.b_words;
  d["a_shared"] = al.a_words ? static_cast<double>(al.a_shared_words) / al.a_words : 0.0;
  d["b_shared"] = al.b_words ? static_cast<double>(al.b_shared_words) / al.b_words : 0.0;
  return d;
}

// ---- stories ------------------------------------------------------------------------------------

ClusterOptions cluster_options(double threshold, int32_t window_days) {
  ClusterOptions o;
  o.threshold = threshold;
  o.window_days = std::max(0, window_days);
  return o;
}

int32_t day_of(const Document& d) {
  return d.published.known() ? static_cast<int32_t>(d.published.unix_day()) : kUnknownDay;
}

// Term bags of documents after cleaning, flattened: terms, counts, offsets, and each one's day.
py::tuple term_bags(const py::sequence& sequence_of_docs, const PyCleaner* cleaner) {
  const DocRefs docs = doc_refs(sequence_of_docs);
  std::vector<std::vector<TermCount>> bags(docs.size());
  std::vector<int32_t> days(docs.size());
  {
    py::gil_scoped_release release;
    const FeatureOptions features;
    parallel_for_index(size_t{0}, docs.size(), [&](size_t i) {
      thread_local std::vector<Token> tokens;
      thread_local CleanedText cleaned;
      const Document& d = *docs[i];
      std::string_view text = d.text;
      if (cleaner != nullptr) {
        cleaner->cleaner().clean(d.text, d.outlet, &cleaned);
        text = cleaned.text;
      }
      count_terms(d.title, text, features, &tokens, &bags[i]);
      days[i] = day_of(d);
    });
  }
  py::tuple columns = flat_columns(bags, &TermCount::term, &TermCount::count);
  return py::make_tuple(columns[0], columns[1], columns[2], owned_array(std::move(days)));
}

std::span<const TermCount> bag_at(const InArray<uint32_t>& terms, const InArray<float>& counts,
                                  const InArray<uint64_t>& offsets, size_t i, std::vector<TermCount>* scratch) {
  scratch->clear();
  for (uint64_t p = offsets.data()[i]; p < offsets.data()[i + 1]; ++p) {
    scratch->push_back({terms.data()[p], counts.data()[p]});
  }
  return *scratch;
}

void add_bags(DocumentFrequencies* df, const InArray<uint32_t>& terms, const InArray<float>& counts,
              const InArray<uint64_t>& offsets) {
  std::vector<TermCount> scratch;
  for (size_t i = 0; i + 1 < static_cast<size_t>(offsets.size()); ++i) df->add(bag_at(terms, counts, offsets, i, &scratch));
}

py::tuple df_state(const DocumentFrequencies& df) {
  std::vector<uint32_t> terms, counts;
  df.counts().for_each([&](uint32_t t, uint32_t c) {
    terms.push_back(t);
    counts.push_back(c);
  });
  return py::make_tuple(owned_array(std::move(terms)), owned_array(std::move(counts)), df.documents());
}

DocumentFrequencies df_from_state(const py::tuple& t) {
  DocumentFrequencies df;
  const auto terms = t[0].cast<InArray<uint32_t>>();
  const auto counts = t[1].cast<InArray<uint32_t>>();
  for (py::ssize_t i = 0; i < terms.size(); ++i) df.add_count(terms.data()[i], counts.data()[i]);
  df.add_documents(t[2].cast<uint64_t>());
  return df;
}

// TF-IDF vectors of bags, flattened like the bags.
py::tuple weigh(const InArray<uint32_t>& terms, const InArray<float>& counts, const InArray<uint64_t>& offsets,
                const DocumentFrequencies& df) {
  const size_t n = static_cast<size_t>(offsets.size()) - 1;
  std::vector<std::vector<WeightedTerm>> vectors(n);
  {
    py::gil_scoped_release release;
    const FeatureOptions features;
    std::vector<TermCount> scratch;
    for (size_t i = 0; i < n; ++i) weigh_terms(bag_at(terms, counts, offsets, i, &scratch), df, features.max_terms, &vectors[i]);
  }
  return flat_columns(vectors, &WeightedTerm::term, &WeightedTerm::weight);
}

std::vector<WeightedTerm> vectors_of(const InArray<uint32_t>& terms, const InArray<float>& weights) {
  std::vector<WeightedTerm> v(static_cast<size_t>(terms.size()));
  for (size_t i = 0; i < v.size(); ++i) v[i] = {terms.data()[i], weights.data()[i]};
  return v;
}

// Neighbours of the query articles among the index articles (both in corpus numbers, the index in
// increasing order), given the corpus-wide vector frequencies: docs, cosines, offsets.
py::tuple neighbours(const InArray<uint32_t>& q_docs, const InArray<int32_t>& q_days, const InArray<uint32_t>& q_terms,
                     const InArray<float>& q_weights, const InArray<uint64_t>& q_offsets,
                     const InArray<uint32_t>& i_docs, const InArray<int32_t>& i_days, const InArray<uint32_t>& i_terms,
                     const InArray<float>& i_weights, const InArray<uint64_t>& i_offsets,
                     const InArray<uint32_t>& f_terms, const InArray<uint32_t>& f_counts, double threshold,
                     int32_t window_days) {
  const ClusterOptions options = cluster_options(threshold, window_days);
  U32Map frequency;
  for (py::ssize_t i = 0; i < f_terms.size(); ++i) frequency[f_terms.data()[i]] += f_counts.data()[i];
  NeighbourIndex index(options, frequency);
  index.assign(std::vector<uint32_t>(i_docs.data(), i_docs.data() + i_docs.size()),
               std::vector<int32_t>(i_days.data(), i_days.data() + i_days.size()), vectors_of(i_terms, i_weights),
               std::vector<uint64_t>(i_offsets.data(), i_offsets.data() + i_offsets.size()));
  const std::vector<WeightedTerm> queries = vectors_of(q_terms, q_weights);
  const size_t n = static_cast<size_t>(q_docs.size());
  std::vector<std::vector<Neighbour>> found(n);
  {
    py::gil_scoped_release release;
    tbb::enumerable_thread_specific<NeighbourIndex::Scratch> scratches;
    parallel_for_index(size_t{0}, n, [&](size_t i) {
      const std::span<const WeightedTerm> v(queries.data() + q_offsets.data()[i], q_offsets.data()[i + 1] - q_offsets.data()[i]);
      index.find(q_docs.data()[i], q_days.data()[i], v, &scratches.local(), &found[i]);
    });
  }
  return flat_columns(found, &Neighbour::doc, &Neighbour::cosine);
}

// Each article's shared-neighbour row (near_row), (n, k + 1).
py::array_t<uint32_t> near_rows(const InArray<uint32_t>& docs, const InArray<uint32_t>& n_docs,
                                const InArray<uint64_t>& n_offsets) {
  const uint32_t k = ClusterOptions{}.shared_neighbours;
  const size_t n = static_cast<size_t>(docs.size());
  std::vector<uint32_t> rows(n * (k + 1));
  std::vector<Neighbour> list;
  for (size_t i = 0; i < n; ++i) {
    list.clear();
    for (uint64_t p = n_offsets.data()[i]; p < n_offsets.data()[i + 1]; ++p) list.push_back({n_docs.data()[p], 0.0f});
    near_row(docs.data()[i], list.data(), list.size(), k, &rows[i * (k + 1)]);
  }
  return owned_array(std::move(rows), {static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(k + 1)});
}

// Edges of the query articles' neighbour lists, tempered by shared neighbours; rows of every
// article met (row_docs sorted). Returns a, b, similarity, position in a's list.
py::tuple snn_edges(const InArray<uint32_t>& q_docs, const InArray<uint32_t>& n_docs, const InArray<float>& n_cos,
                    const InArray<uint64_t>& n_offsets, const InArray<uint32_t>& row_docs, const InArray<uint32_t>& rows) {
  const ClusterOptions options;
  const uint32_t k = options.shared_neighbours;
  const uint32_t* rd = row_docs.data();
  const size_t rn = static_cast<size_t>(row_docs.size());
  auto row_of = [&](uint32_t doc) -> const uint32_t* {
    const uint32_t* at = std::lower_bound(rd, rd + rn, doc);
    if (at == rd + rn || *at != doc) throw py::value_error("snn_edges: no neighbour row for an article");
    return rows.data() + static_cast<size_t>(at - rd) * (k + 1);
  };
  std::vector<uint32_t> a, b, order;
  std::vector<float> sim;
  for (size_t i = 0; i < static_cast<size_t>(q_docs.size()); ++i) {
    const uint32_t* ri = row_of(q_docs.data()[i]);
    for (uint64_t p = n_offsets.data()[i]; p < n_offsets.data()[i + 1]; ++p) {
      const uint32_t j = n_docs.data()[p];
      const uint32_t shared = count_shared(ri, row_of(j), k + 1);
      a.push_back(q_docs.data()[i]);
      b.push_back(j);
      sim.push_back(pair_similarity(n_cos.data()[p], shared, k, options.strong_cosine));
      order.push_back(static_cast<uint32_t>(p - n_offsets.data()[i]));
    }
  }
  return py::make_tuple(owned_array(std::move(a)), owned_array(std::move(b)), owned_array(std::move(sim)),
                        owned_array(std::move(order)));
}

// Average linkage of one component (nodes sorted; edges in corpus numbers, listed by a then
// position in a's list): each node's story as its smallest member, and its centrality.
py::tuple link_component(const InArray<uint32_t>& nodes, const InArray<uint32_t>& a, const InArray<uint32_t>& b,
                         const InArray<float>& sim, double threshold) {
  const uint32_t* nd = nodes.data();
  const size_t n = static_cast<size_t>(nodes.size());
  auto local = [&](uint32_t doc) {
    const uint32_t* at = std::lower_bound(nd, nd + n, doc);
    if (at == nd + n || *at != doc) throw py::value_error("link_component: an edge leaves the component");
    return static_cast<uint32_t>(at - nd);
  };
  std::vector<SimilarityEdge> edges;
  for (size_t e = 0; e < static_cast<size_t>(a.size()); ++e) edges.push_back({local(a.data()[e]), local(b.data()[e]), sim.data()[e]});
  const std::vector<uint32_t> label = average_linkage(static_cast<uint32_t>(n), edges, threshold);
  std::vector<uint32_t> smallest(n, UINT32_MAX), story(n);
  for (size_t i = 0; i < n; ++i) {
    if (smallest[label[i]] == UINT32_MAX) smallest[label[i]] = nd[i];
    story[i] = smallest[label[i]];
  }
  std::vector<float> centrality(n, 0.0f);
  for (const SimilarityEdge& e : edges) {
    if (label[e.a] == label[e.b]) centrality[e.a] += e.similarity;
  }
  return py::make_tuple(owned_array(std::move(story)), owned_array(std::move(centrality)));
}

// Stories of documents on one machine, as `samestory cluster` finds them: story labels (numbered
// as the stories file numbers them, from 1) and centralities.
py::tuple cluster_documents(const py::sequence& docs, const PyCleaner* cleaner, double threshold,
                            int32_t window_days) {
  py::tuple bags = term_bags(docs, cleaner);
  const size_t n = py::len(docs);
  const auto terms = bags[0].cast<InArray<uint32_t>>();
  const auto counts = bags[1].cast<InArray<float>>();
  const auto offsets = bags[2].cast<InArray<uint64_t>>();
  const auto days = bags[3].cast<InArray<int32_t>>();
  ClusterResult result;
  {
    py::gil_scoped_release release;
    StoryClusterer clusterer(cluster_options(threshold, window_days));
    std::vector<TermCount> scratch;
    for (size_t i = 0; i < n; ++i) clusterer.add(bag_at(terms, counts, offsets, i, &scratch), days.data()[i]);
    result = clusterer.finish();
  }
  return py::make_tuple(owned_array(std::move(result.story)), owned_array(std::move(result.centrality)));
}

// The stories file `samestory cluster -o` writes, from members' columns (id, outlet, title, date as
// seconds and precision, input index) with each one's story label and centrality.
std::string format_stories(const std::vector<std::string>& ids, const std::vector<std::string>& outlets,
                           const std::vector<std::string>& titles, const InArray<int64_t>& seconds,
                           const InArray<int8_t>& precisions, const InArray<uint64_t>& index,
                           const InArray<uint32_t>& story, const InArray<float>& centrality) {
  const size_t n = ids.size();
  for (size_t size : {outlets.size(), titles.size(), static_cast<size_t>(seconds.size()),
                      static_cast<size_t>(precisions.size()), static_cast<size_t>(index.size()),
                      static_cast<size_t>(story.size()), static_cast<size_t>(centrality.size())}) {
    if (size != n) throw py::value_error("format_stories: columns of different lengths");
  }
  std::vector<StoryMember> members(n);
  for (size_t i = 0; i < n; ++i) {
    const PublishedTime published{seconds.data()[i], static_cast<TimePrecision>(precisions.data()[i])};
    members[i] = {ids[i], outlets[i], titles[i], published, index.data()[i], centrality.data()[i]};
  }
  std::string out;
  std::vector<std::vector<StoryMember>> stories = group_stories(std::move(members), std::vector<uint32_t>(story.data(), story.data() + n));
  for (size_t s = 0; s < stories.size(); ++s) append_story_jsonl(s + 1, &stories[s], &out);
  return out;
}

// Members' columns for format_stories().
py::tuple member_columns(const py::sequence& sequence_of_docs) {
  const DocRefs refs = doc_refs(sequence_of_docs);
  std::vector<std::string> ids, outlets, titles;
  std::vector<int64_t> seconds;
  std::vector<int8_t> precisions;
  for (const Document* p : refs) {
    const Document& d = *p;
    ids.push_back(d.id);
    outlets.push_back(d.outlet);
    titles.push_back(d.title);
    seconds.push_back(d.published.unix_seconds);
    precisions.push_back(static_cast<int8_t>(d.published.precision));
  }
  return py::make_tuple(ids, outlets, titles, owned_array(std::move(seconds)), owned_array(std::move(precisions)));
}

}  // namespace

GroupReport group_from_dict(const py::dict& d) {
  GroupReport g;
  g.representative = d["representative"].cast<std::string>();
  g.first = d["first"].cast<uint32_t>();
  for (const py::handle h : d["members"].cast<py::list>()) {
    const py::dict m = h.cast<py::dict>();
    MemberReport r;
    r.id = m["id"].cast<std::string>();
    const auto relation = relation_from_string(m["relation"].cast<std::string>());
    if (!relation) throw py::value_error("unknown relation in a group");
    r.relation = *relation;
    r.jaccard = m["jaccard"].cast<double>();
    r.in_rep = m["containment"].cast<double>();
    r.rep_in = m["containment_of_representative"].cast<double>();
    r.estimated = m["estimated"].cast<bool>();
    if (!m["via"].is_none()) r.via = m["via"].cast<std::string>();
    g.members.push_back(std::move(r));
  }
  return g;
}

}  // namespace samestory::python

PYBIND11_MODULE(_samestory, m) {
  using namespace samestory;
  using namespace samestory::python;
  using namespace samestory;
  m.doc() = "samestory's engine: reading, cleaning, MinHash, dedup, alignment and story clustering";
  m.attr("__version__") = SAMESTORY_VERSION;

  py::class_<Document>(m, "Document", "One article: id, outlet, date, url, title, text, label and where it was read")
      .def(py::init(&make_document), py::arg("id"), py::arg("text"), py::arg("title") = "", py::arg("outlet") = "",
           py::arg("date") = py::none(), py::arg("url") = "", py::arg("label") = "")
      .def_readwrite("id", &Document::id)
      .def_readwrite("outlet", &Document::outlet)
      .def_readwrite("url", &Document::url)
      .def_readwrite("title", &Document::title)
      .def_readwrite("text", &Document::text)
      .def_readwrite("label", &Document::label)
      .def_property("date", &date_of, &set_date, "ISO 8601 at the precision given (a date alone is a date), or None")
      .def_property_readonly("day", [](const Document& d) -> std::optional<int64_t> {
        if (!d.published.known()) return std::nullopt;
        return d.published.unix_day();
      }, "Days since 1970-01-01, or None")
      .def_property_readonly("source", [](const Document& d) { return d.source.to_string(); },
                             "Where it was read: FILE:LINE")
      .def_property_readonly("file_index", [](const Document& d) { return d.source.file_index; })
      .def_property_readonly("record", [](const Document& d) { return d.source.record; })
      .def("__repr__", [](const Document& d) { return "<samestory.Document " + d.id + ">"; })
      .def(py::pickle(
          [](const Document& d) {
            return py::make_tuple(d.id, d.outlet, d.published.unix_seconds, static_cast<int>(d.published.precision),
                                  d.url, d.title, py::bytes(d.text), d.label, d.source.file, d.source.line,
                                  d.source.record, d.source.byte_offset, d.source.file_index);
          },
          [](const py::tuple& t) {
            Document d;
            d.id = t[0].cast<std::string>();
            d.outlet = t[1].cast<std::string>();
            d.published.unix_seconds = t[2].cast<int64_t>();
            d.published.precision = static_cast<TimePrecision>(t[3].cast<int>());
            d.url = t[4].cast<std::string>();
            d.title = t[5].cast<std::string>();
            d.text = t[6].cast<std::string>();
            d.label = t[7].cast<std::string>();
            d.source.file = t[8].cast<std::string>();
            d.source.line = t[9].cast<uint64_t>();
            d.source.record = t[10].cast<uint64_t>();
            d.source.byte_offset = t[11].cast<uint64_t>();
            d.source.file_index = t[12].cast<uint32_t>();
            return d;
          }));

  m.def("_read", &read_corpus, py::arg("inputs"), py::arg("fields"), py::arg("format"), py::arg("outlet"),
        py::arg("strict"), py::arg("quiet"), py::arg("files") = py::none(), py::arg("records") = py::none());
  m.def("input_files", [](const std::vector<std::string>& inputs) {
    ProblemLogOptions quiet;
    quiet.sink = nullptr;
    ProblemLog log(quiet);
    return CorpusReader(inputs, ReadOptions{}, &log).files();
  }, py::arg("inputs"), "The files the inputs expand to, in reading order, with their sizes");

  py::class_<PyCleaner>(m, "Cleaner", "Removes outlet boilerplate: the built-in rules and, optionally, a saved model")
      .def(py::init<bool, std::string>(), py::arg("rules") = true, py::arg("model") = "")
      .def("clean", &PyCleaner::clean, py::arg("text"), py::arg("outlet") = "",
           "The cleaned text and each removed span (code point offsets into `text`) with its reason")
      .def(py::pickle([](const PyCleaner& c) { return py::make_tuple(c.rules(), c.model_path()); },
                      [](const py::tuple& t) {
                        return std::make_unique<PyCleaner>(t[0].cast<bool>(), t[1].cast<std::string>());
                      }));

  py::class_<DedupOptions>(m, "DedupOptions")
      .def(py::init(&dedup_options), py::arg("jaccard") = 0.8, py::arg("containment") = 0.8,
           py::arg("keep") = "earliest", py::arg("shingle_size") = 5, py::arg("num_hashes") = 64, py::arg("rows") = 2)
      .def_readonly("jaccard", &DedupOptions::jaccard)
      .def_readonly("containment", &DedupOptions::containment)
      .def_readonly("shingle_size", &DedupOptions::shingle_size)
      .def_readonly("num_hashes", &DedupOptions::num_hashes)
      .def_readonly("rows", &DedupOptions::rows)
      .def_readonly("small_document_shingles", &DedupOptions::small_document_shingles)
      .def_readonly("bottom_values", &DedupOptions::bottom_values)
      .def_readonly("single_value_ratio", &DedupOptions::single_value_ratio)
      .def_readonly("max_bucket_pairs", &DedupOptions::max_bucket_pairs)
      .def_property_readonly("keep", [](const DedupOptions& o) { return std::string(to_string(o.keep)); })
      .def(py::pickle(
          [](const DedupOptions& o) {
            return py::make_tuple(o.jaccard, o.containment, std::string(to_string(o.keep)), o.shingle_size,
                                  o.num_hashes, o.rows);
          },
          [](const py::tuple& t) {
            return dedup_options(t[0].cast<double>(), t[1].cast<double>(), t[2].cast<std::string>(), t[3].cast<int>(),
                                 t[4].cast<int>(), t[5].cast<int>());
          }));

  m.def("signatures", &signatures, py::arg("texts"), py::arg("shingle_size") = 5, py::arg("num_hashes") = 64,
        "MinHash signatures (one-permutation hashing, densified) of word shingles: uint32 array (n, num_hashes)");
  m.def("_sketch_documents", &sketch_documents);
  m.def("_dedup", &dedup_documents);
  m.def("_band_keys", &band_keys);
  m.def("_bucket_pairs", &bucket_pairs, py::arg("buckets"), py::arg("docs"), py::arg("shingles"), py::arg("bounds"),
        py::arg("bands"), py::arg("max_all_pairs"), py::arg("options"));
  m.def("_offers", &offers);
  m.def("_small_entries", &small_entries);
  m.def("_promising", &promising);
  m.def("_shingle_sets", &shingle_sets);
  m.def("_dedup_parts", &dedup_parts);
  m.def("format_group", [](size_t number, const py::dict& group) {
    std::string out;
    append_group_jsonl(number, group_from_dict(group), &out);
    return out;
  }, py::arg("number"), py::arg("group"), "A group as one line of `samestory dedup --report`");

  m.def("align", &align, py::arg("a"), py::arg("b"),
        "The passages two texts share, with code point offsets into both, and each side's shared share");

  py::class_<DocumentFrequencies>(m, "DocumentFrequencies", "How many articles hold each term")
      .def(py::init<>())
      .def("add_bags", &add_bags)
      .def("merge", &DocumentFrequencies::merge)
      .def_property_readonly("documents", &DocumentFrequencies::documents)
      .def("save", [](const DocumentFrequencies& df, const std::string& path) {
        if (Status s = df.save(path); !s) raise(s);
      })
      .def_static("load", [](const std::string& path) {
        auto loaded = DocumentFrequencies::load(path);
        if (!loaded) raise(loaded.status());
        return std::move(loaded).value();
      })
      .def(py::pickle(&df_state, &df_from_state));
  m.def("_term_bags", &term_bags, py::arg("docs"), py::arg("cleaner"));
  m.def("_weigh", &weigh);
  m.def("_neighbours", &neighbours);
  m.def("_near_rows", &near_rows);
  m.def("_snn_edges", &snn_edges);
  m.def("_link_component", &link_component);
  m.def("_cluster", &cluster_documents);
  m.def("_format_stories", &format_stories);
  m.def("_member_columns", &member_columns);
  add_main_job(m);
}
