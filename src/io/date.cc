#include "base/ascii.h"
#include "io/date.h"

#include <array>
#include <cctype>
#include <optional>

namespace samestory {

// Howard Hinnant's algorithms (public domain), valid for the whole proleptic Gregorian calendar.
int64_t days_from_civil(int year, int month, int day) {
  const int64_t y = static_cast<int64_t>(year) - (month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t mp = (month + 9) % 12;
  const int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilTime civil_from_unix(int64_t unix_seconds) {
  int64_t days = unix_seconds / 86400;
  int64_t secs = unix_seconds % 86400;
  if (secs < 0) {
    secs += 86400;
    --days;
  }
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return {static_cast<int>(y), static_cast<int>(m), static_cast<int>(d), static_cast<int>(secs / 3600),
          static_cast<int>(secs % 3600 / 60), static_cast<int>(secs % 60)};
}

namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[static_cast<size_t>(m - 1)];
}

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek(size_t k = 0) const { return i_ + k < s_.size() ? s_[i_ + k] : '\0'; }
  void skip(size_t n = 1) { i_ += n; }
  size_t pos() const { return i_; }
  void reset(size_t p) { i_ = p; }
  std::string_view rest() const { return s_.substr(i_); }

  bool eat(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  void skip_spaces() {
    while (!done() && (peek() == ' ' || peek() == '\t')) ++i_;
  }
  // Reads between min_digits and max_digits decimal digits.
  std::optional<int> number(size_t min_digits, size_t max_digits) {
    size_t n = 0;
    int v = 0;
    while (n < max_digits && std::isdigit(static_cast<unsigned char>(peek(n)))) v = v * 10 + (peek(n++) - '0');
    if (n < min_digits) return std::nullopt;
    i_ += n;
    return v;
  }
  std::string_view word() {
    size_t n = 0;
    while (std::isalpha(static_cast<unsigned char>(peek(n)))) ++n;
    std::string_view w = s_.substr(i_, n);
    i_ += n;
    return w;
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

int month_from_name(std::string_view w) {
  static constexpr std::array<std::string_view, 12> kNames = {"january", "february", "march",     "april",
                                                             "may",     "june",     "july",      "august",
                                                             "september", "october", "november", "december"};
  if (w.size() < 3) return 0;
  for (size_t m = 0; m < kNames.size(); ++m) {
    if (iequals_ascii(w, kNames[m]) || iequals_ascii(w, kNames[m].substr(0, 3)) || (m == 8 && iequals_ascii(w, "sept"))) {
      return static_cast<int>(m) + 1;
    }
  }
  return 0;
}

bool is_weekday(std::string_view w) {
  static constexpr std::array<std::string_view, 7> kDays = {"monday", "tuesday",  "wednesday", "thursday",
                                                           "friday", "saturday", "sunday"};
  for (auto d : kDays) {
    if (iequals_ascii(w, d) || (w.size() >= 3 && iequals_ascii(w, d.substr(0, 3)))) return true;
  }
  return false;
}

struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int offset_minutes = 0;
  TimePrecision precision = TimePrecision::kNone;
};

// Parses "HH:MM[:SS[.fff]]" with an optional AM/PM. Returns false (cursor unmoved) if absent.
bool parse_clock(Cursor& c, Fields& f) {
  const size_t start = c.pos();
  auto h = c.number(1, 2);
  if (!h || !c.eat(':')) {
    c.reset(start);
    return false;
  }
  auto m = c.number(2, 2);
  if (!m) {
    c.reset(start);
    return false;
  }
  f.hour = *h;
  f.minute = *m;
  f.precision = TimePrecision::kMinute;
  if (c.peek() == ':' && std::isdigit(static_cast<unsigned char>(c.peek(1)))) {
    c.skip();
    f.second = *c.number(1, 2);
    f.precision = TimePrecision::kSecond;
    if (c.peek() == '.' || c.peek() == ',') {
      c.skip();
      while (std::isdigit(static_cast<unsigned char>(c.peek()))) c.skip();
    }
  }
  const size_t before_meridiem = c.pos();
  c.skip_spaces();
  std::string_view w = c.word();
  if (iequals_ascii(w, "am") || iequals_ascii(w, "pm")) {
    if (f.hour == 12) f.hour = 0;
    if (iequals_ascii(w, "pm")) f.hour += 12;
  } else {
    c.reset(before_meridiem);
  }
  return true;
}

// Parses an optional zone: Z, UTC, GMT, +01:00, +0100, -05, and a few common abbreviations.
void parse_zone(Cursor& c, Fields& f) {
  const size_t start = c.pos();
  c.skip_spaces();
  if (c.peek() == 'Z' && !std::isalpha(static_cast<unsigned char>(c.peek(1)))) {
    c.skip();
    return;
  }
  if (c.peek() == '+' || c.peek() == '-') {
    const int sign = c.peek() == '-' ? -1 : 1;
    c.skip();
    auto hh = c.number(2, 2);
    if (hh) {
      c.eat(':');
      auto mm = c.number(2, 2);
      f.offset_minutes = sign * (*hh * 60 + mm.value_or(0));
      return;
    }
    c.reset(start);
    return;
  }
  struct Named {
    std::string_view name;
    int offset_minutes;
  };
  static constexpr std::array<Named, 14> kZones = {{{"UTC", 0},
                                                    {"GMT", 0},
                                                    {"UT", 0},
                                                    {"BST", 60},
                                                    {"CET", 60},
                                                    {"CEST", 120},
                                                    {"EST", -300},
                                                    {"EDT", -240},
                                                    {"CST", -360},
                                                    {"CDT", -300},
                                                    {"MST", -420},
                                                    {"MDT", -360},
                                                    {"PST", -480},
                                                    {"PDT", -420}}};
  std::string_view w = c.word();
  for (const auto& z : kZones) {
    if (iequals_ascii(w, z.name)) {
      f.offset_minutes = z.offset_minutes;
      // "GMT+1" and "UTC-05:00"
      if (c.peek() == '+' || c.peek() == '-') parse_zone(c, f);
      return;
    }
  }
  c.reset(start);
}

// After the date part: an optional clock (after T, space or comma) and zone.
void parse_time_of_day(Cursor& c, Fields& f) {
  const size_t start = c.pos();
  if (c.peek() == 'T' || c.peek() == 't' || c.peek() == ' ' || c.peek() == ',' || c.peek() == '\t') {
    c.skip();
    c.skip_spaces();
    if (iequals_ascii(c.rest().substr(0, 2), "at") && c.peek(2) == ' ') {
      c.skip(2);
      c.skip_spaces();
    }
    if (parse_clock(c, f)) {
      parse_zone(c, f);
      return;
    }
  }
  c.reset(start);
}

bool parse_iso_like(Cursor& c, Fields& f) {
  auto year = c.number(4, 4);
  if (!year) return false;
  f.year = *year;
  f.precision = TimePrecision::kYear;
  if (std::isdigit(static_cast<unsigned char>(c.peek()))) {  // 20250218
    auto m = c.number(2, 2);
    auto d = c.number(2, 2);
    if (!m || !d) return false;
    f.month = *m;
    f.day = *d;
    f.precision = TimePrecision::kDay;
  } else if (c.peek() == '-' || c.peek() == '/' || c.peek() == '.') {
    const char sep = c.peek();
    c.skip();
    auto m = c.number(1, 2);
    if (!m) return false;
    f.month = *m;
    f.precision = TimePrecision::kMonth;
    if (c.peek() == sep) {
      c.skip();
      auto d = c.number(1, 2);
      if (!d) return false;
      f.day = *d;
      f.precision = TimePrecision::kDay;
    }
  }
  if (f.precision == TimePrecision::kDay) parse_time_of_day(c, f);
  return true;
}

// "18-FEB-2025 09:30", "18 February 2025", "Tue, 18 Feb 2025 09:30:05 GMT", "February 18, 2025".
bool parse_named_month(Cursor& c, Fields& f) {
  // An optional weekday.
  const size_t start = c.pos();
  std::string_view w = c.word();
  if (!w.empty() && is_weekday(w) && month_from_name(w) == 0) {
    c.eat('.');
    c.eat(',');
    c.skip_spaces();
  } else {
    c.reset(start);
  }
  // Day before month ("18-FEB-2025", "18 February 2025") or after it ("February 18th, 2025").
  std::optional<int> day;
  int month = 0;
  if (std::isdigit(static_cast<unsigned char>(c.peek()))) {
    day = c.number(1, 2);
    if (!day || (!c.eat('-') && !c.eat(' ') && !c.eat('/'))) return false;
    c.skip_spaces();
    month = month_from_name(c.word());
    c.eat('.');
    if (!c.eat('-') && !c.eat(' ') && !c.eat('/') && !c.eat(',')) return false;
  } else {
    month = month_from_name(c.word());
    c.eat('.');
    c.skip_spaces();
    day = c.number(1, 2);
    const size_t before_suffix = c.pos();
    const std::string_view suffix = c.word();
    if (!(iequals_ascii(suffix, "st") || iequals_ascii(suffix, "nd") || iequals_ascii(suffix, "rd") ||
          iequals_ascii(suffix, "th"))) {
      c.reset(before_suffix);
    }
    c.eat(',');
  }
  c.skip_spaces();
  const auto year = c.number(4, 4);
  if (month == 0 || !day || !year) return false;
  f.day = *day;
  f.month = month;
  f.year = *year;
  f.precision = TimePrecision::kDay;
  parse_time_of_day(c, f);
  return true;
}

DateParse finish(const Fields& f) {
  DateParse out;
  const bool month_ok = f.precision < TimePrecision::kMonth || (f.month >= 1 && f.month <= 12);
  const bool day_ok =
      f.precision < TimePrecision::kDay || (month_ok && f.day >= 1 && f.day <= days_in_month(f.year, f.month));
  const bool clock_ok = f.precision < TimePrecision::kMinute ||
                        (f.hour >= 0 && f.hour <= 23 && f.minute >= 0 && f.minute <= 59 && f.second >= 0 &&
                         f.second <= 60);
  if (f.year < kMinPlausibleYear || f.year > kMaxPlausibleYear || !month_ok || !day_ok || !clock_ok) {
    out.error = DateError::kImpossible;
    return out;
  }
  const int month = f.precision >= TimePrecision::kMonth ? f.month : 1;
  const int day = f.precision >= TimePrecision::kDay ? f.day : 1;
  int64_t t = days_from_civil(f.year, month, day) * 86400;
  if (f.precision >= TimePrecision::kMinute) {
    t += f.hour * 3600 + f.minute * 60 + (f.second == 60 ? 59 : f.second);
    t -= static_cast<int64_t>(f.offset_minutes) * 60;
  }
  out.time.unix_seconds = t;
  out.time.precision = f.precision;
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

DateParse parse_epoch(std::string_view digits) {
  digits = trim(digits);
  DateParse out;
  bool negative = !digits.empty() && digits.front() == '-';
  if (negative) digits.remove_prefix(1);
  size_t frac = digits.find('.');
  std::string_view whole = digits.substr(0, frac);
  if (whole.empty() || whole.size() > 14) {
    out.error = DateError::kMalformed;
    return out;
  }
  int64_t v = 0;
  for (char ch : whole) {
    if (!std::isdigit(static_cast<unsigned char>(ch))) {
      out.error = DateError::kMalformed;
      return out;
    }
    v = v * 10 + (ch - '0');
  }
  if (whole.size() >= 12) v /= 1000;  // milliseconds
  if (negative) v = -v;
  const CivilTime c = civil_from_unix(v);
  if (c.year < kMinPlausibleYear || c.year > kMaxPlausibleYear) {
    out.error = DateError::kImpossible;
    return out;
  }
  out.time.unix_seconds = v;
  out.time.precision = TimePrecision::kSecond;
  return out;
}

DateParse parse_date(std::string_view text) {
  text = trim(text);
  DateParse bad;
  bad.error = DateError::kMalformed;
  if (text.empty()) return bad;

  bool all_digits = true;
  for (char ch : text) all_digits = all_digits && (std::isdigit(static_cast<unsigned char>(ch)) || ch == '.');
  if (all_digits && text.find('.') == std::string_view::npos && text.size() >= 9) return parse_epoch(text);

  Fields f;
  Cursor c(text);
  bool parsed = parse_iso_like(c, f);
  if (!parsed) {
    c.reset(0);
    f = Fields();
    parsed = parse_named_month(c, f);
  }
  if (!parsed) return bad;
  // Whatever follows a complete date must be separated from it by a non-alphanumeric byte.
  std::string_view rest = c.rest();
  if (!rest.empty() && std::isalnum(static_cast<unsigned char>(rest.front()))) return bad;
  return finish(f);
}

}  // namespace samestory
