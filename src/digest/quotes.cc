#include "digest/quotes.h"

#include <algorithm>
#include <array>
#include <optional>

#include "base/ascii.h"
#include "base/utf8.h"
#include "text/normalize.h"
#include "text/segment.h"
#include "text/tokenize.h"

namespace samestory {

std::string_view to_string(QuoteForm form) {
  switch (form) {
    case QuoteForm::kDirect: return "direct";
    case QuoteForm::kPartial: return "partial";
    case QuoteForm::kUnquoted: return "unquoted";
  }
  return "direct";
}

namespace {

template <size_t N>
bool one_of(std::string_view word, const std::array<std::string_view, N>& set) {
  return std::find(set.begin(), set.end(), word) != set.end();
}

// Verbs that attribute speech. "according" is handled with its "to".
constexpr auto kSpeechVerbs = std::to_array<std::string_view>({
    "said",      "says",       "say",        "told",       "tells",      "added",      "adds",
    "adding",    "warned",     "warns",      "warning",    "claimed",    "claims",     "stated",
    "states",    "insisted",   "insists",    "insisting",  "argued",     "argues",     "arguing",
    "explained", "explains",   "noted",      "notes",      "noting",     "asked",      "asks",
    "replied",   "replies",    "answered",   "announced",  "announces",  "revealed",   "reveals",
    "declared",  "declares",   "wrote",      "writes",     "tweeted",    "posted",     "described",
    "urged",     "urges",      "acknowledged", "admitted", "admits",     "conceded",   "suggested",
    "suggests",  "continued",  "cautioned",  "stressed",   "stresses",   "emphasised", "emphasized",
    "remarked",  "commented",  "mentioned",  "recalled",   "pledged",    "promised",   "vowed",
    "confirmed", "denied",     "indicated",
    "according", "saying"});

// Verbs that also take their subject after them: "…,” said Mr Smith.
constexpr auto kInvertibleVerbs = std::to_array<std::string_view>({"said",  "says",      "added", "asked",
                                                              "wrote", "continued", "adds",  "replied"});

// Words between a subject and its speech verb: "Mr Healey also said", "has warned".
constexpr auto kAuxiliaries = std::to_array<std::string_view>({
    "also",       "further",  "then",     "later",      "has",      "have",     "had",        "was",
    "is",         "would",    "will",     "previously", "earlier",  "again",    "repeatedly", "recently",
    "reportedly", "publicly", "privately", "separately", "subsequently", "once"});

constexpr auto kHonorifics = std::to_array<std::string_view>({"mr", "mrs", "ms", "miss", "dr", "sir",
                                                          "dame", "lord", "lady", "rev", "mx", "prof"});

// The head words of a title: the name after them is the person ("Defence Secretary John Healey").
constexpr auto kTitleHeads = std::to_array<std::string_view>({
    "secretary",  "minister",    "president",  "chancellor",  "premier",     "spokesman",    "spokeswoman",
    "spokesperson", "director",  "governor",   "mayor",       "senator",     "sen",          "rep",
    "representative", "general", "commissioner", "ambassador", "envoy",     "adviser",      "advisor",
    "leader",     "chairman",    "chairwoman", "chair",       "judge",       "justice",      "king",
    "queen",      "prince",      "princess",   "pope",        "sheriff",     "captain",      "coach",
    "manager",    "ceo",         "professor",  "deputy",      "officer",     "commander",    "councillor",
    "councilor",  "inspector",   "superintendent", "attorney", "economist",  "analyst",      "founder",
    "chief",      "engineer",    "boss",       "editor",      "correspondent", "lawyer",    "head",
    "operator",   "owner",       "master",       "chancellor", "speaker",     "leader",      "emir"});

// Nouns for people who speak without a name: "officials said", "a spokesperson told".
constexpr auto kSourceNouns = std::to_array<std::string_view>({
    "official",  "officials", "source",   "sources", "police",    "spokesperson", "spokesman",
    "spokeswoman", "analyst", "analysts", "witness", "witnesses", "residents",    "experts",
    "expert",    "critics",   "aides",    "aide",    "statement", "government"});

// Lower-case words inside a name: "Faisal bin Farhan", "Ursula von der Leyen".
constexpr auto kNameParticles = std::to_array<std::string_view>({"bin", "bint", "ibn", "al",  "de", "van", "von",
                                                             "der", "da",   "di",  "du",  "le", "la",  "del"});

// Capitalised at the start of a sentence without being a name.
constexpr auto kSentenceWords = std::to_array<std::string_view>({
    "the",     "a",       "an",     "it",      "this",   "that",    "these",  "those",  "there", "but",
    "and",     "in",      "on",     "at",      "after",  "before",  "when",   "while",  "speaking", "however",
    "following", "asked", "he",     "she",     "they",   "we",      "i",      "you",    "his",   "her",
    "their",   "our",     "its",    "if",      "as",     "for",     "with",   "since",  "during", "despite"});

constexpr auto kAppositiveStarts = std::to_array<std::string_view>({"who",   "which", "whose", "whom", "the",
                                                                "a",     "an",    "his",   "her",  "speaking"});

// Lower-case words that qualify a title: "foreign minister", "state department spokeswoman".
constexpr auto kTitleModifiers = std::to_array<std::string_view>(
    {"foreign", "defence", "defense", "home", "state", "prime", "deputy", "vice", "chief", "interior", "transport",
     "health", "finance", "justice", "education", "trade", "affairs", "security", "national", "press", "executive",
     "department", "shadow", "party", "opposition", "cabinet", "junior", "senior", "environment", "energy"});

constexpr auto kDeterminers = std::to_array<std::string_view>({"the", "a", "an", "its"});

bool is_abbreviation(std::string_view lower) {
  static constexpr auto kAbbreviations = std::to_array<std::string_view>({
      "mr", "mrs", "ms", "dr", "st", "prof", "gen", "sen", "rep", "gov", "lt", "col", "sgt", "jr", "sr", "no"});
  return lower.size() == 1 || one_of(lower, kAbbreviations);
}

struct Word {
  uint32_t begin;
  uint32_t end;
  std::string lower;  // ASCII-lowered original spelling
  bool cap;
  bool possessive;  // ends in 's or ’s
};

enum class MarkKind : uint8_t { kOpen, kClose, kToggle };

struct Mark {
  uint32_t begin;
  uint32_t end;
  MarkKind kind;
};

// Quotation marks in [begin, end).
std::vector<Mark> find_marks(std::string_view text, uint32_t begin, uint32_t end) {
  std::vector<Mark> marks;
  for (uint32_t i = begin; i < end; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '"') {
      marks.push_back({i, i + 1, MarkKind::kToggle});
    } else if (c == 0xE2 && i + 2 < end && static_cast<unsigned char>(text[i + 1]) == 0x80) {
      const unsigned char d = static_cast<unsigned char>(text[i + 2]);
      if (d == 0x9C) marks.push_back({i, i + 3, MarkKind::kOpen});        // “
      else if (d == 0x9D) marks.push_back({i, i + 3, MarkKind::kClose});  // ”
    } else if (c == 0xC2 && i + 1 < end) {
      const unsigned char d = static_cast<unsigned char>(text[i + 1]);
      if (d == 0xAB) marks.push_back({i, i + 2, MarkKind::kOpen});        // «
      else if (d == 0xBB) marks.push_back({i, i + 2, MarkKind::kClose});  // »
    }
  }
  return marks;
}

struct Segment {
  uint32_t mark_begin;  // the opening mark (== begin when continued from the previous paragraph)
  uint32_t begin;       // the quoted text
  uint32_t end;
  uint32_t after;       // just after the closing mark (== end when unclosed)
  bool continued;       // opened in an earlier paragraph
  bool closed;
};

struct Paragraph {
  uint32_t begin;
  uint32_t end;
  std::vector<Segment> segments;
  std::vector<Word> words;
};

struct Speaker {
  std::string name;
  SpeakerKind kind = SpeakerKind::kNone;
  TextRange at{};
  std::string written;
  bool known() const { return kind != SpeakerKind::kNone; }
};

enum class MentionKind : uint8_t { kNone, kPronoun, kName, kTitle, kAnonymous };

struct Mention {
  MentionKind kind = MentionKind::kNone;
  uint32_t first = 0;  // words of the mention (name tokens for kName)
  uint32_t last = 0;
  std::string honorific;              // kName: "mr", "sir"...
  std::vector<std::string> title;     // kTitle: lower-case title words, head last
};

struct NameEntry {
  std::string name;
  std::string first_lower;
  std::string last_lower;
  uint32_t at;
};

struct TitleEntry {
  std::vector<std::string> words;  // lower case, head last
  std::string name;
  uint32_t at;
};

std::u32string folded_code_points(std::string_view word) {
  std::string folded;
  normalize_token(word, &folded);
  std::u32string out;
  for (size_t i = 0; i < folded.size();) out.push_back(decode_utf8(folded, i));
  return out;
}

bool similar_surname(std::string_view a, std::string_view b) {
  const std::u32string x = folded_code_points(a), y = folded_code_points(b);
  if (x == y) return true;
  const size_t shorter = std::min(x.size(), y.size());
  if (shorter < 4) return false;
  return edit_distance(x, y, 2) <= (shorter >= 8 ? 2 : 1);
}

class Extractor {
 public:
  Extractor(std::string_view text, std::span<const TextRange> skip, const QuoteOptions& options, QuoteExtraction* out)
      : text_(text), skip_(skip), options_(options), out_(out) {}

  void run() {
    build_paragraphs();
    collect_names();
    attribute();
  }

 private:
  std::string_view span_text(uint32_t b, uint32_t e) const { return text_.substr(b, e - b); }

  // The paragraphs with the skipped ranges cut out: what is left of a paragraph on either side of
  // removed boilerplate is a paragraph of its own, so nothing skipped is ever read.
  std::vector<Span> content_pieces() const {
    std::vector<Span> out;
    auto add = [&](uint32_t b, uint32_t e) {
      while (b < e && (text_[b] == ' ' || text_[b] == '\n' || text_[b] == '\t' || text_[b] == '\r')) ++b;
      while (e > b && (text_[e - 1] == ' ' || text_[e - 1] == '\n' || text_[e - 1] == '\t' || text_[e - 1] == '\r')) --e;
      if (b < e) out.push_back({b, e});
    };
    for (const Span& p : split_paragraphs(text_)) {
      uint32_t from = p.begin;
      auto it = std::lower_bound(skip_.begin(), skip_.end(), p.begin,
                                 [](const TextRange& r, uint32_t v) { return r.end <= v; });
      for (; it != skip_.end() && it->begin < p.end; ++it) {
        if (it->begin > from) add(from, std::min(it->begin, p.end));
        from = std::max(from, std::min(it->end, p.end));
      }
      add(from, p.end);
    }
    return out;
  }

  void build_paragraphs() {
    bool open = false;  // a quote runs on from the previous paragraph
    for (const Span& p : content_pieces()) {
      Paragraph para{p.begin, p.end, {}, {}};
      const std::vector<Mark> marks = find_marks(text_, p.begin, p.end);
      bool in_quote = false;
      Segment current{};
      size_t m = 0;
      if (open && !marks.empty() && marks[0].begin == p.begin && marks[0].kind != MarkKind::kClose) {
        // The usual convention: each paragraph of a long quote opens with a mark.
        current = {marks[0].begin, marks[0].end, 0, 0, true, false};
        in_quote = true;
        m = 1;
      }
      for (; m < marks.size(); ++m) {
        const Mark& mark = marks[m];
        const bool opens = mark.kind == MarkKind::kOpen || (mark.kind == MarkKind::kToggle && !in_quote);
        if (opens) {
          if (in_quote) {  // an unbalanced opening: end the current quote here
            current.end = mark.begin;
            current.after = mark.begin;
            para.segments.push_back(current);
          }
          current = {mark.begin, mark.end, 0, 0, false, false};
          in_quote = true;
        } else if (in_quote) {
          current.end = mark.begin;
          current.after = mark.end;
          current.closed = true;
          para.segments.push_back(current);
          in_quote = false;
        }
      }
      if (in_quote) {
        current.end = p.end;
        current.after = p.end;
        para.segments.push_back(current);
      }
      open = in_quote;
      for (Segment& s : para.segments) {
        while (s.begin < s.end && (text_[s.begin] == ' ' || text_[s.begin] == '\n')) ++s.begin;
        while (s.end > s.begin && (text_[s.end - 1] == ' ' || text_[s.end - 1] == '\n')) --s.end;
      }
      std::vector<Token> tokens;
      tokenize(span_text(p.begin, p.end), &tokens);
      para.words.reserve(tokens.size());
      for (const Token& t : tokens) {
        const uint32_t b = p.begin + t.begin, e = p.begin + t.end;
        std::string_view w = span_text(b, e);
        const bool possessive = (w.size() > 2 && (w.ends_with("'s") || w.ends_with("'S"))) ||
                                (w.size() > 4 && w.ends_with("\xE2\x80\x99s"));
        para.words.push_back({b, e, lower_ascii(w), (t.flags & kTokenCapitalized) != 0, possessive});
      }
      paragraphs_.push_back(std::move(para));
    }
  }

  // --- words and gaps ------------------------------------------------------------------------

  // The text between word i-1 and word i of a paragraph (from the paragraph start for i == 0).
  std::string_view gap_before(const Paragraph& p, size_t i) const {
    const uint32_t b = i == 0 ? p.begin : p.words[i - 1].end;
    const uint32_t e = i < p.words.size() ? p.words[i].begin : p.end;
    return span_text(b, e);
  }

  static bool has_comma(std::string_view gap) { return gap.find(',') != std::string_view::npos; }
  static bool has_colon(std::string_view gap) { return gap.find(':') != std::string_view::npos; }

  // Whether a sentence ends between word i-1 and word i.
  bool sentence_break(const Paragraph& p, size_t i) const {
    if (i == 0 || i >= p.words.size()) return true;
    const std::string_view gap = gap_before(p, i);
    if (gap.find_first_of(".!?") == std::string_view::npos && gap.find("\xE2\x80\xA6") == std::string_view::npos) {
      return false;
    }
    if (gap.find('.') != std::string_view::npos && gap.find_first_of("!?") == std::string_view::npos &&
        is_abbreviation(p.words[i - 1].lower) && gap.size() <= 2) {
      return false;
    }
    return p.words[i].cap || gap.find("\xE2\x80\x9C") != std::string_view::npos || gap.find('"') != std::string_view::npos;
  }

  // The index of the first word at or after byte `at`.
  static size_t word_at(const Paragraph& p, uint32_t at) {
    return static_cast<size_t>(std::lower_bound(p.words.begin(), p.words.end(), at,
                                                [](const Word& w, uint32_t v) { return w.begin < v; }) -
                               p.words.begin());
  }

  // Words of a paragraph outside its quotes, as [first, last) word ranges with the segments between.
  struct Region {
    size_t first;
    size_t last;
  };
  std::vector<Region> regions(const Paragraph& p) const {
    std::vector<Region> out;
    size_t from = 0;
    for (const Segment& s : p.segments) {
      const size_t a = word_at(p, s.mark_begin);
      out.push_back({from, a});
      from = word_at(p, s.after);
    }
    out.push_back({from, p.words.size()});
    return out;
  }

  // --- names -----------------------------------------------------------------------------

  bool is_name_word(const Word& w) const { return w.cap && !w.possessive; }

  // A capitalised run ending at word `last` (inclusive) going back no further than `lo`: returns
  // its first word. Particles and hyphens join; commas and sentence breaks stop it.
  size_t run_start(const Paragraph& p, size_t lo, size_t last) const {
    size_t k = last;
    while (k > lo) {
      const std::string_view gap = gap_before(p, k);
      if (!(gap == " " || gap == "-" || gap == "\xC2\xA0")) break;
      const Word& prev = p.words[k - 1];
      if (prev.cap && !prev.possessive) {
        --k;
      } else if (one_of(prev.lower, kNameParticles) && k - 1 > lo && p.words[k - 2].cap) {
        --k;
      } else {
        break;
      }
    }
    return k;
  }

  // The last word of the capitalised run starting at word `first`, within [first, hi).
  size_t run_end(const Paragraph& p, size_t first, size_t hi) const {
    size_t end = first;
    while (end + 1 < hi) {
      const std::string_view gap = gap_before(p, end + 1);
      if (!(gap == " " || gap == "-" || gap == "\xC2\xA0") || p.words[end].possessive) break;
      const Word& next = p.words[end + 1];
      if (is_name_word(next)) {
        ++end;
      } else if (one_of(next.lower, kNameParticles) && end + 2 < hi && is_name_word(p.words[end + 2]) &&
                 gap_before(p, end + 2) == " ") {
        end += 2;
      } else {
        break;
      }
    }
    return end;
  }

  std::string name_text(const Paragraph& p, size_t first, size_t last) const {
    std::string out;
    for (size_t i = first; i <= last; ++i) {
      if (i > first) out += gap_before(p, i) == "-" ? "-" : " ";
      out += span_text(p.words[i].begin, p.words[i].end);
    }
    return out;
  }

  // Splits a capitalised run [first, last] into titles and a name: the name starts after the last
  // title head or honorific. Returns the name's first word (> last when it is all title).
  size_t name_start(const Paragraph& p, size_t first, size_t last, std::string* honorific) const {
    size_t start = first;
    honorific->clear();
    for (size_t i = first; i <= last; ++i) {
      const std::string& w = p.words[i].lower;
      if (one_of(w, kHonorifics)) {
        start = i + 1;
        *honorific = w;
      } else if (one_of(w, kTitleHeads) || one_of(w, kDeterminers)) {
        start = i + 1;
        honorific->clear();
      }
    }
    return start;
  }

  void collect_names() {
    for (const Paragraph& p : paragraphs_) {
      for (const Region& r : regions(p)) {
        size_t i = r.first;
        while (i < r.last) {
          if (!is_name_word(p.words[i])) {
            ++i;
            continue;
          }
          const size_t end = run_end(p, i, r.last);
          std::string honorific;
          size_t start = name_start(p, i, end, &honorific);
          // A sentence's first word is capitalised whatever it is.
          if (start == i && sentence_break(p, i) && one_of(p.words[i].lower, kSentenceWords)) ++start;
          if (start <= end && end - start >= 1) {
            std::string name = name_text(p, start, end);
            names_.push_back({name, p.words[start].lower, p.words[end].lower, p.words[start].begin});
            if (std::find(out_->names.begin(), out_->names.end(), name) == out_->names.end()) {
              out_->names.push_back(name);
            }
            // "Defence Secretary John Healey", "foreign minister Sergey Lavrov"
            if (start > r.first && one_of(p.words[start - 1].lower, kTitleHeads)) {
              TitleEntry t{{p.words[start - 1].lower}, name, p.words[start].begin};
              for (size_t k = start - 1; k > r.first && t.words.size() < 3 && gap_before(p, k) == " ";) {
                const Word& w = p.words[--k];
                if (one_of(w.lower, kDeterminers) || w.possessive || (!w.cap && !one_of(w.lower, kTitleModifiers) &&
                                                                       !one_of(w.lower, kTitleHeads))) {
                  break;
                }
                t.words.insert(t.words.begin(), w.lower);
              }
              titles_.push_back(std::move(t));
            }
            // "Heidi Alexander, the Transport Secretary,"
            if (end + 2 < r.last && has_comma(gap_before(p, end + 1)) && p.words[end + 1].lower == "the") {
              size_t k = end + 2;
              std::vector<std::string> words;
              while (k < r.last && !has_comma(gap_before(p, k)) && words.size() < 4) {
                if (k > end + 2 && gap_before(p, k) != " ") break;
                words.push_back(p.words[k].lower);
                ++k;
              }
              if (!words.empty() && one_of(words.back(), kTitleHeads)) {
                titles_.push_back({std::move(words), name, p.words[start].begin});
              }
            }
          }
          i = end + 1;
        }
      }
    }
  }

  // --- subjects of speech verbs --------------------------------------------------------------

  // The mention that is the subject of the speech verb at word `verb`, looking back no further
  // than word `lo`.
  Mention subject_before(const Paragraph& p, size_t lo, size_t verb) const {
    Mention m;
    if (verb <= lo) return m;
    size_t j = verb - 1;
    while (j > lo && one_of(p.words[j].lower, kAuxiliaries) && !has_comma(gap_before(p, j + 1))) --j;
    if (one_of(p.words[j].lower, kAuxiliaries)) return m;
    if (has_comma(gap_before(p, j + 1))) {
      // An appositive between subject and verb: "Heidi Alexander, the Transport Secretary, told".
      size_t k = j;
      while (k > lo && !has_comma(gap_before(p, k))) --k;
      if (k == lo || !one_of(p.words[k].lower, kAppositiveStarts)) return m;
      j = k - 1;
    }
    const Word& w = p.words[j];
    if (w.lower == "he" || w.lower == "she") {
      m.kind = MentionKind::kPronoun;
      m.first = m.last = static_cast<uint32_t>(j);
      return m;
    }
    if (is_name_word(w)) {
      const size_t first = run_start(p, lo, j);
      std::string honorific;
      size_t start = name_start(p, first, j, &honorific);
      if (start == first && first == lo && sentence_break(p, first) && one_of(p.words[first].lower, kSentenceWords)) {
        ++start;
      }
      if (start <= j) {
        m.kind = MentionKind::kName;
        m.first = static_cast<uint32_t>(start);
        m.last = static_cast<uint32_t>(j);
        m.honorific = honorific;
        return m;
      }
      // All title: "The Defence Secretary said".
      return title_mention(p, lo, first, j);
    }
    if (one_of(w.lower, kTitleHeads) || one_of(w.lower, kSourceNouns)) {
      size_t k = j;
      while (k > lo && gap_before(p, k) == " " && !one_of(p.words[k - 1].lower, kDeterminers) &&
             !one_of(p.words[k - 1].lower, kSpeechVerbs) && j - k < 4) {
        --k;
      }
      return title_mention(p, lo, k, j);
    }
    return m;
  }

  // A title phrase [first, last], with its determiner (if any) just before `first`.
  Mention title_mention(const Paragraph& p, size_t lo, size_t first, size_t last) const {
    Mention m;
    m.first = static_cast<uint32_t>(first);
    m.last = static_cast<uint32_t>(last);
    std::string determiner;
    size_t from = first;
    if (one_of(p.words[first].lower, kDeterminers)) {
      determiner = p.words[first].lower;
      ++from;
    } else if (first > lo && one_of(p.words[first - 1].lower, kDeterminers)) {
      determiner = p.words[first - 1].lower;
      m.first = static_cast<uint32_t>(first - 1);
    }
    for (size_t i = from; i <= last; ++i) {
      if (p.words[i].lower != "new" && p.words[i].lower != "former") m.title.push_back(p.words[i].lower);
    }
    if (m.title.empty()) return {};
    // "the minister" refers to someone the article names; "a minister", "officials" to no one.
    m.kind = determiner == "the" && !one_of(m.title.back(), kSourceNouns) ? MentionKind::kTitle
                                                                         : MentionKind::kAnonymous;
    if (m.kind == MentionKind::kTitle && !one_of(m.title.back(), kTitleHeads)) m.kind = MentionKind::kAnonymous;
    return m;
  }

  // "said Mr Smith": a name right after an invertible verb.
  Mention subject_after(const Paragraph& p, size_t verb, size_t hi) const {
    Mention m;
    if (!one_of(p.words[verb].lower, kInvertibleVerbs)) return m;
    size_t k = verb + 1;
    if (k >= hi || has_comma(gap_before(p, k)) || sentence_break(p, k)) return m;
    if (p.words[k].lower == "he" || p.words[k].lower == "she") {
      m.kind = MentionKind::kPronoun;
      m.first = m.last = static_cast<uint32_t>(k);
      return m;
    }
    if (!is_name_word(p.words[k])) return m;
    const size_t end = run_end(p, k, hi);
    std::string honorific;
    const size_t start = name_start(p, k, end, &honorific);
    if (start > end) return title_mention(p, k, k, end);
    m.kind = MentionKind::kName;
    m.first = static_cast<uint32_t>(start);
    m.last = static_cast<uint32_t>(end);
    m.honorific = honorific;
    return m;
  }

  struct Attribution {
    Mention who;
    size_t verb = 0;
    bool verb_found = false;
  };

  // The last speech verb in words [lo, hi) that has a subject, else the last verb found.
  Attribution attribution_in(const Paragraph& p, size_t lo, size_t hi) const {
    Attribution best;
    for (size_t v = hi; v-- > lo;) {
      const std::string& w = p.words[v].lower;
      if (!one_of(w, kSpeechVerbs)) continue;
      if (w == "according") {
        if (v + 1 < hi && p.words[v + 1].lower == "to") {
          Attribution a;
          a.verb_found = true;
          a.verb = v;
          a.who = subject_after_name(p, v + 2, hi);
          if (a.who.kind != MentionKind::kNone) return a;
        }
        continue;
      }
      if (!best.verb_found) {
        best.verb_found = true;
        best.verb = v;
      }
      Mention who = subject_before(p, lo, v);
      if (who.kind == MentionKind::kNone) who = subject_after(p, v, hi);
      if (who.kind != MentionKind::kNone) return {who, v, true};
    }
    return best;
  }

  // A name starting at word k (after "according to").
  Mention subject_after_name(const Paragraph& p, size_t k, size_t hi) const {
    Mention m;
    if (k >= hi || !is_name_word(p.words[k])) return m;
    const size_t end = run_end(p, k, hi);
    std::string honorific;
    const size_t start = name_start(p, k, end, &honorific);
    if (start > end) return m;
    m.kind = MentionKind::kName;
    m.first = static_cast<uint32_t>(start);
    m.last = static_cast<uint32_t>(end);
    m.honorific = honorific;
    return m;
  }

  // --- resolution --------------------------------------------------------------------------

  Speaker resolve(const Paragraph& p, const Mention& m) const {
    Speaker s;
    if (m.kind == MentionKind::kNone) return s;
    const TextRange at{p.words[m.first].begin, p.words[m.last].end};
    const uint32_t pos = at.begin;
    if (m.kind != MentionKind::kPronoun) {
      // With its honorific: "Mr Healy", "Sir Ed".
      const uint32_t from = !m.honorific.empty() && m.first > 0 ? p.words[m.first - 1].begin : at.begin;
      s.written = std::string(span_text(from, at.end));
    }
    switch (m.kind) {
      case MentionKind::kNone: break;
      case MentionKind::kPronoun:
        s = last_speaker_;
        s.at = at;
        s.written.clear();
        return s;
      case MentionKind::kName: {
        s.kind = SpeakerKind::kNamed;
        s.at = at;
        if (m.last > m.first) {
          s.name = name_text(p, m.first, m.last);
          return s;
        }
        const std::string_view word = span_text(p.words[m.first].begin, p.words[m.first].end);
        const bool given = m.honorific == "sir" || m.honorific == "dame";
        const NameEntry* found = nullptr;
        for (const NameEntry& e : names_) {  // nearest before, else first after
          const bool match = given ? similar_surname(e.first_lower, word) : similar_surname(e.last_lower, word);
          if (!match) continue;
          if (e.at <= pos || !found) found = &e;
          if (e.at > pos) break;
        }
        s.name = found ? found->name : std::string(word);
        return s;
      }
      case MentionKind::kTitle: {
        // The same title exactly, else one that says more ("US defence secretary" for "the defence
        // secretary"); the nearest before, else the first after.
        const TitleEntry* found = nullptr;
        for (const bool exact : {true, false}) {
          for (const TitleEntry& t : titles_) {
            if (t.words.back() != m.title.back()) continue;
            bool all = true;
            for (const std::string& w : m.title) all = all && std::find(t.words.begin(), t.words.end(), w) != t.words.end();
            if (!all || (exact && t.words.size() != m.title.size())) continue;
            if (t.at <= pos || !found) found = &t;
            if (t.at > pos) break;
          }
          if (found) break;
        }
        s.at = at;
        s.kind = SpeakerKind::kNamed;
        if (found) {
          s.name = found->name;
        } else if (last_speaker_.kind == SpeakerKind::kNamed) {
          s.name = last_speaker_.name;
        } else {
          // A lede names the speaker after the quote: "…, the defence secretary warned. John Healey…"
          auto next = std::find_if(names_.begin(), names_.end(), [&](const NameEntry& e) { return e.at > pos; });
          if (next == names_.end()) {
            s.kind = SpeakerKind::kAnonymous;
            s.name = std::string(span_text(at.begin, at.end));
          } else {
            s.name = next->name;
          }
        }
        return s;
      }
      case MentionKind::kAnonymous:
        s.kind = SpeakerKind::kAnonymous;
        s.at = at;
        s.name = std::string(span_text(at.begin, at.end));
        return s;
    }
    return s;
  }

  // --- the pass over the article ----------------------------------------------------------

  size_t words_in(uint32_t b, uint32_t e) const {
    std::vector<Token> tokens;
    tokenize(span_text(b, e), &tokens);
    return tokens.size();
  }

  void emit(TextRange range, const Speaker& speaker, QuoteForm form) {
    if (static_cast<int>(words_in(range.begin, range.end)) < options_.min_words) return;
    QuoteMention q;
    q.quote = range;
    q.form = form;
    q.speaker = speaker.name;
    q.speaker_kind = speaker.kind;
    q.attribution = speaker.at;
    q.written = speaker.written;
    out_->quotes.push_back(std::move(q));
  }

  // Updates the current speaker from the sentences of a region outside quotes, and reports
  // unquoted statements ("…, Rubio said.").
  void track(const Paragraph& p, size_t first, size_t last, bool ends_at_quote) {
    size_t s = first;
    while (s < last) {
      size_t e = s + 1;
      while (e < last && !sentence_break(p, e)) ++e;
      const Attribution a = attribution_in(p, s, e);
      if (a.who.kind != MentionKind::kNone) {
        const Speaker who = resolve(p, a.who);
        if (who.known()) last_speaker_ = who;
        // "…, Rubio said." : the attribution closes a whole sentence of at least six words.
        const bool closes = e == last && !ends_at_quote;
        const size_t subject_first = std::min<size_t>(a.who.first, a.verb);
        const size_t tail_end = std::max<size_t>(a.who.last, a.verb) + 1;
        if (closes && tail_end == e && subject_first >= s + 6 && has_comma(gap_before(p, subject_first)) &&
            who.known()) {
          emit({p.words[s].begin, p.words[subject_first - 1].end}, who, QuoteForm::kUnquoted);
        }
      }
      s = e;
    }
  }

  void attribute() {
    Speaker open_speaker;          // of a quote running on into the next paragraph
    Speaker previous_paragraph;    // of the last quote of the previous paragraph
    for (const Paragraph& p : paragraphs_) {
      const std::vector<Region> rs = regions(p);
      Speaker in_paragraph;  // of the previous quote in this paragraph
      for (size_t k = 0; k <= p.segments.size(); ++k) {
        const Region& r = rs[k];
        track(p, r.first, r.last, k < p.segments.size());
        if (k == p.segments.size()) break;
        const Segment& seg = p.segments[k];
        Speaker who;
        // After the quote: "…,” he said." / "…,” said Mr X."
        const Region& next = rs[k + 1];
        if (seg.closed && next.first < next.last) {
          size_t e = next.first + 1;
          while (e < next.last && !sentence_break(p, e)) ++e;
          const size_t limit = std::min(e, next.first + 6);
          Attribution a = attribution_in(p, next.first, limit);
          if (a.who.kind != MentionKind::kNone) {
            const size_t tail = std::max<size_t>(a.who.last, a.verb) + 1;
            const bool clause_ends = tail >= next.last || !has_colon(gap_before(p, tail));
            if (clause_ends) who = resolve(p, a.who);
          }
        }
        // Before the quote, within its sentence: "Mr Healey said: “…"
        if (!who.known() && !seg.continued) {
          size_t lo = r.last;
          while (lo > r.first && !sentence_break(p, lo)) --lo;
          const Attribution a = attribution_in(p, lo, r.last);
          if (a.who.kind != MentionKind::kNone) {
            who = resolve(p, a.who);
          } else if (a.verb_found) {  // "…, adding: “…" / "but added: “…"
            who = in_paragraph.known() ? in_paragraph : last_speaker_;
          }
        }
        if (!who.known() && seg.continued) who = open_speaker;
        if (!who.known() && in_paragraph.known()) who = in_paragraph;
        if (!who.known() && k == 0 && r.first == r.last && previous_paragraph.known()) who = previous_paragraph;
        if (who.kind == SpeakerKind::kNamed) last_speaker_ = who;
        const bool sentence_start = seg.continued || r.first == r.last || has_colon(gap_before(p, r.last)) ||
                                    sentence_break(p, r.last) ||
                                    (seg.begin < seg.end && is_uppercase_code_point(first_code_point(seg.begin)));
        emit({seg.begin, seg.end}, who, sentence_start ? QuoteForm::kDirect : QuoteForm::kPartial);
        in_paragraph = who;
        open_speaker = seg.closed ? Speaker{} : who;
      }
      previous_paragraph = p.segments.empty() ? Speaker{} : in_paragraph;
    }
  }

  char32_t first_code_point(uint32_t at) const {
    size_t i = at;
    return decode_utf8(text_, i);
  }

  std::string_view text_;
  std::span<const TextRange> skip_;
  const QuoteOptions& options_;
  QuoteExtraction* out_;
  std::vector<Paragraph> paragraphs_;
  std::vector<NameEntry> names_;
  std::vector<TitleEntry> titles_;
  Speaker last_speaker_;
};

}  // namespace

void extract_quotes(std::string_view text, std::span<const TextRange> skip, const QuoteOptions& options,
                    QuoteExtraction* out) {
  out->quotes.clear();
  out->names.clear();
  Extractor(text, skip, options, out).run();
}

int edit_distance(std::u32string_view a, std::u32string_view b, int limit) {
  if (a.size() > b.size()) std::swap(a, b);
  if (static_cast<int>(b.size() - a.size()) > limit) return limit + 1;
  std::vector<int> row(a.size() + 1);
  for (size_t i = 0; i <= a.size(); ++i) row[i] = static_cast<int>(i);
  for (size_t j = 1; j <= b.size(); ++j) {
    int diagonal = row[0];
    row[0] = static_cast<int>(j);
    int best = row[0];
    for (size_t i = 1; i <= a.size(); ++i) {
      const int up = row[i];
      row[i] = std::min({row[i] + 1, row[i - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
      best = std::min(best, row[i]);
    }
    if (best > limit) return limit + 1;
  }
  return row[a.size()];
}

bool same_person(std::string_view a, std::string_view b) {
  auto split = [](std::string_view s) {
    std::vector<std::string_view> parts;
    size_t i = 0;
    while (i < s.size()) {
      const size_t j = s.find_first_of(" -", i);
      const size_t e = j == std::string_view::npos ? s.size() : j;
      if (e > i) parts.push_back(s.substr(i, e - i));
      i = e + 1;
    }
    return parts;
  };
  const auto x = split(a), y = split(b);
  if (x.empty() || y.empty()) return false;
  if (!similar_surname(x.back(), y.back())) return false;
  if (x.size() == 1 || y.size() == 1) return true;
  const std::u32string fx = folded_code_points(x.front()), fy = folded_code_points(y.front());
  if (fx.empty() || fy.empty() || fx[0] != fy[0]) return false;
  return fx == fy || edit_distance(fx, fy, 2) <= 2;
}

}  // namespace samestory
