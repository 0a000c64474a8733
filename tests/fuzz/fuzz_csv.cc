// Fuzzes the CSV reader (see reader_harness.h for what is checked).
#include "reader_harness.h"

namespace {
std::unique_ptr<samestory::FormatReader> make_csv(samestory::FileContext ctx,
                                                  std::unique_ptr<samestory::BufferedReader> in) {
  return samestory::make_csv_reader(std::move(ctx), std::move(in), ',');
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return samestory::fuzz::read_all(data, size, make_csv);
}
