// Fuzzes gzip decompression under the JSON Lines reader: the seed corpus is gzip files, so most
// inputs keep the gzip magic and exercise inflate on broken, truncated and concatenated streams.
#include "reader_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return samestory::fuzz::read_all(data, size, samestory::make_json_lines_reader);
}
