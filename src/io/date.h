// Parsing published dates as news data writes them.
//
// Accepted forms (case-insensitive month names, English):
//   2025-02-18, 2025-02, 2025, 2025/02/18, 20250218
//   2025-02-18T09:30, 2025-02-18 09:30:05.123, with Z, UTC, GMT, +01:00, +0100 or -05
//   18-FEB-2025 09:30:05.12 (Reuters-21578), 18 Feb 2025, 18 February 2025 09:30
//   Tue, 18 Feb 2025 09:30:05 GMT (RFC 2822), February 18, 2025, Feb. 18, 2025 9:30
//   Unix epoch numbers: 9-11 digits are seconds, 12-14 digits are milliseconds
// Text after a complete date that is separated from it by a non-alphanumeric byte is ignored
// (Reuters appends control codes), so "18-FEB-2025 09:30:05.12&#9;F" still parses.
#pragma once

#include <cstdint>
#include <string_view>

#include "io/document.h"

namespace samestory {

enum class DateError : uint8_t {
  kNone = 0,
  kMalformed,   // not a date in any accepted form
  kImpossible,  // a date form with out-of-range parts: month 13, 30 February, hour 25, year 40000
};

struct DateParse {
  PublishedTime time;
  DateError error = DateError::kNone;
};

// Years outside this range are reported as impossible: no news archive reaches them.
inline constexpr int kMinPlausibleYear = 1800;
inline constexpr int kMaxPlausibleYear = 2200;

DateParse parse_date(std::string_view text);

// Parses a Unix epoch given as a JSON number or digit string (seconds or milliseconds by size).
DateParse parse_epoch(std::string_view digits);

struct CivilTime {
  int year, month, day, hour, minute, second;
};
CivilTime civil_from_unix(int64_t unix_seconds);
int64_t days_from_civil(int year, int month, int day);

}  // namespace samestory
