#include "clean/rules.h"

#include <fmt/format.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
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

}  // namespace

bool is_metadata_category(std::string_view category) { return category == "byline" || category == "dateline"; }

struct RuleSet::Compiled {
  Compiled() : line_set(rule_options(), RE2::ANCHOR_BOTH), span_set(rule_options(), RE2::UNANCHORED) {}
  RE2::Set line_set;
  RE2::Set span_set;
  std::vector<uint32_t> line_rules;  // set index -> rule index
  std::vector<uint32_t> span_rules;
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
    RE2::Set& set = r.scope == RuleScope::kLine ? c->line_set : c->span_set;
    if (set.Add(r.pattern, &error) < 0) {
      return Status::invalid_argument(fmt::format("{}: rule '{}': bad pattern: {}", r.origin, r.name, error));
    }
    (r.scope == RuleScope::kLine ? c->line_rules : c->span_rules).push_back(i);
    c->regex.push_back(std::make_unique<RE2>(r.pattern, rule_options()));
  }
  if ((!c->line_rules.empty() && !c->line_set.Compile()) || (!c->span_rules.empty() && !c->span_set.Compile())) {
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

  // The one-pass set match can run out of DFA memory on pathological lines; then each rule runs
  // on its own (still linear time), so the answer never depends on memory.
  auto set_match = [&](const RE2::Set& set, const std::vector<uint32_t>& rules, RE2::Anchor anchor) {
    matched.clear();
    if (rules.empty()) return;
    RE2::Set::ErrorInfo info{};
    if (set.Match(line, &matched, &info) || info.kind == RE2::Set::kNoError) return;
    matched.clear();
    for (size_t k = 0; k < rules.size(); ++k) {
      if (c.regex[rules[k]]->Match(line, 0, line.size(), anchor, nullptr, 0)) matched.push_back(static_cast<int>(k));
    }
  };

  set_match(c.line_set, c.line_rules, RE2::ANCHOR_BOTH);
  if (!matched.empty()) {
    // The whole line goes: the first rule in file order names the reason.
    const int k = *std::min_element(matched.begin(), matched.end());
    hits->push_back({c.line_rules[static_cast<size_t>(k)], 0, static_cast<uint32_t>(line.size())});
    return;
  }
  set_match(c.span_set, c.span_rules, RE2::UNANCHORED);
  std::sort(matched.begin(), matched.end());
  for (int k : matched) {
    const uint32_t rule = c.span_rules[static_cast<size_t>(k)];
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
