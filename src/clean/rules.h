// RuleSet: boilerplate rules that hold for any outlet, read from a rules file users can extend.
//
// A rules file has one rule a line; '#' starts a comment line, blank lines are ignored:
//
//   NAME  SCOPE  CATEGORY  PATTERN
//
//   NAME      a word that explains names the rule ("newsletter-prompt")
//   SCOPE     line  the whole line (a paragraph, trimmed) must match PATTERN; the line goes
//             span  every match of PATTERN inside a line goes; if nothing with a letter or digit
//                   is left of the line, the whole line goes
//   CATEGORY  what the removed text is: ad, prompt, share, related, caption, media, cookie,
//             legal, separator, navigation, or one of the two kept as metadata rather than
//             deleted: byline, dateline
//   PATTERN   an RE2 regular expression (https://github.com/google/re2/wiki/Syntax), the rest of
//             the line; case-sensitive unless it starts with (?i). RE2 runs in time linear in the
//             text, so no rule, however written, can make cleaning hang.
//
// The rules are matched against a line in two passes of RE2::Set: the line rules that fail within
// a few bytes, then the span rules together with the line rules that start with `.` and so scan
// the whole line; positions are found only for the span rules that matched. Matching needs no
// corpus: it is what `samestory clean` does to a single article.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace samestory {

enum class RuleScope { kLine, kSpan };

struct Rule {
  std::string name;
  RuleScope scope = RuleScope::kLine;
  std::string category;
  std::string pattern;
  std::string origin;  // "FILE:LINE" of its definition, for messages
};

// Where a rule matched inside the line given to RuleSet::match: byte offsets into that line.
struct RuleHit {
  uint32_t rule;  // index into RuleSet::rules()
  uint32_t begin;
  uint32_t end;
};

// Categories whose text is kept as document metadata instead of being deleted.
bool is_metadata_category(std::string_view category);

class RuleSet {
 public:
  RuleSet();
  ~RuleSet();
  RuleSet(RuleSet&&) noexcept;
  RuleSet& operator=(RuleSet&&) noexcept;

  // The rules that ship with samestory (data/clean-rules.txt, compiled into the binary).
  static std::string_view builtin_text();

  // Adds the rules of a rules file's text; `origin` names it in messages. Errors name the file,
  // the line and the reason (unknown scope, bad pattern, duplicate name).
  Status add(std::string_view text, std::string_view origin);
  Status add_file(const std::string& path);

  // Compiles the rules added so far; match() needs it. Adding after compiling needs another call.
  Status compile();

  // Appends to `hits` what the rules find in `line` (a paragraph without its line break), ordered
  // by begin: a line rule's hit covers the whole line. Thread-safe after compile().
  void match(std::string_view line, std::vector<RuleHit>* hits) const;

  const std::vector<Rule>& rules() const { return rules_; }
  bool empty() const { return rules_.empty(); }

 private:
  struct Compiled;
  std::vector<Rule> rules_;
  std::unique_ptr<Compiled> compiled_;
};

}  // namespace samestory
