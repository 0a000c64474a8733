// Fuzzes date parsing: any bytes; a parsed date must print as ISO 8601 that parses back to itself.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "io/date.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace samestory;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const DateParse parsed = parse_date(text);
  if (parsed.error == DateError::kNone) {
    const DateParse again = parse_date(parsed.time.iso());
    if (again.error != DateError::kNone || again.time.unix_seconds != parsed.time.unix_seconds ||
        again.time.precision != parsed.time.precision) {
      std::abort();
    }
  }
  parse_epoch(text);
  return 0;
}
