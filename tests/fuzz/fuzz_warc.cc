// Fuzzes the WARC reader: record headers, Content-Length, HTTP responses, chunked transfer coding,
// gzip content coding, and resynchronisation after a broken record (see reader_harness.h).
#include "reader_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return samestory::fuzz::read_all(data, size, samestory::make_warc_reader);
}
