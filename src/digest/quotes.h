// extract_quotes: the direct quotes of one article and who said them.
//
// Forms found (English news conventions):
//   Mr Healey said: “…”            attribution before the quote, ending in a speech verb
//   “…,” he said. / “…,” said Mr X  attribution after the quote
//   He added: “…”                  a pronoun, resolved to the nearest preceding speaker
//   the defence secretary warned   a title, resolved to the person the article gives that title,
//                                  else the nearest named speaker (before, or for a lede, after)
//   …, Rubio said.                 an unquoted statement ending in an attribution
// A quote running over several paragraphs (each opening with a mark, none but the last closing
// it) keeps its speaker; a paragraph that is a bare quote after a paragraph whose quote had a
// speaker continues that speaker; a fragment later in the same paragraph as an attributed one
// ("… are “being developed” and … will define “the security of our world”") shares its speaker.
//
// Speakers are resolved within the article: a surname ("Mr Healy") to the nearest full name with
// that surname, allowing one typo; "Sir Ed" to a full name with that first name; a title to the
// name the article attaches it to ("Defence Secretary John Healey", "Heidi Alexander, the
// Transport Secretary"). Across articles, story_digest.h merges speakers and quotes.
//
// Guarantees: quote and speaker ranges are byte ranges of `text`, in text order; text inside the
// skipped ranges (removed boilerplate) is never read; pure function of its inputs. Quotes of
// fewer than QuoteOptions::min_words words (scare quotes, “backstop”) are not reported, but their
// attribution still sets the speaker later pronouns refer to.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace samestory {

struct TextRange {
  uint32_t begin = 0;
  uint32_t end = 0;
};

enum class QuoteForm : uint8_t {
  kDirect,    // a quoted sentence or more
  kPartial,   // quoted words inside reported speech
  kUnquoted,  // "…, Rubio said" without quotation marks
};
std::string_view to_string(QuoteForm form);

enum class SpeakerKind : uint8_t {
  kNone,       // no attribution found
  kNamed,      // a person's (or organisation's) name
  kAnonymous,  // "a Cabinet minister", "officials": said, but by no one named
};

struct QuoteMention {
  TextRange quote;            // the quoted words, without the marks
  std::string speaker;        // resolved name ("John Healey"), the phrase for kAnonymous, or ""
  SpeakerKind speaker_kind = SpeakerKind::kNone;
  TextRange attribution{};    // where the article names or refers to the speaker (empty if inherited)
  std::string written;        // that attribution as written when it names ("Mr Healy") or titles
                              // ("the defence secretary") the speaker; "" for pronouns
  QuoteForm form = QuoteForm::kDirect;
};

struct QuoteOptions {
  // Shorter quotes are scare quotes or single terms (“backstop”, “premature”), not statements.
  int min_words = 3;
};

struct QuoteExtraction {
  std::vector<QuoteMention> quotes;  // in text order
  // The people the article names outside quotes, full names (two words or more) as spelled, in
  // order of first mention: what speaker merging across a story compares.
  std::vector<std::string> names;
};

// `skip` must be sorted and disjoint (Cleaner's removed spans are).
void extract_quotes(std::string_view text, std::span<const TextRange> skip, const QuoteOptions& options,
                    QuoteExtraction* out);

// Person names: whether two spellings name the same person, across a transliteration or a typo
// (Sergey/Sergei Lavrov, Healey/Healy, Mr Lavrov/Sergei Lavrov). Case-insensitive; surnames within
// one edit (two for surnames of 8 letters or more), given names equal, within two edits, or absent
// on one side.
bool same_person(std::string_view a, std::string_view b);

// Levenshtein distance of two short strings in code points, stopping early above `limit`.
int edit_distance(std::u32string_view a, std::u32string_view b, int limit);

}  // namespace samestory
