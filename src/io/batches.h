// process_in_batches: read documents on one thread, work on them on many, finish them in order.
//
// The reader fills batches of about `batch_bytes` of text; `work` runs on up to the number of
// threads the process allows (tbb::global_control), on several batches at once; `finish` sees the
// batches one at a time, in input order. So output written from `finish` is identical for any
// thread count, and memory holds at most `2 x threads + 2` batches.
#pragma once

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <memory>
#include <vector>

#include "base/parallel_region.h"
#include "io/corpus_reader.h"

namespace samestory {

struct BatchOptions {
  size_t batch_bytes = 4u << 20;
  size_t max_batch_documents = 4096;
  // Checked before each batch is read; when it becomes true, no further batch is started.
  const std::atomic<bool>* stop = nullptr;
};

template <typename Payload>
struct DocumentBatch {
  std::vector<Document> documents;
  uint64_t first_index = 0;  // index of documents[0] among all accepted documents
  Payload payload{};
};

template <typename Payload, typename Work, typename Finish>
void process_in_batches(CorpusReader& reader, const BatchOptions& options, Work&& work, Finish&& finish) {
  using Batch = DocumentBatch<Payload>;
  uint64_t next_index = 0;
  bool exhausted = false;
  const size_t tokens = 2 * static_cast<size_t>(tbb::this_task_arena::max_concurrency()) + 2;
  ParallelRegion region;
  auto stages =
      tbb::make_filter<void, Batch*>(tbb::filter_mode::serial_in_order,
                                     [&](tbb::flow_control& fc) -> Batch* {
                                       ParallelRegion::Task task;
                                       if (exhausted || (options.stop && options.stop->load())) {
                                         fc.stop();
                                         return nullptr;
                                       }
                                       auto batch = std::make_unique<Batch>();
                                       batch->first_index = next_index;
                                       size_t bytes = 0;
                                       Document doc;
                                       while (bytes < options.batch_bytes &&
                                              batch->documents.size() < options.max_batch_documents) {
                                         if (!reader.next(&doc)) {
                                           exhausted = true;
                                           break;
                                         }
                                         bytes += doc.text.size() + doc.title.size() + 64;
                                         batch->documents.push_back(std::move(doc));
                                       }
                                       if (batch->documents.empty()) {
                                         fc.stop();
                                         return nullptr;
                                       }
                                       next_index += batch->documents.size();
                                       return batch.release();
                                     }) &
          tbb::make_filter<Batch*, Batch*>(tbb::filter_mode::parallel,
                                           [&](Batch* batch) {
                                             ParallelRegion::Task task;
                                             work(*batch);
                                             return batch;
                                           }) &
          tbb::make_filter<Batch*, void>(tbb::filter_mode::serial_in_order, [&](Batch* batch) {
            ParallelRegion::Task task;
            std::unique_ptr<Batch> owned(batch);
            finish(*owned);
          });
  region.fork();
  tbb::parallel_pipeline(tokens, stages);
  region.join();
}

}  // namespace samestory
