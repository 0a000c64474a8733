#include "digest/report_page.h"

#include <algorithm>
#include <numeric>

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

// Inside <script>, "</" could end the element early: JSON allows "<\/" for it.
void append_script_safe(std::string_view json, std::string* out) {
  out->reserve(out->size() + json.size() + json.size() / 64);
  for (size_t i = 0; i < json.size(); ++i) {
    out->push_back(json[i]);
    if (json[i] == '<' && i + 1 < json.size() && json[i + 1] == '/') out->push_back('\\');
  }
}

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

  // The index (what the list needs) is parsed when the page opens; each story's details, texts
  // included, sit in a script element of their own, parsed only when the story is opened.
  std::string index, details;
  JsonWriter w(&index);
  w.begin_object();
  w.field("articles_total", static_cast<uint64_t>(map.articles.size()));
  w.field("stories_total", static_cast<uint64_t>(map.stories.size()));
  w.field("left_out", left_out);
  w.key("stories").begin_array();
  std::string detail;
  for (uint32_t s : shown) {
    const StoryDigest& story = map.stories[s];
    w.begin_object();
    w.field("n", static_cast<uint64_t>(s) + 1).field("h", story.headline);
    w.field("size", static_cast<uint64_t>(story.members.size()));
    w.key("outlets").begin_array();
    for (const std::string& o : story.outlets) w.value(o);
    w.end_array();
    w.key("speakers").begin_array();
    for (const StorySpeaker& sp : story.speakers) w.value(sp.name);
    w.end_array();
    std::string first;
    for (const StoryMemberDigest& m : story.members) {
      const PublishedTime& t = map.articles[m.article].doc.published;
      if (t.known()) {
        first = t.iso();
        break;
      }
    }
    w.field("first", first);
    w.end_object();

    detail.clear();
    JsonWriter d(&detail);
    d.begin_object();
    d.field("reason", story.first_reason);
    std::vector<Utf16Index> units;
    units.reserve(story.members.size());
    d.key("m").begin_array();
    for (const StoryMemberDigest& m : story.members) {
      const MapArticle& art = map.articles[m.article];
      units.emplace_back(art.doc.text);
      const Utf16Index& u = units.back();
      d.begin_object();
      d.field("id", art.doc.id).field("outlet", art.doc.outlet).field("date", art.doc.published.iso());
      d.field("title", art.doc.title).field("url", art.doc.url);
      d.field("rel", to_string(m.relation)).field("sum", describe_member(map, story, m));
      d.field("orig", m.original_share()).field("shared", m.shared_share());
      d.field("words", static_cast<uint64_t>(m.words));
      d.field("text", art.doc.text);
      d.key("rm").begin_array();
      for (const Removal& r : art.removed) {
        d.begin_array().value(u(r.range.begin)).value(u(r.range.end)).value(r.reason).end_array();
      }
      d.end_array();
      d.end_object();
    }
    d.end_array();
    d.key("pairs").begin_array();
    for (const MemberPair& p : story.pairs) {
      d.begin_array().value(static_cast<uint64_t>(p.a)).value(static_cast<uint64_t>(p.b)).begin_array();
      for (const SharedPassage& sp : p.alignment.passages) {
        d.begin_array();
        d.value(units[p.a](sp.a.begin)).value(units[p.a](sp.a.end));
        d.value(units[p.b](sp.b.begin)).value(units[p.b](sp.b.end));
        d.end_array();
      }
      d.end_array().end_array();
    }
    d.end_array();
    d.key("q").begin_array();
    for (const StoryQuote& q : story.quotes) {
      d.begin_object().field("s", q.speaker).field("t", q.text);
      d.key("o").begin_array();
      for (const std::string& o : q.outlets) d.value(o);
      d.end_array();
      d.end_object();
    }
    d.end_array();
    d.end_object();
    details += "<script type=\"application/json\" id=\"story-data-" + std::to_string(s + 1) + "\">";
    append_script_safe(detail, &details);
    details += "</script>\n";
  }
  w.end_array();
  w.end_object();
  std::string safe_index;
  append_script_safe(index, &safe_index);

  std::string page(report_assets::page());
  replace_once(&page, "/*@SAMESTORY_CSS@*/", report_assets::style());
  replace_once(&page, "/*@SAMESTORY_JS@*/", report_assets::script());
  replace_once(&page, "/*@SAMESTORY_DATA@*/", safe_index);
  replace_once(&page, "<!--@SAMESTORY_STORIES@-->", details);
  return page;
}

}  // namespace samestory
