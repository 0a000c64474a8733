#include "digest/story_digest.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <unordered_map>

#include "base/sorted_intersection.h"
#include "dedup/union_find.h"
#include "text/segment.h"
#include "text/tokenize.h"

namespace samestory {

std::string_view to_string(MemberRelation r) {
  switch (r) {
    case MemberRelation::kFirst: return "first";
    case MemberRelation::kExactCopy: return "exact-copy";
    case MemberRelation::kNearCopy: return "near-copy";
    case MemberRelation::kContained: return "contained";
    case MemberRelation::kContains: return "contains";
    case MemberRelation::kShares: return "shares";
    case MemberRelation::kIndependent: return "independent";
  }
  return "independent";
}

namespace {

// A member's words outside removed boilerplate: what is aligned and counted.
AlignText content_of(const DigestInput& m) {
  AlignText t;
  t.text = m.text;
  std::vector<Token> all;
  tokenize(m.text, &all);
  t.tokens.reserve(all.size());
  auto r = m.removed.begin();
  for (const Token& tok : all) {
    while (r != m.removed.end() && r->end <= tok.begin) ++r;
    if (r != m.removed.end() && r->begin < tok.end) continue;
    t.tokens.push_back(tok);
  }
  return t;
}

// Marks the tokens inside `range` with `bit`.
void mark(const std::vector<Token>& tokens, ByteRange range, uint8_t bit, std::vector<uint8_t>* marks) {
  auto it = std::lower_bound(tokens.begin(), tokens.end(), range.begin,
                             [](const Token& t, uint32_t v) { return t.begin < v; });
  for (auto i = static_cast<size_t>(it - tokens.begin()); i < tokens.size() && tokens[i].end <= range.end; ++i) {
    (*marks)[i] |= bit;
  }
}

bool removed_between(std::span<const TextRange> removed, uint32_t from, uint32_t to) {
  auto it = std::lower_bound(removed.begin(), removed.end(), from,
                             [](const TextRange& r, uint32_t v) { return r.begin < v; });
  return it != removed.end() && it->begin < to;
}

std::vector<uint64_t> distinct_words(const AlignText& t) {
  std::vector<uint64_t> words;
  words.reserve(t.tokens.size());
  for (const Token& tok : t.tokens) words.push_back(tok.hash);
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

MemberRelation copy_relation(Relation r) {
  switch (r) {
    case Relation::kExact: return MemberRelation::kExactCopy;
    case Relation::kNear: return MemberRelation::kNearCopy;
    case Relation::kContained: return MemberRelation::kContained;
    case Relation::kContains: return MemberRelation::kContains;
    default: return MemberRelation::kShares;
  }
}

std::string first_reason(std::span<const DigestInput> in, const std::vector<uint32_t>& order,
                         const std::vector<int64_t>& keys) {
  const DigestInput& first = in[order[0]];
  if (order.size() == 1) return "the only article";
  if (!first.published.known()) return "no member gives a date; the first in input order counts";
  size_t ties = 0;
  for (size_t i = 1; i < order.size() && keys[order[i]] == keys[order[0]]; ++i) ++ties;
  const std::string when = first.published.iso();
  if (ties > 0) {
    return fmt::format("published {} like {} other member{}, and no member gives an earlier time; the first in "
                       "input order counts",
                       when, ties, ties == 1 ? "" : "s");
  }
  const DigestInput& next = in[order[1]];
  if (!next.published.known()) return fmt::format("the only member with a date ({})", when);
  return fmt::format("published {}, before {} ({})", when, next.outlet, next.published.iso());
}

std::string headline_of(std::span<const DigestInput> in, const std::vector<uint32_t>& order,
                        const std::vector<AlignText>& content) {
  for (uint32_t i : order) {
    if (!in[i].title.empty()) return std::string(in[i].title);
  }
  // No titles: the first sentence of the first publisher's own text.
  const AlignText& t = content[order[0]];
  if (t.tokens.empty()) return std::string(in[order[0]].id);
  const uint32_t from = t.tokens.front().begin;
  for (const Span& s : split_sentences(t.text.substr(from))) {
    std::string_view sentence = t.text.substr(from + s.begin, s.length());
    if (sentence.size() > 200) {
      size_t cut = sentence.rfind(' ', 200);
      sentence = sentence.substr(0, cut == std::string_view::npos ? 200 : cut);
      return std::string(sentence) + "…";
    }
    return std::string(sentence);
  }
  return std::string(in[order[0]].id);
}

// Word-pair hashes of a quote, sorted and distinct.
std::vector<uint64_t> word_pairs(std::string_view text) {
  std::vector<Token> tokens;
  tokenize(text, &tokens);
  std::vector<uint64_t> pairs;
  for (size_t i = 0; i + 1 < tokens.size(); ++i) pairs.push_back(tokens[i].hash * 0x9E3779B97F4A7C15ull ^ tokens[i + 1].hash);
  if (tokens.size() == 1) pairs.push_back(tokens[0].hash);
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  return pairs;
}

void digest_quotes(std::span<const DigestInput> in, const std::vector<uint32_t>& order, const DigestOptions& options,
                   StoryDigest* d) {
  // Speakers: every named speaker and every full name the members mention, merged by same_person.
  std::vector<std::string> names;
  std::unordered_map<std::string, uint32_t> name_index;
  std::vector<uint32_t> name_count;
  auto add_name = [&](const std::string& n, uint32_t weight) -> uint32_t {
    auto [it, inserted] = name_index.emplace(n, static_cast<uint32_t>(names.size()));
    if (inserted) {
      names.push_back(n);
      name_count.push_back(0);
    }
    name_count[it->second] += weight;
    return it->second;
  };
  struct Occ {
    uint32_t member;
    const QuoteMention* q;
    int32_t name = -1;  // index into names
  };
  std::vector<Occ> occs;
  for (uint32_t pos = 0; pos < order.size(); ++pos) {
    const QuoteExtraction* qx = in[order[pos]].quotes;
    if (!qx) continue;
    for (const std::string& n : qx->names) add_name(n, 1);
    for (const QuoteMention& q : qx->quotes) {
      Occ o{pos, &q, -1};
      if (q.speaker_kind == SpeakerKind::kNamed) o.name = static_cast<int32_t>(add_name(q.speaker, 2));
      occs.push_back(o);
    }
  }
  if (occs.empty()) return;
  // Only names that speak, or that a speaker's name could merge with, matter; cap the quadratic
  // comparison for stories naming thousands of people.
  UnionFind people(static_cast<uint32_t>(names.size()));
  constexpr size_t kMaxNamesCompared = 3000;
  const size_t compared = std::min(names.size(), kMaxNamesCompared);
  for (size_t i = 0; i < compared; ++i) {
    for (size_t j = i + 1; j < compared; ++j) {
      if (same_person(names[i], names[j])) people.unite(static_cast<uint32_t>(i), static_cast<uint32_t>(j));
    }
  }
  auto person = [&](int32_t name) { return name < 0 ? -1 : static_cast<int32_t>(people.find(static_cast<uint32_t>(name))); };

  // Quotes: the same words (by word pairs) from compatible speakers.
  std::vector<std::vector<uint64_t>> pairs(occs.size());
  std::unordered_map<uint64_t, std::vector<uint32_t>> postings;
  for (size_t i = 0; i < occs.size(); ++i) {
    const DigestInput& m = in[order[occs[i].member]];
    pairs[i] = word_pairs(m.text.substr(occs[i].q->quote.begin, occs[i].q->quote.end - occs[i].q->quote.begin));
    for (uint64_t p : pairs[i]) postings[p].push_back(static_cast<uint32_t>(i));
  }
  UnionFind same(static_cast<uint32_t>(occs.size()));
  std::unordered_map<uint32_t, uint32_t> shared;
  for (size_t i = 0; i < occs.size(); ++i) {
    shared.clear();
    for (uint64_t p : pairs[i]) {
      for (uint32_t j : postings[p]) {
        if (j > i) ++shared[j];
      }
    }
    for (const auto& [j, n] : shared) {
      const size_t smaller = std::min(pairs[i].size(), pairs[j].size());
      if (smaller == 0 || static_cast<double>(n) < options.same_quote * static_cast<double>(smaller)) continue;
      const int32_t a = person(occs[i].name), b = person(occs[j].name);
      const bool a_anonymous = occs[i].q->speaker_kind == SpeakerKind::kAnonymous;
      const bool b_anonymous = occs[j].q->speaker_kind == SpeakerKind::kAnonymous;
      if (a >= 0 && b >= 0 && a != b) continue;
      if ((a >= 0 && b_anonymous) || (b >= 0 && a_anonymous)) continue;
      same.unite(static_cast<uint32_t>(i), static_cast<uint32_t>(j));
    }
  }
  // Groups in order of first occurrence (occurrences are in member order, then text order).
  std::map<uint32_t, std::vector<uint32_t>> groups;
  std::vector<uint32_t> group_order;
  for (size_t i = 0; i < occs.size(); ++i) {
    const uint32_t root = same.find(static_cast<uint32_t>(i));
    if (groups[root].empty()) group_order.push_back(root);
    groups[root].push_back(static_cast<uint32_t>(i));
  }
  // A person's display name: the spelling used most (speaker attributions count double).
  std::map<int32_t, StorySpeaker> speakers;
  auto speaker_of = [&](int32_t root) -> StorySpeaker& {
    StorySpeaker& s = speakers[root];
    if (s.name.empty()) {
      uint32_t best = 0;
      for (size_t n = 0; n < names.size(); ++n) {
        if (people.find(static_cast<uint32_t>(n)) != static_cast<uint32_t>(root)) continue;
        s.spellings.push_back(names[n]);
        const bool full = names[n].find(' ') != std::string::npos;
        const uint32_t score = name_count[n] * 2 + (full ? 1 : 0);
        if (score > best) {
          best = score;
          s.name = names[n];
        }
      }
    }
    return s;
  };
  for (uint32_t root : group_order) {
    const std::vector<uint32_t>& g = groups[root];
    StoryQuote sq;
    std::map<int32_t, uint32_t> votes;
    size_t longest = 0;
    uint32_t longest_bytes = 0;
    bool anonymous = false;
    std::string anonymous_name;
    for (uint32_t i : g) {
      const Occ& o = occs[i];
      const QuoteMention& q = *o.q;
      sq.occurrences.push_back({o.member, q.quote, q.form, q.written});
      if (q.quote.end - q.quote.begin > longest_bytes) {
        longest_bytes = q.quote.end - q.quote.begin;
        longest = i;
      }
      if (o.name >= 0) ++votes[person(o.name)];
      if (q.speaker_kind == SpeakerKind::kAnonymous && anonymous_name.empty()) anonymous_name = q.speaker;
      anonymous = anonymous || q.speaker_kind == SpeakerKind::kAnonymous;
      const std::string_view outlet = in[order[o.member]].outlet;
      if (std::find(sq.outlets.begin(), sq.outlets.end(), outlet) == sq.outlets.end()) sq.outlets.emplace_back(outlet);
    }
    const Occ& lo = occs[longest];
    const DigestInput& lm = in[order[lo.member]];
    sq.text = std::string(lm.text.substr(lo.q->quote.begin, lo.q->quote.end - lo.q->quote.begin));
    if (!votes.empty()) {
      const auto best = std::max_element(votes.begin(), votes.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; });
      StorySpeaker& s = speaker_of(best->first);
      sq.speaker = s.name;
      ++s.quotes;
    } else if (anonymous) {
      sq.speaker = anonymous_name;
      sq.anonymous = true;
    }
    d->quotes.push_back(std::move(sq));
  }
  for (auto& [root, s] : speakers) {
    // The display name first, then the other spellings as first seen.
    auto it = std::find(s.spellings.begin(), s.spellings.end(), s.name);
    if (it != s.spellings.end()) std::rotate(s.spellings.begin(), it, it + 1);
    for (const Occ& o : occs) {
      if (person(o.name) != root || o.q->written.empty()) continue;
      // "Mr Healy": a spelling of its own when the surname differs from every full name's.
      const std::string_view w = o.q->written;
      const std::string_view last = w.substr(w.rfind(' ') == std::string_view::npos ? 0 : w.rfind(' ') + 1);
      bool seen = false;
      for (const std::string& sp : s.spellings) seen = seen || sp.ends_with(last);
      if (!seen && same_person(s.name, last)) s.spellings.emplace_back(last);
    }
    d->speakers.push_back(std::move(s));
  }
  std::stable_sort(d->speakers.begin(), d->speakers.end(),
                   [](const StorySpeaker& a, const StorySpeaker& b) { return a.quotes > b.quotes; });
}

}  // namespace

StoryDigest digest_story(std::span<const DigestInput> in, const DigestOptions& options) {
  StoryDigest d;
  if (in.empty()) return d;
  std::vector<int64_t> keys(in.size());
  for (size_t i = 0; i < in.size(); ++i) keys[i] = publication_key(in[i].published);
  std::vector<uint32_t> order(in.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return keys[a] != keys[b] ? keys[a] < keys[b] : in[a].article < in[b].article;
  });
  std::unordered_map<uint32_t, uint32_t> position;  // article -> position
  for (uint32_t p = 0; p < order.size(); ++p) position[in[order[p]].article] = p;

  std::vector<AlignText> content(in.size());
  std::vector<std::vector<uint64_t>> words(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    content[i] = content_of(in[i]);
    words[i] = distinct_words(content[i]);
  }
  d.headline = headline_of(in, order, content);
  d.first_reason = first_reason(in, order, keys);

  // Align each member with earlier ones.
  std::vector<std::vector<uint8_t>> marks(order.size());
  for (uint32_t p = 0; p < order.size(); ++p) marks[p].assign(content[order[p]].tokens.size(), 0);
  constexpr uint8_t kEarlier = 1, kAny = 2;
  for (uint32_t p = 1; p < order.size(); ++p) {
    std::vector<uint32_t> earlier(p);
    std::iota(earlier.begin(), earlier.end(), 0);
    if (earlier.size() > options.max_compared) {
      std::vector<size_t> overlap(p);
      for (uint32_t q = 0; q < p; ++q) overlap[q] = count_common<uint64_t>(words[order[p]], words[order[q]]);
      std::stable_sort(earlier.begin(), earlier.end(), [&](uint32_t a, uint32_t b) { return overlap[a] > overlap[b]; });
      earlier.resize(options.max_compared);
      std::sort(earlier.begin(), earlier.end());
    }
    for (uint32_t q : earlier) {
      MemberPair pair{q, p, align_texts(content[order[q]], content[order[p]], options.align)};
      if (pair.alignment.passages.empty()) continue;
      for (const SharedPassage& s : pair.alignment.passages) {
        mark(content[order[q]].tokens, s.a, kAny, &marks[q]);
        mark(content[order[p]].tokens, s.b, kEarlier | kAny, &marks[p]);
      }
      d.pairs.push_back(std::move(pair));
    }
  }

  for (uint32_t p = 0; p < order.size(); ++p) {
    const DigestInput& m = in[order[p]];
    const std::vector<Token>& tokens = content[order[p]].tokens;
    StoryMemberDigest md;
    md.article = m.article;
    md.words = static_cast<uint32_t>(tokens.size());
    for (uint8_t b : marks[p]) {
      md.shared_earlier += (b & kEarlier) != 0;
      md.shared_any += (b & kAny) != 0;
    }
    for (size_t i = 0; i < tokens.size();) {
      if (marks[p][i] & kAny) {
        ++i;
        continue;
      }
      // A run stops where removed boilerplate lies between two words.
      size_t j = i + 1;
      while (j < tokens.size() && !(marks[p][j] & kAny) && !removed_between(m.removed, tokens[j - 1].end, tokens[j].begin)) {
        ++j;
      }
      if (j - i >= options.min_own_words) md.own.push_back({tokens[i].begin, tokens[j - 1].end});
      i = j;
    }
    if (p == 0) {
      md.relation = MemberRelation::kFirst;
    } else if (auto rep = position.find(m.copy_of);
               m.copy_of != kNoArticle && rep != position.end() && rep->second < p &&
               m.copy_relation != Relation::kLinked && m.copy_relation != Relation::kRepresentative) {
      md.relation = copy_relation(m.copy_relation);
      md.relative_to = static_cast<int32_t>(rep->second);
      md.similarity = m.copy_similarity;
    } else if (md.shared_share() >= options.shares_at_least) {
      md.relation = MemberRelation::kShares;
      md.similarity = md.shared_share();
      // The earlier member it shares most with.
      uint32_t best = 0;
      for (const MemberPair& pair : d.pairs) {
        if (pair.b != p) continue;
        if (md.relative_to < 0 || pair.alignment.b_shared_words > best) {
          best = pair.alignment.b_shared_words;
          md.relative_to = static_cast<int32_t>(pair.a);
        }
      }
    } else {
      md.relation = MemberRelation::kIndependent;
      md.similarity = md.shared_share();
    }
    if (std::find(d.outlets.begin(), d.outlets.end(), m.outlet) == d.outlets.end()) d.outlets.emplace_back(m.outlet);
    d.members.push_back(std::move(md));
  }
  digest_quotes(in, order, options, &d);
  return d;
}

}  // namespace samestory
