// deduplicate_corpus: the two passes of Deduplicator over a corpus on disk.
//
// Pass 1 reads and sketches every document (in parallel, stored in input order); pass 2 reads
// the inputs again and shingles only the documents of candidate components. The inputs must be
// re-readable files (the CLI spools standard input to a temporary file first). Problems in the
// input are reported to `log` in pass 1 only.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "dedup/deduplicator.h"
#include "io/corpus_reader.h"

namespace samestory {

struct CorpusDedupHooks {
  // Called now and then from one thread: pass (1 or 2), bytes done, bytes total, documents.
  std::function<void(int, uint64_t, uint64_t, uint64_t)> progress;
  const std::atomic<bool>* stop = nullptr;
};

// Runs both passes and Deduplicator::finish(). Returns pass 1's read counts; fails if the input
// changed between the passes or the run was stopped.
Result<ReadCounts> deduplicate_corpus(const std::vector<std::string>& inputs, const ReadOptions& options,
                                      ProblemLog* log, Deduplicator* dedup, const CorpusDedupHooks& hooks = {});

}  // namespace samestory
