#include "io/date.h"

#include <gtest/gtest.h>

namespace samestory {
namespace {

std::string iso(std::string_view text) {
  const DateParse p = parse_date(text);
  EXPECT_EQ(p.error, DateError::kNone) << text;
  return p.time.iso();
}

TEST(Date, IsoForms) {
  EXPECT_EQ(iso("2025-02-18"), "2025-02-18");
  EXPECT_EQ(parse_date("2025-02-18").time.precision, TimePrecision::kDay);
  EXPECT_EQ(iso("2025-02"), "2025-02");
  EXPECT_EQ(iso("2025"), "2025");
  EXPECT_EQ(iso("20250218"), "2025-02-18");
  EXPECT_EQ(iso("2025/02/18"), "2025-02-18");
  EXPECT_EQ(iso("2016-05-04T00:00:00"), "2016-05-04T00:00:00Z");
  EXPECT_EQ(iso("2025-02-18 09:30"), "2025-02-18T09:30Z");
  EXPECT_EQ(iso("2025-02-18T09:30:05.123Z"), "2025-02-18T09:30:05Z");
  EXPECT_EQ(iso("2025-02-18T10:30:05+01:00"), "2025-02-18T09:30:05Z");
  EXPECT_EQ(iso("2025-02-18T04:30:05-0500"), "2025-02-18T09:30:05Z");
  EXPECT_EQ(iso("2025-02-18T00:30:00+01:00"), "2025-02-17T23:30:00Z");
}

TEST(Date, NamedMonthForms) {
  EXPECT_EQ(iso("19-OCT-1987 15:37:46.03"), "1987-10-19T15:37:46Z");
  EXPECT_EQ(iso("26-FEB-1987 15:01:01.79&#9;&#9;&#9;F"), "1987-02-26T15:01:01Z");  // Reuters' control codes
  EXPECT_EQ(iso("Tue, 18 Feb 2025 09:30:05 GMT"), "2025-02-18T09:30:05Z");
  EXPECT_EQ(iso("18 February 2025"), "2025-02-18");
  EXPECT_EQ(iso("February 18, 2025"), "2025-02-18");
  EXPECT_EQ(iso("Feb. 18th, 2025 9:30 pm EST"), "2025-02-19T02:30Z");
  EXPECT_EQ(iso("Sept 1, 2024"), "2024-09-01");
}

TEST(Date, Epochs) {
  EXPECT_EQ(parse_epoch("1394470370698").time.iso(), "2014-03-10T16:52:50Z");  // UCI: milliseconds
  EXPECT_EQ(parse_epoch("1739836800").time.iso(), "2025-02-18T00:00:00Z");
  EXPECT_EQ(parse_date("1739836800").time.iso(), "2025-02-18T00:00:00Z");
}

TEST(Date, ImpossibleDatesAreToldApartFromMalformedOnes) {
  for (const char* impossible : {"2025-02-30", "2023-02-29", "2025-13-01", "2025-00-10", "2025-02-18T25:00",
                                 "2025-02-18T10:61", "0000-01-01", "40000101", "31-APR-2025"}) {
    EXPECT_EQ(parse_date(impossible).error, DateError::kImpossible) << impossible;
  }
  EXPECT_EQ(parse_date("2024-02-29").error, DateError::kNone);  // a leap year
  for (const char* malformed : {"", "yesterday", "2025-02-18x", "18 Smarch 2025", "12/5", "--", "2025-"}) {
    EXPECT_EQ(parse_date(malformed).error, DateError::kMalformed) << malformed;
  }
}

TEST(Date, CivilRoundTrip) {
  for (int64_t day = -800000; day <= 800000; day += 997) {
    const CivilTime c = civil_from_unix(day * 86400);
    EXPECT_EQ(days_from_civil(c.year, c.month, c.day), day);
  }
}

}  // namespace
}  // namespace samestory
