#include "extract/html_tree.h"

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

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

// Appends the text of a libxml2 text (or attribute value) with white space runs collapsed.
void append_collapsed(const xmlChar* raw, std::string* out) {
  if (raw == nullptr) return;
  const auto* s = reinterpret_cast<const unsigned char*>(raw);
  bool space = !out->empty() && out->back() == ' ';
  for (size_t i = 0; s[i] != 0; ++i) {
    const unsigned char c = s[i];
    const bool blank = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    const bool nbsp = c == 0xC2 && s[i + 1] == 0xA0;
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

std::string attr_value(const xmlAttr* a) {
  std::string v;
  for (const xmlNode* c = a->children; c != nullptr; c = c->next) {
    if (c->content != nullptr) v += reinterpret_cast<const char*>(c->content);
  }
  return v;
}

bool style_hides(std::string_view style) {
  std::string s;
  for (char c : style) {
    if (c != ' ') s.push_back(ascii_lower(c));
  }
  return s.find("display:none") != std::string::npos || s.find("visibility:hidden") != std::string::npos;
}

// The attributes the extractor reads; false when the element has none of them.
bool read_attributes(const xmlNode* x, Tag tag, HtmlAttributes* out) {
  bool any = false;
  for (const xmlAttr* a = x->properties; a != nullptr; a = a->next) {
    const std::string_view name = reinterpret_cast<const char*>(a->name);
    auto set_lower = [&](std::string* field) {
      *field = lower_ascii(attr_value(a));
      any = true;
    };
    if (name == "class" || name == "id") {
      if (!out->class_and_id.empty()) out->class_and_id.push_back(' ');
      out->class_and_id += lower_ascii(attr_value(a));
      any = true;
    } else if (name == "itemprop") {
      set_lower(&out->itemprop);
    } else if (name == "hidden") {
      out->hidden = any = true;
    } else if (name == "aria-hidden") {
      if (iequals_ascii(attr_value(a), "true")) out->hidden = any = true;
    } else if (name == "style") {
      if (style_hides(attr_value(a))) out->hidden = any = true;
    } else if (tag == Tag::kMeta || tag == Tag::kLink || tag == Tag::kScript || tag == Tag::kTime ||
               tag == Tag::kHtml || tag == Tag::kA) {
      if (name == "name") set_lower(&out->name);
      else if (name == "property") set_lower(&out->property);
      else if (name == "content") out->content = attr_value(a), any = true;
      else if (name == "rel") set_lower(&out->rel);
      else if (name == "href" && tag != Tag::kA) out->href = attr_value(a), any = true;
      else if (name == "type") set_lower(&out->type);
      else if (name == "datetime") out->datetime = attr_value(a), any = true;
      else if (name == "lang") out->lang = attr_value(a), any = true;
      else if (name == "http-equiv") set_lower(&out->http_equiv);
    }
  }
  // An element hidden as a matter of course by its tag's attribute `hidden` on <input> etc. is
  // irrelevant; hidden matters only for containers of text.
  return any;
}

struct DocDeleter {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

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

}  // namespace

HtmlTree parse_html(std::string_view html, size_t max_depth) {
  silence_libxml();
  HtmlTree tree;
  tree.nodes.emplace_back();  // the root
  if (html.empty()) {
    tree.nodes[0].subtree_end = 1;
    return tree;
  }
  const int flags = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                    HTML_PARSE_COMPACT | HTML_PARSE_NOIMPLIED;
  std::unique_ptr<xmlDoc, DocDeleter> doc(
      htmlReadMemory(html.data(), static_cast<int>(html.size()), nullptr, "UTF-8", flags));
  if (doc == nullptr) {
    tree.nodes[0].subtree_end = 1;
    return tree;
  }
  tree.nodes.reserve(html.size() / 64 + 16);
  tree.text.reserve(html.size() / 4);

  struct Frame {
    const xmlNode* next_child;
    uint32_t index;          // the node children attach to
    uint32_t last_child;     // the last child attached so far
    bool opened_node;        // false for an element flattened into its ancestor
    Tag raw_text;            // kScript/kStyle/kTitle: their text is not page text
  };
  std::vector<Frame> stack;
  stack.push_back({doc->children, 0, kNoNode, true, Tag::kOther});
  auto attach = [&](Frame& f, uint32_t idx) {
    tree.nodes[idx].parent = f.index;
    if (f.last_child == kNoNode) {
      tree.nodes[f.index].first_child = idx;
    } else {
      tree.nodes[f.last_child].next_sibling = idx;
    }
    f.last_child = idx;
  };
  size_t depth = 1;
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.next_child == nullptr) {
      if (f.opened_node) {
        tree.nodes[f.index].subtree_end = static_cast<uint32_t>(tree.nodes.size());
        --depth;
      }
      const uint32_t last = f.last_child;
      const bool opened = f.opened_node;
      stack.pop_back();
      // A flattened element's children were attached to the frame below: carry its last child.
      if (!opened && !stack.empty()) stack.back().last_child = last;
      continue;
    }
    const xmlNode* x = f.next_child;
    f.next_child = x->next;
    if (x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE) {
      if (f.raw_text == Tag::kScript) {
        if (x->content != nullptr && !tree.json_ld.empty()) tree.json_ld.back() += reinterpret_cast<const char*>(x->content);
        continue;
      }
      if (f.raw_text == Tag::kTitle) {
        if (tree.title.empty()) append_collapsed(x->content, &tree.title);
        continue;
      }
      if (f.raw_text == Tag::kStyle) continue;
      const uint32_t begin = static_cast<uint32_t>(tree.text.size());
      append_collapsed(x->content, &tree.text);
      if (tree.text.size() == begin) continue;
      HtmlNode node;
      node.tag = Tag::kText;
      node.text_begin = begin;
      node.text_size = static_cast<uint32_t>(tree.text.size() - begin);
      const uint32_t idx = static_cast<uint32_t>(tree.nodes.size());
      node.subtree_end = idx + 1;
      tree.nodes.push_back(node);
      attach(stack.back(), idx);
      continue;
    }
    if (x->type != XML_ELEMENT_NODE) continue;
    const Tag tag = tag_of(x->name);
    Tag raw_text = f.raw_text == Tag::kStyle ? Tag::kStyle : Tag::kOther;
    if (tag == Tag::kStyle || tag == Tag::kNoscript || tag == Tag::kTemplate) raw_text = Tag::kStyle;
    if (tag == Tag::kTitle && tree.title.empty()) raw_text = Tag::kTitle;
    if (depth >= max_depth) {
      // Too deep: the element is not represented; its content joins the node at max_depth.
      if (x->children != nullptr) stack.push_back({x->children, f.index, f.last_child, false, raw_text});
      continue;
    }
    HtmlNode node;
    node.tag = tag;
    HtmlAttributes attrs;
    if (read_attributes(x, tag, &attrs)) {
      node.attrs = static_cast<uint32_t>(tree.attributes.size());
      if (tag == Tag::kScript && attrs.type == "application/ld+json") tree.json_ld.emplace_back();
      tree.attributes.push_back(std::move(attrs));
    }
    if (tag == Tag::kScript) {
      const bool json_ld = node.attrs != kNoNode && tree.attributes[node.attrs].type == "application/ld+json";
      raw_text = Tag::kScript;
      if (!json_ld) raw_text = Tag::kStyle;
    }
    const uint32_t idx = static_cast<uint32_t>(tree.nodes.size());
    node.subtree_end = idx + 1;
    tree.nodes.push_back(node);
    attach(f, idx);
    if (x->children != nullptr) {
      stack.push_back({x->children, idx, kNoNode, true, raw_text});
      ++depth;
    }
  }
  tree.nodes[0].subtree_end = static_cast<uint32_t>(tree.nodes.size());
  return tree;
}

}  // namespace samestory
