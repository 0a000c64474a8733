#include "dedup/corpus_dedup.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <utility>
#include <vector>

#include "io/batches.h"

namespace samestory {

Result<ReadCounts> deduplicate_corpus(const std::vector<std::string>& inputs, const ReadOptions& options,
                                      ProblemLog* log, Deduplicator* dedup, const CorpusDedupHooks& hooks) {
  BatchOptions batch_options;
  batch_options.stop = hooks.stop;
  auto stopped = [&] { return hooks.stop != nullptr && hooks.stop->load(); };
  auto progress = [&](int pass, const CorpusReader& reader, uint64_t docs) {
    if (hooks.progress) hooks.progress(pass, reader.bytes_done(), reader.bytes_total(), docs);
  };

  using Clock = std::chrono::steady_clock;
  auto seconds_since = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  auto phase = Clock::now();
  ReadCounts counts;
  {
    CorpusReader reader(inputs, options, log);
    const size_t first_doc = dedup->size();  // documents are numbered on from those added before
    process_in_batches<std::vector<Sketch>>(
        reader, batch_options,
        [&](DocumentBatch<std::vector<Sketch>>& batch) {
          std::vector<Token> scratch;
          batch.payload.resize(batch.documents.size());
          for (size_t i = 0; i < batch.documents.size(); ++i) {
            const auto doc = static_cast<uint32_t>(first_doc + batch.first_index + i);
            dedup->sketch(batch.documents[i], &scratch, &batch.payload[i], dedup->signature_slot(doc));
          }
        },
        [&](DocumentBatch<std::vector<Sketch>>& batch) {
          for (size_t i = 0; i < batch.documents.size(); ++i) dedup->add_sketched(batch.documents[i], batch.payload[i]);
          progress(1, reader, dedup->size());
        });
    counts = reader.counts();
  }
  if (stopped()) return Status::io_error("interrupted");
  dedup->mutable_stats().sketch_seconds = seconds_since(phase);
  phase = Clock::now();
  dedup->find_candidates();
  dedup->mutable_stats().candidate_seconds = seconds_since(phase);
  phase = Clock::now();

  // Pass 2 reads only the records of documents in candidate components, found by where they
  // were read from; the rest are passed over without being parsed. Records come in the order of
  // their locations, so the wanted ones are met in the order of `needed`: a cursor walks it, and
  // the n-th document read in pass 2 is needed[n] (a hash lookup per record cost more).
  std::vector<std::pair<uint64_t, uint32_t>> needed;  // (location, document)
  for (uint32_t d = 0; d < dedup->size(); ++d) {
    if (dedup->needs_shingles(d)) needed.emplace_back(dedup->location(d), d);
  }
  std::stable_sort(needed.begin(), needed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  ReadOptions reread = options;
  reread.record_filter = [&needed, next = size_t{0}](uint32_t file, uint64_t record) mutable {
    const uint64_t location = (static_cast<uint64_t>(file) << 40) | record;
    while (next < needed.size() && needed[next].first < location) ++next;
    return next < needed.size() && needed[next].first == location;
  };
  ProblemLogOptions silent;
  silent.sink = nullptr;
  ProblemLog quiet(silent);
  CorpusReader reader(inputs, reread, &quiet);
  uint64_t seen = 0;
  std::atomic<bool> changed{false};
  using Sets = std::vector<std::pair<uint32_t, std::vector<uint32_t>>>;
  process_in_batches<Sets>(
      reader, batch_options,
      [&](DocumentBatch<Sets>& batch) {
        std::vector<Token> scratch;
        for (size_t i = 0; i < batch.documents.size(); ++i) {
          const Document& doc = batch.documents[i];
          const size_t n = batch.first_index + i;
          if (n >= needed.size() || needed[n].first != Deduplicator::location_of(doc.source)) {
            changed = true;
            continue;
          }
          batch.payload.emplace_back(needed[n].second, std::vector<uint32_t>());
          if (!dedup->shingle(needed[n].second, doc, &scratch, &batch.payload.back().second)) changed = true;
        }
      },
      [&](DocumentBatch<Sets>& batch) {
        if (changed) return;  // the run fails below; a set may be missing
        for (auto& [doc, set] : batch.payload) dedup->add_shingles(doc, std::move(set));
        seen += batch.payload.size();
        progress(2, reader, seen);
      });
  if (stopped()) return Status::io_error("interrupted");
  if (changed || seen != needed.size()) {
    return Status::data_error("the input changed between the two passes over it");
  }
  dedup->mutable_stats().verify_seconds = seconds_since(phase);
  phase = Clock::now();
  dedup->finish();
  dedup->mutable_stats().group_seconds = seconds_since(phase);
  return counts;
}

}  // namespace samestory
