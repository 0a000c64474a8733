#include "clean/cleaner.h"

#include <fmt/format.h>

#include <algorithm>

#include "base/utf8.h"
#include "text/normalize.h"
#include "text/segment.h"

namespace samestory {

namespace {

bool is_space_byte(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Whether [b, e) of `text` holds a letter or a digit.
bool has_word_character(std::string_view text, uint32_t b, uint32_t e) {
  size_t i = b;
  while (i < e) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) return true;
      ++i;
      continue;
    }
    if (is_word_code_point(decode_utf8(text, i))) return true;
  }
  return false;
}

// The separator to put before a kept paragraph: a blank line if the original had one anywhere in
// the gap, else a line break, else a space.
std::string_view separator_for(std::string_view gap) {
  const size_t nl = gap.find('\n');
  if (nl == std::string_view::npos) return " ";
  return gap.find('\n', nl + 1) != std::string_view::npos ? "\n\n" : "\n";
}

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && is_space_byte(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space_byte(s.back())) s.remove_suffix(1);
  return s;
}

// How a paragraph ends: like a sentence (. ! ? … : ; or a closing quote), or not.
bool ends_like_sentence(std::string_view p) {
  while (!p.empty() && is_space_byte(p.back())) p.remove_suffix(1);
  if (p.empty()) return false;
  const char c = p.back();
  if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == '"' || c == '\'') return true;
  // Crawled text often carries the wrong curly quote at the end of a quotation, so any counts.
  for (std::string_view closing : {"…", "”", "’", "»", "“", "‘", "«"}) {
    if (p.ends_with(closing)) return true;
  }
  return false;
}

// Links and @handles mark an embedded post, which is quoted content, not a caption.
bool has_link_or_handle(std::string_view p) {
  return p.find("http") != std::string_view::npos || p.find("www.") != std::string_view::npos ||
         p.find('@') != std::string_view::npos;
}

bool starts_lowercase(std::string_view p) {
  return !p.empty() && p.front() >= 'a' && p.front() <= 'z';
}

// Words with a digit in them: table rows and results lists are mostly numbers, captions are not.
uint32_t count_numeric_words(std::string_view p) {
  uint32_t n = 0;
  bool in_word = false, counted = false;
  for (char c : p) {
    if (is_space_byte(c)) {
      in_word = false;
      continue;
    }
    if (!in_word) counted = false;
    in_word = true;
    if (!counted && c >= '0' && c <= '9') {
      ++n;
      counted = true;
    }
  }
  return n;
}

RemovedSpan removal(uint32_t begin, uint32_t end, std::string_view category) {
  RemovedSpan r;
  r.begin = begin;
  r.end = end;
  r.category = category;
  return r;
}

}  // namespace

std::string describe_removal(const RemovedSpan& r) {
  if (r.rule) {
    std::string why = fmt::format("{} [{}]", r.category, r.rule->name);
    if (r.metadata) why += " kept as metadata";
    return why;
  }
  if (r.layout) return fmt::format("{} [{}]", r.category, kUnpunctuatedLineReason);
  if (r.evidence) {
    const std::string_view unit = r.sentence ? "sentence" : "paragraph";
    return r.evidence->global ? fmt::format("repeated {} in {} unrelated stories of {} outlets", unit,
                                            r.evidence->stories, r.evidence->outlets)
                              : fmt::format("repeated {} in {} unrelated stories of {}", unit, r.evidence->stories,
                                            r.evidence->outlet);
  }
  return std::string(r.category);
}

uint64_t CleanedText::removed_bytes() const {
  uint64_t n = 0;
  for (const RemovedSpan& r : removed) n += r.end - r.begin;
  return n;
}

void Cleaner::clean(std::string_view text, std::string_view outlet, CleanedText* out) const {
  out->text.clear();
  out->removed.clear();
  out->byline.clear();
  out->dateline.clear();
  thread_local std::vector<Token> tokens;
  thread_local std::vector<TextUnit> units;
  thread_local std::vector<RuleHit> hits;
  thread_local std::vector<RemovedSpan> in_paragraph;

  units.clear();
  const bool use_model = model_ && !model_->empty();
  if (use_model) {
    split_units(text, model_->unit_tags(), UnitOptions{}, &tokens, &units);
  } else {
    uint32_t index = 0;
    for (const Span& p : split_paragraphs(text)) units.push_back({p, 0, 0, index++, false});
  }

  // The rules first, for every paragraph: what they leave decides whether the article is prose.
  thread_local std::vector<uint32_t> hits_begin;  // per unit: its hits are [hits_begin[u], hits_begin[u + 1])
  hits.clear();
  hits_begin.assign(units.size() + 1, 0);
  for (size_t i = 0; i < units.size(); ++i) {
    hits_begin[i] = static_cast<uint32_t>(hits.size());
    if (rules_ && !units[i].sentence) rules_->match(text.substr(units[i].span.begin, units[i].span.length()), &hits);
  }
  hits_begin[units.size()] = static_cast<uint32_t>(hits.size());
  auto removed_by_line_rule = [&](size_t i) {
    for (uint32_t h = hits_begin[i]; h < hits_begin[i + 1]; ++h) {
      if (rules_->rules()[hits[h].rule].scope == RuleScope::kLine) return true;
    }
    return false;
  };

  // Whether this article is prose, for CleanerOptions::unpunctuated_lines: measured in words over
  // the paragraphs the rules keep, so that neither many short captions nor a long video transcript
  // decide it. The lines before the first sentence-like paragraph (a headline, a standfirst,
  // summary bullets) are never judged.
  bool prose = false;
  size_t first_judged = units.size();
  if (options_.unpunctuated_lines) {
    uint64_t words = 0, sentence_words = 0;
    for (size_t i = 0; i < units.size(); ++i) {
      if (units[i].sentence || removed_by_line_rule(i)) continue;
      const std::string_view p = text.substr(units[i].span.begin, units[i].span.length());
      const uint32_t n = count_words(p);
      words += n;
      if (ends_like_sentence(p)) {
        sentence_words += n;
        first_judged = std::min(first_judged, i + 1);
      }
    }
    prose = words > 0 && static_cast<double>(sentence_words) >= options_.prose_share * static_cast<double>(words);
  }

  // A paragraph that starts in lower case after one that stops mid-sentence continues it: text
  // wrapped by hand whose wrapping was not recognised. Neither layout nor a one-word line rule
  // ("share." at the end of "1.53 dlrs a / share.") applies to it.
  auto paragraph_text = [&](size_t i) { return text.substr(units[i].span.begin, units[i].span.length()); };
  auto continues_previous = [&](size_t i) {
    if (!starts_lowercase(paragraph_text(i))) return false;
    for (size_t k = i; k-- > 0;) {
      if (!units[k].sentence) return !ends_like_sentence(paragraph_text(k));
    }
    return false;
  };
  auto continued_by_next = [&](size_t i) {
    for (size_t k = i + 1; k < units.size(); ++k) {
      if (!units[k].sentence) return starts_lowercase(paragraph_text(k));
    }
    return false;
  };

  uint32_t previous_kept_end = 0;
  bool any_kept = false;
  for (size_t u = 0; u < units.size();) {
    const TextUnit& paragraph = units[u];
    size_t next = u + 1;
    while (next < units.size() && units[next].sentence) ++next;
    const Span p = paragraph.span;
    const std::string_view line = text.substr(p.begin, p.length());
    in_paragraph.clear();
    bool whole = false;
    const bool continuation = continues_previous(u);

    if (rules_ && !(continuation && count_words(line) <= 3)) {
      uint32_t covered_to = 0;
      for (uint32_t hi = hits_begin[u]; hi < hits_begin[u + 1]; ++hi) {
        const RuleHit& h = hits[hi];
        const Rule& rule = rules_->rules()[h.rule];
        if (h.begin < covered_to) continue;  // overlaps an earlier hit
        covered_to = h.end;
        RemovedSpan r = removal(p.begin + h.begin, p.begin + h.end, rule.category);
        r.rule = &rule;
        r.metadata = is_metadata_category(rule.category);
        in_paragraph.push_back(r);
        if (rule.scope == RuleScope::kLine) whole = true;
      }
      if (!whole && !in_paragraph.empty()) {
        // Nothing worth keeping around the spans: the line goes, for the reason of its first span.
        bool word_left = false;
        uint32_t at = p.begin;
        for (const RemovedSpan& r : in_paragraph) {
          if (has_word_character(text, at, r.begin)) word_left = true;
          at = r.end;
        }
        if (!word_left && !has_word_character(text, at, p.end)) {
          RemovedSpan r = in_paragraph.front();
          r.begin = p.begin;
          r.end = p.end;
          in_paragraph.assign(1, r);
          whole = true;
        }
      }
    }
    if (!whole && prose && u >= first_judged && in_paragraph.empty() && !ends_like_sentence(line) &&
        !has_link_or_handle(line) && !continuation && !continued_by_next(u) &&
        line.find('\n') == std::string_view::npos) {
      const uint32_t words = count_words(line);
      if (words >= 3 && words <= 40 && 4 * count_numeric_words(line) < words) {
        RemovedSpan r = removal(p.begin, p.end, "caption");
        r.layout = true;
        in_paragraph.assign(1, r);
        whole = true;
      }
    }
    if (!whole && use_model) {
      if (const BoilerplateEvidence* e = model_->find(outlet, paragraph.key)) {
        RemovedSpan r = removal(p.begin, p.end, "repeated");
        r.evidence = e;
        in_paragraph.assign(1, r);
        whole = true;
      } else {
        for (size_t s = u + 1; s < next; ++s) {
          const BoilerplateEvidence* se = model_->find(outlet, units[s].key);
          if (!se) continue;
          const Span span = units[s].span;
          const bool overlaps = std::any_of(in_paragraph.begin(), in_paragraph.end(), [&](const RemovedSpan& r) {
            return r.begin < span.end && span.begin < r.end;
          });
          if (overlaps) continue;
          RemovedSpan r = removal(span.begin, span.end, "repeated");
          r.evidence = se;
          r.sentence = true;
          in_paragraph.push_back(r);
        }
        std::sort(in_paragraph.begin(), in_paragraph.end(),
                  [](const RemovedSpan& a, const RemovedSpan& b) { return a.begin < b.begin; });
      }
    }
    for (const RemovedSpan& r : in_paragraph) {
      if (!r.metadata) continue;
      const std::string_view piece = trim_view(text.substr(r.begin, r.end - r.begin));
      if (r.category == "dateline") {
        if (out->dateline.empty()) out->dateline = std::string(piece);
      } else {
        if (!out->byline.empty()) out->byline += "; ";
        out->byline += std::string(piece);
      }
    }
    out->removed.insert(out->removed.end(), in_paragraph.begin(), in_paragraph.end());

    if (!whole) {
      // The paragraph minus its removed spans, joined by single spaces where something was cut.
      std::string kept;
      uint32_t at = p.begin;
      auto keep = [&](uint32_t b, uint32_t e) {
        const std::string_view piece = trim_view(text.substr(b, e - b));
        if (piece.empty()) return;
        if (!kept.empty()) kept.push_back(' ');
        kept.append(piece);
      };
      if (in_paragraph.empty()) {
        kept.assign(line);
      } else {
        for (const RemovedSpan& r : in_paragraph) {
          keep(at, r.begin);
          at = r.end;
        }
        keep(at, p.end);
      }
      if (!kept.empty()) {
        if (any_kept) out->text.append(separator_for(text.substr(previous_kept_end, p.begin - previous_kept_end)));
        out->text.append(kept);
        any_kept = true;
        previous_kept_end = p.end;
      }
    }
    u = next;
  }
}

}  // namespace samestory
