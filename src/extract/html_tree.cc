#include "extract/html_tree.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "base/ascii.h"

namespace samestory {

namespace {

const std::unordered_map<std::string_view, Tag>& tag_table() {
  static const auto* table = new std::unordered_map<std::string_view, Tag>{
      {"a", Tag::kA}, {"article", Tag::kArticle}, {"aside", Tag::kAside}, {"blockquote", Tag::kBlockquote},
      {"body", Tag::kBody}, {"br", Tag::kBr}, {"button", Tag::kButton}, {"canvas", Tag::kCanvas},
      {"dd", Tag::kDd}, {"dialog", Tag::kDialog}, {"div", Tag::kDiv}, {"dl", Tag::kDl}, {"dt", Tag::kDt},
      {"embed", Tag::kEmbed}, {"fieldset", Tag::kFieldset}, {"figcaption", Tag::kFigcaption},
      {"figure", Tag::kFigure}, {"footer", Tag::kFooter}, {"form", Tag::kForm}, {"h1", Tag::kH1},
      {"h2", Tag::kH2}, {"h3", Tag::kH3}, {"h4", Tag::kH4}, {"h5", Tag::kH5}, {"h6", Tag::kH6},
      {"head", Tag::kHead}, {"header", Tag::kHeader}, {"hr", Tag::kHr}, {"html", Tag::kHtml},
      {"iframe", Tag::kIframe}, {"img", Tag::kImg}, {"input", Tag::kInput}, {"label", Tag::kLabel},
      {"li", Tag::kLi}, {"link", Tag::kLink}, {"main", Tag::kMain}, {"menu", Tag::kMenu},
      {"meta", Tag::kMeta}, {"nav", Tag::kNav}, {"noscript", Tag::kNoscript}, {"object", Tag::kObject},
      {"ol", Tag::kOl}, {"option", Tag::kOption}, {"p", Tag::kP}, {"pre", Tag::kPre},
      {"script", Tag::kScript}, {"section", Tag::kSection}, {"select", Tag::kSelect}, {"style", Tag::kStyle},
      {"svg", Tag::kSvg}, {"table", Tag::kTable}, {"td", Tag::kTd}, {"template", Tag::kTemplate},
      {"textarea", Tag::kTextarea}, {"th", Tag::kTh}, {"time", Tag::kTime}, {"title", Tag::kTitle},
      {"tr", Tag::kTr}, {"ul", Tag::kUl}, {"video", Tag::kVideo}, {"audio", Tag::kAudio},
      {"picture", Tag::kPicture}, {"source", Tag::kSource}, {"math", Tag::kMath},
      {"address", Tag::kAddress}, {"center", Tag::kCenter}, {"span", Tag::kSpan}, {"font", Tag::kFont},
  };
  return *table;
}

Tag tag_of(const xmlChar* name) {
  if (name == nullptr) return Tag::kOther;
  const auto& table = tag_table();
  auto it = table.find(reinterpret_cast<const char*>(name));
  return it == table.end() ? Tag::kOther : it->second;
}

// Appends text with white space runs (and no-break spaces) collapsed to one space.
void append_collapsed(std::string_view raw, std::string* out) {
  const auto* s = reinterpret_cast<const unsigned char*>(raw.data());
  const size_t n = raw.size();
  bool space = !out->empty() && out->back() == ' ';
  for (size_t i = 0; i < n; ++i) {
    const unsigned char c = s[i];
    const bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    const bool nbsp = c == 0xC2 && i + 1 < n && s[i + 1] == 0xA0;
    if (blank || nbsp) {
      if (nbsp) ++i;
      if (!space) out->push_back(' ');
      space = true;
    } else {
      out->push_back(static_cast<char>(c));
      space = false;
    }
  }
}

bool style_hides(std::string_view style) {
  std::string s;
  for (char c : style) {
    if (c != ' ') s.push_back(ascii_lower(c));
  }
  return s.find("display:none") != std::string::npos || s.find("visibility:hidden") != std::string::npos;
}

// The attributes the extractor reads, from libxml2's SAX list (name, value, name, value, ...,
// NULL; a value is NULL for a bare attribute such as `hidden`); false when none is there.
bool read_attributes(const xmlChar** atts, Tag tag, HtmlAttributes* out) {
  bool any = false;
  if (atts == nullptr) return false;
  for (size_t i = 0; atts[i] != nullptr; i += 2) {
    const std::string_view name = reinterpret_cast<const char*>(atts[i]);
    const std::string_view value = atts[i + 1] == nullptr ? std::string_view() : reinterpret_cast<const char*>(atts[i + 1]);
    auto set_lower = [&](std::string* field) {
      *field = lower_ascii(value);
      any = true;
    };
    if (name == "class" || name == "id") {
      if (!out->class_and_id.empty()) out->class_and_id.push_back(' ');
      out->class_and_id += lower_ascii(value);
      any = true;
    } else if (name == "itemprop") {
      set_lower(&out->itemprop);
    } else if (name == "hidden") {
      out->hidden = any = true;
    } else if (name == "aria-hidden") {
      if (iequals_ascii(value, "true")) out->hidden = any = true;
    } else if (name == "style") {
      if (style_hides(value)) out->hidden = any = true;
    } else if (tag == Tag::kMeta || tag == Tag::kLink || tag == Tag::kScript || tag == Tag::kTime ||
               tag == Tag::kHtml) {
      if (name == "name") set_lower(&out->name);
      else if (name == "property") set_lower(&out->property);
      else if (name == "content") out->content = value, any = true;
      else if (name == "rel") set_lower(&out->rel);
      else if (name == "href") out->href = value, any = true;
      else if (name == "type") set_lower(&out->type);
      else if (name == "datetime") out->datetime = value, any = true;
      else if (name == "lang") out->lang = value, any = true;
      else if (name == "http-equiv") set_lower(&out->http_equiv);
    }
  }
  return any;
}

// libxml2 reports recoverable markup errors through a global handler; broken markup is the normal
// case on the web and the parser repairs it, so the messages are noise.
void ignore_libxml_message(void*, const char*, ...) {}

void silence_libxml() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetGenericErrorFunc(nullptr, ignore_libxml_message);
  });
}


// Builds an HtmlTree from libxml2's SAX events. The HTML parser repairs the markup before it
// reports it (implied and misnested elements are closed with their own end events), so the
// events are balanced; building from them skips libxml2's own tree, which costs more than the
// parse (measured: 147 MB/s for the SAX parse, 93 MB/s with the tree).
class TreeBuilder {
 public:
  TreeBuilder(HtmlTree* tree, size_t max_depth) : tree_(*tree), max_depth_(max_depth) {
    tree_.nodes.emplace_back();  // the root
    stack_.push_back({0, kNoNode, true, Tag::kOther});
  }

  void start(const xmlChar* name, const xmlChar** atts) {
    Frame& f = stack_.back();
    const Tag tag = tag_of(name);
    Tag raw_text = f.raw_text == Tag::kStyle ? Tag::kStyle : Tag::kOther;
    if (tag == Tag::kStyle || tag == Tag::kNoscript || tag == Tag::kTemplate) raw_text = Tag::kStyle;
    if (tag == Tag::kTitle && tree_.title.empty() && raw_text == Tag::kOther) raw_text = Tag::kTitle;
    if (depth_ >= max_depth_) {
      // Too deep: the element is not represented; its content joins the node at max_depth.
      stack_.push_back({f.index, f.last_child, false, raw_text});
      return;
    }
    HtmlNode node;
    node.tag = tag;
    HtmlAttributes attrs;
    if (read_attributes(atts, tag, &attrs)) {
      node.attrs = static_cast<uint32_t>(tree_.attributes.size());
      tree_.attributes.push_back(std::move(attrs));
    }
    if (tag == Tag::kScript) {
      const bool json_ld = node.attrs != kNoNode && tree_.attributes[node.attrs].type == "application/ld+json";
      raw_text = json_ld && raw_text == Tag::kOther ? Tag::kScript : Tag::kStyle;
      if (raw_text == Tag::kScript) tree_.json_ld.emplace_back();
    }
    const uint32_t idx = static_cast<uint32_t>(tree_.nodes.size());
    node.subtree_end = idx + 1;
    tree_.nodes.push_back(node);
    attach(f, idx);
    stack_.push_back({idx, kNoNode, true, raw_text});
    ++depth_;
  }

  void end() {
    if (stack_.size() <= 1) return;  // an end with no start: the parser drops those, but be sure
    pop();
  }

  void text(const xmlChar* chars, int len) {
    Frame& f = stack_.back();
    const std::string_view raw(reinterpret_cast<const char*>(chars), static_cast<size_t>(len));
    if (f.raw_text == Tag::kScript) {
      if (!tree_.json_ld.empty()) tree_.json_ld.back() += raw;
      return;
    }
    if (f.raw_text == Tag::kTitle) {
      append_collapsed(raw, &tree_.title);
      return;
    }
    if (f.raw_text == Tag::kStyle) return;
    // The parser may report one text node in several pieces: they extend the node.
    const bool extend = f.last_child != kNoNode && tree_.nodes[f.last_child].tag == Tag::kText &&
                        tree_.nodes[f.last_child].text_begin + tree_.nodes[f.last_child].text_size == tree_.text.size();
    const uint32_t begin = static_cast<uint32_t>(tree_.text.size());
    append_collapsed(raw, &tree_.text);
    const uint32_t added = static_cast<uint32_t>(tree_.text.size() - begin);
    if (added == 0) return;
    if (extend) {
      tree_.nodes[f.last_child].text_size += added;
      return;
    }
    HtmlNode node;
    node.tag = Tag::kText;
    node.text_begin = begin;
    node.text_size = added;
    const uint32_t idx = static_cast<uint32_t>(tree_.nodes.size());
    node.subtree_end = idx + 1;
    tree_.nodes.push_back(node);
    attach(f, idx);
  }

  void finish() {
    while (stack_.size() > 1) pop();
    tree_.nodes[0].subtree_end = static_cast<uint32_t>(tree_.nodes.size());
  }

 private:
  struct Frame {
    uint32_t index;       // the node children attach to
    uint32_t last_child;  // the last child attached so far
    bool opened_node;     // false for an element flattened into its ancestor
    Tag raw_text;         // kScript (JSON-LD), kTitle, kStyle (skipped): text that is not page text
  };

  void attach(Frame& f, uint32_t idx) {
    tree_.nodes[idx].parent = f.index;
    if (f.last_child == kNoNode) {
      tree_.nodes[f.index].first_child = idx;
    } else {
      tree_.nodes[f.last_child].next_sibling = idx;
    }
    f.last_child = idx;
  }

  void pop() {
    const Frame f = stack_.back();
    stack_.pop_back();
    if (f.opened_node) {
      tree_.nodes[f.index].subtree_end = static_cast<uint32_t>(tree_.nodes.size());
      --depth_;
    } else {
      stack_.back().last_child = f.last_child;  // a flattened element's children joined the frame below
    }
  }

  HtmlTree& tree_;
  const size_t max_depth_;
  size_t depth_ = 1;
  std::vector<Frame> stack_;
};

void on_start(void* builder, const xmlChar* name, const xmlChar** atts) {
  static_cast<TreeBuilder*>(builder)->start(name, atts);
}
void on_end(void* builder, const xmlChar*) { static_cast<TreeBuilder*>(builder)->end(); }
void on_text(void* builder, const xmlChar* chars, int len) { static_cast<TreeBuilder*>(builder)->text(chars, len); }

struct ContextDeleter {
  void operator()(htmlParserCtxt* c) const { htmlFreeParserCtxt(c); }
};

}  // namespace

HtmlTree parse_html(std::string_view html, size_t max_depth) {
  silence_libxml();
  HtmlTree tree;
  TreeBuilder builder(&tree, max_depth);
  std::unique_ptr<htmlParserCtxt, ContextDeleter> ctxt(htmlNewParserCtxt());
  if (!html.empty() && ctxt != nullptr && html.size() < static_cast<size_t>(INT32_MAX)) {
    tree.nodes.reserve(html.size() / 64 + 16);
    tree.text.reserve(html.size() / 4);
    xmlSAXHandler* sax = ctxt->sax;
    std::memset(sax, 0, sizeof *sax);
    sax->initialized = 1;  // SAX1-style callbacks, which the HTML parser calls
    sax->startElement = on_start;
    sax->endElement = on_end;
    sax->characters = on_text;
    sax->cdataBlock = on_text;           // script and style content
    sax->ignorableWhitespace = on_text;  // white space between words still separates them
    ctxt->userData = &builder;
    // The input is UTF-8 already (decode_page): say so, and ignore the page's own declaration,
    // which may name the charset the page had before decode_page converted it.
    const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                        HTML_PARSE_NOIMPLIED | HTML_PARSE_IGNORE_ENC;
    xmlDoc* doc = htmlCtxtReadMemory(ctxt.get(), html.data(), static_cast<int>(html.size()), nullptr, "UTF-8", options);
    if (doc != nullptr) xmlFreeDoc(doc);  // not built with these callbacks; freed if it ever is
  }
  builder.finish();
  return tree;
}

}  // namespace samestory
