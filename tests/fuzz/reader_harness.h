// Shared by the reader fuzz targets: feeds arbitrary bytes to one input format and checks what a
// reader guarantees, whatever the input: no crash or leak (ASan), no undefined behaviour (UBSan),
// every record accounted for, and valid UTF-8 in every field of every accepted document.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/utf8.h"
#include "io/format_reader.h"

namespace samestory::fuzz {

inline void check(bool ok) {
  if (!ok) std::abort();
}

using MakeReader = std::unique_ptr<FormatReader> (*)(FileContext, std::unique_ptr<BufferedReader>);

inline int read_all(const uint8_t* data, size_t size, MakeReader make) {
  ReadOptions options;
  options.max_document_bytes = 1 << 20;          // small limits keep each run fast
  options.source.expansion_floor_bytes = 1 << 20;
  options.source.max_expansion_ratio = 50;
  ProblemLogOptions quiet;
  quiet.sink = nullptr;
  ProblemLog log(quiet);
  ReadCounts counts;
  FileContext ctx{"fuzz-input", "fuzz-input", &options, &log, &counts, 0};
  auto in = std::make_unique<BufferedReader>(
      memory_byte_source(std::string(reinterpret_cast<const char*>(data), size), options.source), 4096);
  auto reader = make(ctx, std::move(in));
  Document doc;
  uint64_t accepted = 0;
  while (reader->next(&doc)) {
    ++accepted;
    for (const std::string* field : {&doc.id, &doc.outlet, &doc.url, &doc.title, &doc.text}) {
      check(is_valid_utf8(*field));
    }
    check(!doc.text.empty() || !doc.title.empty());
  }
  check(accepted == counts.accepted);
  check(counts.read == counts.accepted + log.rejected());
  return 0;
}

}  // namespace samestory::fuzz
