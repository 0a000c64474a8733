#include "dedup/corpus_dedup.h"

#include <fmt/format.h>

#include <chrono>

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
    process_in_batches<std::vector<Sketch>>(
        reader, batch_options,
        [&](DocumentBatch<std::vector<Sketch>>& batch) {
          std::vector<Token> scratch;
          batch.payload.resize(batch.documents.size());
          for (size_t i = 0; i < batch.documents.size(); ++i) dedup->sketch(batch.documents[i], &scratch, &batch.payload[i]);
        },
        [&](DocumentBatch<std::vector<Sketch>>& batch) {
          for (size_t i = 0; i < batch.documents.size(); ++i) dedup->add(batch.documents[i], batch.payload[i]);
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

  ProblemLogOptions silent;
  silent.sink = nullptr;
  ProblemLog quiet(silent);
  CorpusReader reader(inputs, options, &quiet);
  uint64_t seen = 0;
  using Sets = std::vector<std::pair<uint32_t, std::vector<uint32_t>>>;
  process_in_batches<Sets>(
      reader, batch_options,
      [&](DocumentBatch<Sets>& batch) {
        std::vector<Token> scratch;
        for (size_t i = 0; i < batch.documents.size(); ++i) {
          const auto doc = static_cast<uint32_t>(batch.first_index + i);
          if (doc >= dedup->size() || !dedup->needs_shingles(doc)) continue;
          batch.payload.emplace_back(doc, std::vector<uint32_t>());
          dedup->shingle(batch.documents[i], &scratch, &batch.payload.back().second);
        }
      },
      [&](DocumentBatch<Sets>& batch) {
        for (auto& [doc, set] : batch.payload) dedup->add_shingles(doc, std::move(set));
        seen += batch.documents.size();
        progress(2, reader, seen);
      });
  if (stopped()) return Status::io_error("interrupted");
  if (seen != dedup->size()) {
    return Status::data_error(
        fmt::format("the input changed while it was read ({} documents, then {})", dedup->size(), seen));
  }
  dedup->mutable_stats().verify_seconds = seconds_since(phase);
  phase = Clock::now();
  dedup->finish();
  dedup->mutable_stats().group_seconds = seconds_since(phase);
  return counts;
}

}  // namespace samestory
