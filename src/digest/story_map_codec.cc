#include "digest/story_map_codec.h"

#include <fmt/format.h>

#include "base/byte_codec.h"

namespace samestory {

// One field list per type serves both directions. They live in namespace samestory, not an
// anonymous one, because argument-dependent lookup must find them from byte_codec.h.

template <class IO>
void transfer(IO& io, PublishedTime& t) {
  io(t.unix_seconds)(t.precision);
}
template <class IO>
void transfer(IO& io, Provenance& p) {
  io(p.file)(p.line)(p.record)(p.byte_offset)(p.file_index);
}
template <class IO>
void transfer(IO& io, Document& d) {
  io(d.id)(d.outlet)(d.published)(d.url)(d.title)(d.text)(d.label)(d.source);
}
template <class IO>
void transfer(IO& io, TextRange& r) {
  io(r.begin)(r.end);
}
template <class IO>
void transfer(IO& io, ByteRange& r) {
  io(r.begin)(r.end);
}
template <class IO>
void transfer(IO& io, Removal& r) {
  io(r.range)(r.category)(r.reason);
}
template <class IO>
void transfer(IO& io, QuoteMention& q) {
  io(q.quote)(q.speaker)(q.speaker_kind)(q.attribution)(q.written)(q.form);
}
template <class IO>
void transfer(IO& io, QuoteExtraction& q) {
  io(q.quotes)(q.names);
}
template <class IO>
void transfer(IO& io, MapArticle& a) {
  io(a.doc)(a.removed)(a.byline)(a.quotes)(a.story)(a.member);
}
template <class IO>
void transfer(IO& io, StoryMemberDigest& m) {
  io(m.article)(m.relation)(m.relative_to)(m.similarity)(m.words)(m.shared_earlier)(m.shared_any)(m.own);
}
template <class IO>
void transfer(IO& io, SharedPassage& p) {
  io(p.a)(p.b)(p.a_words)(p.b_words)(p.matched_words)(p.score)(p.a_inserted_lines)(p.b_inserted_lines);
}
template <class IO>
void transfer(IO& io, Alignment& a) {
  io(a.passages)(a.a_words)(a.b_words)(a.a_shared_words)(a.b_shared_words);
}
template <class IO>
void transfer(IO& io, MemberPair& p) {
  io(p.a)(p.b)(p.alignment);
}
template <class IO>
void transfer(IO& io, QuoteOccurrence& o) {
  io(o.member)(o.range)(o.form)(o.written);
}
template <class IO>
void transfer(IO& io, StoryQuote& q) {
  io(q.speaker)(q.anonymous)(q.text)(q.occurrences)(q.outlets);
}
template <class IO>
void transfer(IO& io, StorySpeaker& s) {
  io(s.name)(s.spellings)(s.quotes);
}
template <class IO>
void transfer(IO& io, StoryDigest& d) {
  io(d.headline)(d.members)(d.first_reason)(d.outlets)(d.pairs)(d.quotes)(d.speakers);
}

namespace {

template <typename T>
std::string encode(std::span<const T> values) {
  std::string out;
  ByteWriter w(&out);
  w(static_cast<uint64_t>(values.size()));
  for (const T& v : values) w(v);
  return out;
}

template <typename T>
Result<std::vector<T>> decode(std::string_view bytes, const char* what) {
  std::vector<T> values;
  ByteReader r(bytes);
  r(values);
  if (!r.finished()) return Status::data_error(fmt::format("not {} written by this build of samestory", what));
  return values;
}

}  // namespace

std::string encode_articles(std::span<const MapArticle> articles) { return encode(articles); }
Result<std::vector<MapArticle>> decode_articles(std::string_view bytes) {
  return decode<MapArticle>(bytes, "articles");
}
std::string encode_digests(std::span<const StoryDigest> digests) { return encode(digests); }
Result<std::vector<StoryDigest>> decode_digests(std::string_view bytes) {
  return decode<StoryDigest>(bytes, "story digests");
}

}  // namespace samestory
