#include "clean/rules.h"

#include <fmt/format.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <unordered_set>

namespace samestory {

namespace {

constexpr std::string_view kCategories[] = {"ad",     "prompt",    "share",      "related", "caption",
                                            "media",  "cookie",    "legal",      "separator",
                                            "navigation", "byline", "dateline"};

bool known_category(std::string_view c) {
  return std::find(std::begin(kCategories), std::end(kCategories), c) != std::end(kCategories);
}

RE2::Options rule_options() {
  RE2::Options o;
  o.set_encoding(RE2::Options::EncodingUTF8);
  o.set_log_errors(false);
  o.set_max_mem(64 << 20);  // the DFA of a few hundred alternatives over long lines needs room
  return o;
}

// Splits off the next white-space separated field of `rest`.
std::string_view next_field(std::string_view* rest) {
  size_t b = 0;
  while (b < rest->size() && ((*rest)[b] == ' ' || (*rest)[b] == '\t')) ++b;
  size_t e = b;
  while (e < rest->size() && (*rest)[e] != ' ' && (*rest)[e] != '\t') ++e;
  std::string_view field = rest->substr(b, e - b);
  *rest = rest->substr(e);
  return field;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// A line rule whose pattern starts with `.` ("... all rights reserved", "... | Reuters") must scan
// the whole line to fail, while the others fail within a few bytes of its start. Kept in the
// anchored line set, the scanning ones kept the whole set's DFA running to the end of every line;
// they are matched instead with the span rules, which scan every line anyway, as ^(?:P)$. That
// is a matter of speed only: either way a line rule must match the whole line.
bool scans_whole_line(std::string_view pattern) {
  // Leading flag groups such as (?i) or (?s) do not consume text.
  while (pattern.starts_with("(?")) {
    size_t i = 2;
    while (i < pattern.size() && (std::isalpha(static_cast<unsigned char>(pattern[i])) || pattern[i] == '-')) ++i;
    if (i >= pattern.size() || pattern[i] != ')') break;
    pattern.remove_prefix(i + 1);
  }
  return pattern.starts_with('.');
}

}  // namespace

bool is_metadata_category(std::string_view category) { return category == "byline" || category == "dateline"; }

struct RuleSet::Compiled {
  Compiled() : line_set(rule_options(), RE2::ANCHOR_BOTH), scan_set(rule_options(), RE2::UNANCHORED) {}
  RE2::Set line_set;  // line rules that fail early, anchored at both ends
  RE2::Set scan_set;  // span rules, and line rules that scan (scans_whole_line) as ^(?:P)$
  std::vector<uint32_t> line_rules;  // set index -> rule index
  std::vector<uint32_t> scan_rules;
  std::vector<std::unique_ptr<RE2>> regex;  // by rule index, for positions and the fallback
};

RuleSet::RuleSet() = default;
RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;

Status RuleSet::add(std::string_view text, std::string_view origin) {
  std::unordered_set<std::string> names;
  for (const Rule& r : rules_) names.insert(r.name);
  uint64_t line_number = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_number;
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    const std::string where = fmt::format("{}:{}", origin, line_number);
    Rule rule;
    rule.origin = where;
    std::string_view rest = line;
    rule.name = std::string(next_field(&rest));
    const std::string_view scope = next_field(&rest);
    rule.category = std::string(next_field(&rest));
    rule.pattern = std::string(trim(rest));
    if (rule.pattern.empty()) {
      return Status::invalid_argument(
          fmt::format("{}: a rule needs four fields: NAME SCOPE CATEGORY PATTERN", where));
    }
    if (scope == "line") {
      rule.scope = RuleScope::kLine;
    } else if (scope == "span") {
      rule.scope = RuleScope::kSpan;
    } else {
      return Status::invalid_argument(fmt::format("{}: unknown scope '{}' (line or span)", where, scope));
    }
    if (!known_category(rule.category)) {
      return Status::invalid_argument(fmt::format(
          "{}: unknown category '{}' (ad, prompt, share, related, caption, media, cookie, legal, separator, "
          "navigation, byline, dateline)",
          where, rule.category));
    }
    if (!names.insert(rule.name).second) {
      return Status::invalid_argument(fmt::format("{}: a rule named '{}' is already defined", where, rule.name));
    }
    RE2 check(rule.pattern, rule_options());
    if (!check.ok()) {
      return Status::invalid_argument(fmt::format("{}: rule '{}': bad pattern: {}", where, rule.name, check.error()));
    }
    rules_.push_back(std::move(rule));
  }
  compiled_.reset();
  return Status::ok();
}

Status RuleSet::add_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::io_error(fmt::format("{}: cannot open the rules file", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::io_error(fmt::format("{}: cannot read the rules file", path));
  return add(buffer.str(), path);
}

Status RuleSet::compile() {
  auto c = std::make_unique<Compiled>();
  for (uint32_t i = 0; i < rules_.size(); ++i) {
    const Rule& r = rules_[i];
    std::string error;
    const bool in_line_set = r.scope == RuleScope::kLine && !scans_whole_line(r.pattern);
    const bool wrapped = r.scope == RuleScope::kLine && !in_line_set;
    RE2::Set& set = in_line_set ? c->line_set : c->scan_set;
    if (set.Add(wrapped ? "^(?:" + r.pattern + ")$" : r.pattern, &error) < 0) {
      return Status::invalid_argument(fmt::format("{}: rule '{}': bad pattern: {}", r.origin, r.name, error));
    }
    (in_line_set ? c->line_rules : c->scan_rules).push_back(i);
    c->regex.push_back(std::make_unique<RE2>(r.pattern, rule_options()));
  }
  if ((!c->line_rules.empty() && !c->line_set.Compile()) || (!c->scan_rules.empty() && !c->scan_set.Compile())) {
    return Status::invalid_argument("the rules are too many or too large to compile together");
  }
  compiled_ = std::move(c);
  return Status::ok();
}

void RuleSet::match(std::string_view line, std::vector<RuleHit>* hits) const {
  if (!compiled_ || line.empty()) return;
  const Compiled& c = *compiled_;
  const size_t first = hits->size();
  thread_local std::vector<int> matched;
  thread_local std::vector<uint32_t> rules_matched;
  rules_matched.clear();

  // Appends the rules of `set` that match. The one-pass set match can run out of DFA memory on
  // pathological lines; then each rule runs on its own (still linear time), so the answer never
  // depends on memory.
  auto set_match = [&](const RE2::Set& set, const std::vector<uint32_t>& rules) {
    if (rules.empty()) return;
    RE2::Set::ErrorInfo info{};
    // First whether anything matches at all, which most lines do not: asked for the matching
    // rules, RE2 allocates a set of them on every call, and stops at no first match.
    if (set.Match(line, nullptr, &info)) {
      matched.clear();
      info = RE2::Set::ErrorInfo{};
      if (set.Match(line, &matched, &info) || info.kind == RE2::Set::kNoError) {
        for (int k : matched) rules_matched.push_back(rules[static_cast<size_t>(k)]);
        return;
      }
    } else if (info.kind == RE2::Set::kNoError) {
      return;
    }
    for (uint32_t rule : rules) {
      const RE2::Anchor anchor = rules_[rule].scope == RuleScope::kLine ? RE2::ANCHOR_BOTH : RE2::UNANCHORED;
      if (c.regex[rule]->Match(line, 0, line.size(), anchor, nullptr, 0)) rules_matched.push_back(rule);
    }
  };
  set_match(c.line_set, c.line_rules);
  set_match(c.scan_set, c.scan_rules);
  std::sort(rules_matched.begin(), rules_matched.end());

  // A line rule takes the whole line: the first in file order names the reason.
  for (uint32_t rule : rules_matched) {
    if (rules_[rule].scope == RuleScope::kLine) {
      hits->push_back({rule, 0, static_cast<uint32_t>(line.size())});
      return;
    }
  }
  for (uint32_t rule : rules_matched) {
    const RE2& re = *c.regex[rule];
    size_t pos = 0;
    re2::StringPiece m;
    while (pos <= line.size() && re.Match(line, pos, line.size(), RE2::UNANCHORED, &m, 1)) {
      const auto b = static_cast<size_t>(m.data() - line.data());
      const size_t e = b + m.size();
      if (e > b) hits->push_back({rule, static_cast<uint32_t>(b), static_cast<uint32_t>(e)});
      pos = e > b ? e : b + 1;
    }
  }
  std::sort(hits->begin() + static_cast<std::ptrdiff_t>(first), hits->end(),
            [](const RuleHit& a, const RuleHit& b) { return a.begin != b.begin ? a.begin < b.begin : a.end > b.end; });
}

}  // namespace samestory
