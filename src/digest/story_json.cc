#include "digest/story_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "base/json_writer.h"
#include "text/offsets.h"

namespace samestory {

std::string describe_member(const StoryMap& map, const StoryDigest& story, const StoryMemberDigest& m) {
  const auto other = [&]() -> std::string_view {
    return m.relative_to < 0 ? std::string_view()
                             : std::string_view(map.articles[story.members[static_cast<size_t>(m.relative_to)].article].doc.id);
  };
  switch (m.relation) {
    case MemberRelation::kFirst: return "first publisher";
    case MemberRelation::kExactCopy: return fmt::format("exact copy of {}", other());
    case MemberRelation::kNearCopy: return fmt::format("near copy of {} (Jaccard {:.2f})", other(), m.similarity);
    case MemberRelation::kContained: return fmt::format("contained in {} ({:.0f}% of it inside)", other(), 100 * m.similarity);
    case MemberRelation::kContains: return fmt::format("contains {} ({:.0f}% of it)", other(), 100 * m.similarity);
    case MemberRelation::kShares:
      return fmt::format("shares {:.0f}% of its words with earlier members (most with {})", 100 * m.shared_share(),
                         other());
    case MemberRelation::kIndependent:
      return m.shared_earlier ? fmt::format("independent report ({:.0f}% shared with earlier members)",
                                            100 * m.shared_share())
                              : std::string("independent report");
  }
  return {};
}

namespace {

void write_range(JsonWriter& w, TextRange r, const CodePointIndex& cp) {
  w.field("begin", static_cast<uint64_t>(r.begin)).field("end", static_cast<uint64_t>(r.end));
  w.field("char_begin", static_cast<uint64_t>(cp.at(r.begin))).field("char_end", static_cast<uint64_t>(cp.at(r.end)));
}

}  // namespace

void append_story_json(const StoryMap& map, uint32_t s, std::string* out) {
  const StoryDigest& story = map.stories[s];
  // Code point indexes, built once per member.
  std::vector<std::unique_ptr<CodePointIndex>> cps(story.members.size());
  auto cp = [&](uint32_t member) -> const CodePointIndex& {
    if (!cps[member]) cps[member] = std::make_unique<CodePointIndex>(map.articles[story.members[member].article].doc.text);
    return *cps[member];
  };
  auto doc = [&](uint32_t member) -> const Document& { return map.articles[story.members[member].article].doc; };

  JsonWriter w(out);
  w.begin_object();
  w.field("story", static_cast<uint64_t>(s) + 1);
  w.field("headline", story.headline);
  w.field("size", static_cast<uint64_t>(story.members.size()));
  std::string first_date, last_date;
  for (uint32_t p = 0; p < story.members.size(); ++p) {
    const PublishedTime& t = doc(p).published;
    if (!t.known()) continue;
    if (first_date.empty()) first_date = t.iso();
    last_date = t.iso();
  }
  w.field("first_date", first_date).field("last_date", last_date);
  w.key("outlets").begin_array();
  for (const std::string& o : story.outlets) w.value(o);
  w.end_array();
  w.key("first").begin_object();
  w.field("id", doc(0).id).field("outlet", doc(0).outlet).field("published", doc(0).published.iso());
  w.field("reason", story.first_reason);
  w.end_object();

  w.key("members").begin_array();
  for (uint32_t p = 0; p < story.members.size(); ++p) {
    const StoryMemberDigest& m = story.members[p];
    const MapArticle& a = map.articles[m.article];
    w.begin_object();
    w.field("id", a.doc.id).field("outlet", a.doc.outlet).field("published", a.doc.published.iso());
    w.field("title", a.doc.title);
    w.field("relation", to_string(m.relation));
    if (m.relative_to >= 0) {
      w.field("relative_to", doc(static_cast<uint32_t>(m.relative_to)).id);
    } else {
      w.key("relative_to").null();
    }
    w.field("similarity", m.similarity);
    w.field("summary", describe_member(map, story, m));
    w.field("words", static_cast<uint64_t>(m.words));
    w.field("shared_share", m.shared_share()).field("original_share", m.original_share());
    w.field("boilerplate_spans", static_cast<uint64_t>(a.removed.size()));
    w.key("own_passages").begin_array();
    for (const TextRange& r : m.own) {
      w.begin_object();
      write_range(w, r, cp(p));
      w.field("text", std::string_view(a.doc.text).substr(r.begin, r.end - r.begin));
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();

  w.key("shared_passages").begin_array();
  for (const MemberPair& pair : story.pairs) {
    w.begin_object();
    w.field("a", doc(pair.a).id).field("b", doc(pair.b).id);
    w.key("passages").begin_array();
    for (const SharedPassage& sp : pair.alignment.passages) {
      w.begin_object();
      w.key("a").begin_object();
      write_range(w, {sp.a.begin, sp.a.end}, cp(pair.a));
      w.end_object();
      w.key("b").begin_object();
      write_range(w, {sp.b.begin, sp.b.end}, cp(pair.b));
      w.end_object();
      w.field("matched_words", static_cast<uint64_t>(sp.matched_words)).field("score", sp.score);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();

  w.key("quotes").begin_array();
  for (const StoryQuote& q : story.quotes) {
    w.begin_object();
    w.field("speaker", q.speaker);
    if (q.anonymous) w.field("anonymous", true);
    w.field("text", q.text);
    w.key("outlets").begin_array();
    for (const std::string& o : q.outlets) w.value(o);
    w.end_array();
    w.key("occurrences").begin_array();
    for (const QuoteOccurrence& o : q.occurrences) {
      w.begin_object();
      w.field("id", doc(o.member).id);
      write_range(w, o.range, cp(o.member));
      w.field("form", to_string(o.form));
      if (!o.written.empty()) w.field("written", o.written);
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();

  w.key("speakers").begin_array();
  for (const StorySpeaker& sp : story.speakers) {
    w.begin_object();
    w.field("name", sp.name);
    w.key("spellings").begin_array();
    for (const std::string& x : sp.spellings) w.value(x);
    w.end_array();
    w.field("quotes", static_cast<uint64_t>(sp.quotes));
    w.end_object();
  }
  w.end_array();
  w.end_object();
  out->push_back('\n');
}

}  // namespace samestory
