// digest_story: what one story is made of — who published first and why, how each member relates
// to the earlier ones, how much of each is its own, the passages only it carries, and the quotes
// with their speakers.
//
// Members are ordered by publication: the end of each member's known period (a date alone counts
// as the end of its day, so an article stamped 09:30 that day comes before it; undated last), then
// input order — the order `dedup --keep earliest` uses, so a duplicate group's representative is
// always its earliest member here too.
//
// Each member is aligned (align/aligner.h, on its words outside removed boilerplate) with earlier
// members: all of them up to DigestOptions::max_compared, else the ones sharing most words with
// it. From those alignments:
//   relation        exact / near copy, contained in / contains (from dedup, relative to the
//                   group's representative), else "shares" when at least `shares_at_least` of its
//                   words lie in passages shared with earlier members, else "independent";
//   original share  the fraction of its words in no passage shared with an earlier member;
//   own passages    runs of at least `min_own_words` words shared with no other compared member.
// Quotes (quotes.h) of all members are merged: speakers whose names are the same person
// (same_person: Sergey/Sergei Lavrov, Healey/Healy) become one, and two quotes by the same speaker
// (or one unattributed) are one when the shorter's word pairs are at least `same_quote`
// contained in the longer's, so a quote trimmed, re-punctuated or split differently by another
// outlet is still listed once, with every outlet that carried it.
//
// Guarantees: deterministic; every offset is a byte range of the member's original text; time is
// linear in the story's size times max_compared alignments.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "align/aligner.h"
#include "dedup/deduplicator.h"
#include "digest/quotes.h"
#include "io/document.h"

namespace samestory {

inline constexpr uint32_t kNoArticle = 0xFFFFFFFFu;

// One member as digest_story needs it. Views must outlive the call.
struct DigestInput {
  uint32_t article = 0;  // the caller's number for it (its position in the corpus)
  std::string_view id;
  std::string_view outlet;
  std::string_view title;
  std::string_view text;
  PublishedTime published;
  std::span<const TextRange> removed;     // boilerplate, sorted and disjoint
  const QuoteExtraction* quotes = nullptr;
  // Its duplicate group, when dedup put it in one: the representative's `article` and how this
  // member relates to it (kExact, kNear, kContained, kContains, kLinked).
  uint32_t copy_of = kNoArticle;
  Relation copy_relation = Relation::kLinked;
  double copy_similarity = 0;
};

struct DigestOptions {
  // Earlier members each member is aligned with. 16 covers every pair in the stories of the
  // Giveme5W1H set (largest 12) and bounds the work in very large stories.
  size_t max_compared = 16;
  // A member sharing less than this of its words with earlier ones is an independent report.
  // Below 0.1 the shared words are one or two common quotes, which independent reports carry too.
  double shares_at_least = 0.1;
  // The shortest run of a member's own words reported as a passage only it carries (about a
  // sentence; shorter runs are mostly edits inside shared copy).
  uint32_t min_own_words = 12;
  double same_quote = 0.6;
  AlignOptions align;
};

enum class MemberRelation : uint8_t { kFirst, kExactCopy, kNearCopy, kContained, kContains, kShares, kIndependent };
std::string_view to_string(MemberRelation r);

struct StoryMemberDigest {
  uint32_t article = 0;
  MemberRelation relation = MemberRelation::kFirst;
  int32_t relative_to = -1;       // the member (position in `members`) the relation is to, or -1
  double similarity = 0;          // Jaccard or containment for copies; the shared share for kShares
  uint32_t words = 0;             // words outside removed boilerplate
  uint32_t shared_earlier = 0;    // of them, in passages shared with earlier members
  uint32_t shared_any = 0;        // in passages shared with any compared member
  std::vector<TextRange> own;     // passages only this member carries, in text order
  double original_share() const { return words ? 1.0 - static_cast<double>(shared_earlier) / words : 0.0; }
  double shared_share() const { return words ? static_cast<double>(shared_earlier) / words : 0.0; }
};

// The passages two members share (positions in `members`, a < b: a published first).
struct MemberPair {
  uint32_t a = 0;
  uint32_t b = 0;
  Alignment alignment;
};

struct QuoteOccurrence {
  uint32_t member = 0;  // position in `members`
  TextRange range;
  QuoteForm form = QuoteForm::kDirect;
  std::string written;  // the attribution as that article wrote it, if it named the speaker
};

struct StoryQuote {
  std::string speaker;            // "" when no member attributes it
  bool anonymous = false;         // "a Cabinet minister", "officials"
  std::string text;               // its longest occurrence
  std::vector<QuoteOccurrence> occurrences;  // in member order
  std::vector<std::string> outlets;          // that carried it, in order of publication
};

struct StorySpeaker {
  std::string name;                    // the spelling most members use
  std::vector<std::string> spellings;  // every spelling seen, the name first
  uint32_t quotes = 0;
};

struct StoryDigest {
  std::string headline;
  std::vector<StoryMemberDigest> members;  // in publication order; members[0] published first
  std::string first_reason;                // why members[0] counts as first
  std::vector<std::string> outlets;        // distinct, in order of first publication
  std::vector<MemberPair> pairs;           // the alignments computed
  std::vector<StoryQuote> quotes;          // in order of first appearance
  std::vector<StorySpeaker> speakers;      // of the quotes, most quoted first
};

// `members` in any order; digest.members refers back to them through `article`.
StoryDigest digest_story(std::span<const DigestInput> members, const DigestOptions& options = {});

}  // namespace samestory
