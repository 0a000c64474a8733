#include "digest/report_page.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

#include "base/json_writer.h"
#include "digest/story_json.h"

namespace samestory {

namespace {

// Byte offsets of one text as UTF-16 offsets, for JavaScript.
class Utf16Index {
 public:
  explicit Utf16Index(std::string_view text) : at_(text.size() + 1) {
    uint32_t units = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      at_[i] = units;
      const auto c = static_cast<unsigned char>(text[i]);
      if ((c & 0xC0) != 0x80) units += c >= 0xF0 ? 2 : 1;  // a lead byte: one code point
    }
    at_[text.size()] = units;
  }
  uint64_t operator()(uint32_t byte) const { return at_[std::min<size_t>(byte, at_.size() - 1)]; }

 private:
  std::vector<uint32_t> at_;
};

void replace_once(std::string* page, std::string_view marker, std::string_view with) {
  const size_t at = page->find(marker);
  if (at != std::string::npos) page->replace(at, marker.size(), with);
}

}  // namespace

std::string render_report(const StoryMap& map, const ReportOptions& options, ReportStats* stats) {
  // Largest stories first, then by number.
  std::vector<uint32_t> shown(map.stories.size());
  std::iota(shown.begin(), shown.end(), 0);
  std::stable_sort(shown.begin(), shown.end(), [&](uint32_t a, uint32_t b) {
    return map.stories[a].members.size() > map.stories[b].members.size();
  });
  const uint64_t left_out = shown.size() > options.max_stories ? shown.size() - options.max_stories : 0;
  shown.resize(std::min<uint64_t>(shown.size(), options.max_stories));
  if (stats) *stats = {shown.size(), left_out};

  std::string data;
  JsonWriter w(&data);
  w.begin_object();
  w.field("articles_total", static_cast<uint64_t>(map.articles.size()));
  w.field("stories_total", static_cast<uint64_t>(map.stories.size()));
  w.field("left_out", left_out);
  // Articles are written once each, numbered in the order stories reach them.
  std::vector<uint32_t> article_order;
  std::unordered_map<uint32_t, uint32_t> article_key;
  w.key("stories").begin_array();
  for (uint32_t s : shown) {
    const StoryDigest& story = map.stories[s];
    w.begin_object();
    w.field("n", static_cast<uint64_t>(s) + 1).field("h", story.headline);
    w.field("size", static_cast<uint64_t>(story.members.size()));
    w.key("outlets").begin_array();
    for (const std::string& o : story.outlets) w.value(o);
    w.end_array();
    std::string first, last;
    for (const StoryMemberDigest& m : story.members) {
      const PublishedTime& t = map.articles[m.article].doc.published;
      if (!t.known()) continue;
      if (first.empty()) first = t.iso();
      last = t.iso();
    }
    w.field("first", first).field("last", last).field("reason", story.first_reason);
    std::vector<Utf16Index> units;
    units.reserve(story.members.size());
    w.key("m").begin_array();
    for (const StoryMemberDigest& m : story.members) {
      auto [it, inserted] = article_key.emplace(m.article, static_cast<uint32_t>(article_order.size()));
      if (inserted) article_order.push_back(m.article);
      units.emplace_back(map.articles[m.article].doc.text);
      w.begin_object();
      w.field("a", static_cast<uint64_t>(it->second)).field("rel", to_string(m.relation));
      w.field("sum", describe_member(map, story, m));
      w.field("orig", m.original_share()).field("shared", m.shared_share());
      w.field("words", static_cast<uint64_t>(m.words));
      w.end_object();
    }
    w.end_array();
    w.key("pairs").begin_array();
    for (const MemberPair& p : story.pairs) {
      w.begin_array().value(static_cast<uint64_t>(p.a)).value(static_cast<uint64_t>(p.b)).begin_array();
      for (const SharedPassage& sp : p.alignment.passages) {
        w.begin_array();
        w.value(units[p.a](sp.a.begin)).value(units[p.a](sp.a.end));
        w.value(units[p.b](sp.b.begin)).value(units[p.b](sp.b.end));
        w.end_array();
      }
      w.end_array().end_array();
    }
    w.end_array();
    w.key("q").begin_array();
    for (const StoryQuote& q : story.quotes) {
      w.begin_object().field("s", q.speaker).field("t", q.text);
      w.key("o").begin_array();
      for (const std::string& o : q.outlets) w.value(o);
      w.end_array();
      w.field("n", static_cast<uint64_t>(q.occurrences.size()));
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("articles").begin_array();
  for (uint32_t a : article_order) {
    const MapArticle& art = map.articles[a];
    const Utf16Index units(art.doc.text);
    w.begin_object();
    w.field("id", art.doc.id).field("outlet", art.doc.outlet).field("date", art.doc.published.iso());
    w.field("title", art.doc.title).field("url", art.doc.url).field("text", art.doc.text);
    w.key("rm").begin_array();
    for (const Removal& r : art.removed) {
      w.begin_array().value(units(r.range.begin)).value(units(r.range.end)).value(r.reason).end_array();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  // Inside <script>, "</" could end the element early: JSON allows "<\/" for it.
  std::string safe;
  safe.reserve(data.size() + data.size() / 64);
  for (size_t i = 0; i < data.size(); ++i) {
    safe += data[i];
    if (data[i] == '<' && i + 1 < data.size() && data[i + 1] == '/') safe += '\\';
  }

  std::string page(report_assets::page());
  replace_once(&page, "/*@SAMESTORY_CSS@*/", report_assets::style());
  replace_once(&page, "/*@SAMESTORY_JS@*/", report_assets::script());
  replace_once(&page, "/*@SAMESTORY_DATA@*/", safe);
  return page;
}

}  // namespace samestory
