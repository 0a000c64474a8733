// process_in_batches: read documents on one thread, work on them on many, finish them in order.
//
// The reader fills batches of about `batch_bytes` of text; `work` runs on up to the number of
// threads the process allows (tbb::global_control), on several batches at once; `finish` sees the
// batches one at a time, in input order. So output written from `finish` is identical for any
// thread count, and memory holds at most `2 x threads + 2` batches.
//
// Finished batches are reused, so their buffers keep the memory they grew: a payload with a
// clear() member (a string, a vector, or a struct that says what to keep) is cleared, any other is
// made anew. A fresh multi-megabyte output string per batch cost a page fault per 4 KB written
// and a copy on every doubling, 6% of `samestory clean`.
#pragma once

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <memory>
#include <mutex>
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
  std::mutex spare_mutex;
  std::vector<std::unique_ptr<Batch>> spare;
  auto take_batch = [&] {
    const std::lock_guard<std::mutex> lock(spare_mutex);
    if (spare.empty()) return std::make_unique<Batch>();
    std::unique_ptr<Batch> batch = std::move(spare.back());
    spare.pop_back();
    return batch;
  };
  auto give_back = [&](std::unique_ptr<Batch> batch) {
    batch->documents.clear();
    if constexpr (requires(Payload& p) { p.clear(); }) {
      batch->payload.clear();
    } else {
      batch->payload = Payload{};
    }
    const std::lock_guard<std::mutex> lock(spare_mutex);
    spare.push_back(std::move(batch));
  };
  ParallelRegion region;
  auto stages =
      tbb::make_filter<void, Batch*>(tbb::filter_mode::serial_in_order,
                                     [&](tbb::flow_control& fc) -> Batch* {
                                       ParallelRegion::Task task;
                                       if (exhausted || (options.stop && options.stop->load())) {
                                         fc.stop();
                                         return nullptr;
                                       }
                                       std::unique_ptr<Batch> batch = take_batch();
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
                                         give_back(std::move(batch));
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
            give_back(std::move(owned));
          });
  region.fork();
  tbb::parallel_pipeline(tokens, stages);
  region.join();
}

}  // namespace samestory
