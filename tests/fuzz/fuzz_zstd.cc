// Fuzzes zstd decompression under the JSON Lines reader: the seed corpus is zstd files, so most
// inputs keep the zstd magic and exercise the decoder on broken, truncated and concatenated frames.
#include "reader_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return samestory::fuzz::read_all(data, size, samestory::make_json_lines_reader);
}
