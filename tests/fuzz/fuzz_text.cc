// Fuzzes the text reader (see reader_harness.h for what is checked).
#include "reader_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return samestory::fuzz::read_all(data, size, samestory::make_text_reader);
}
