// HtmlTree: a parsed page as a flat, compact tree: what the extractor walks several times.
//
// libxml2's HTML parser repairs the markup (unclosed tags, stray end tags, misnested inline
// elements) and decodes entities; its SAX events build arrays of small nodes in document order
// (libxml2's own tree is never built), so the extractor's passes are cache-friendly loops over
// indices. Text is stored with runs of white space collapsed to one space.
//
// Guarantees: nodes are in document (pre-)order, so a node's descendants follow it and a loop
// from the last node to the first sees every child before its parent; no walk recurses, so deep
// markup cannot exhaust the stack; attributes are kept only where the extractor needs them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace samestory {

// The element names the extractor tells apart; every other element is kOther.
enum class Tag : uint8_t {
  kText,  // a text node, not an element
  kOther,
  kA, kArticle, kAside, kBlockquote, kBody, kBr, kButton, kCanvas, kDd, kDialog, kDiv, kDl, kDt,
  kEmbed, kFieldset, kFigcaption, kFigure, kFooter, kForm, kH1, kH2, kH3, kH4, kH5, kH6, kHead,
  kHeader, kHr, kHtml, kIframe, kImg, kInput, kLabel, kLi, kLink, kMain, kMenu, kMeta, kNav,
  kNoscript, kObject, kOl, kOption, kP, kPre, kScript, kSection, kSelect, kStyle, kSvg, kTable,
  kTd, kTemplate, kTextarea, kTh, kTime, kTitle, kTr, kUl, kVideo, kAudio, kPicture, kSource,
  kMath, kAddress, kCenter, kSpan, kFont,
};

inline constexpr uint32_t kNoNode = UINT32_MAX;

struct HtmlNode {
  uint32_t parent = kNoNode;
  uint32_t next_sibling = kNoNode;
  uint32_t first_child = kNoNode;
  uint32_t subtree_end = 0;  // one past the last descendant: descendants are (index, subtree_end)
  uint32_t text_begin = 0;   // kText: the text, in HtmlTree::text
  uint32_t text_size = 0;
  uint32_t attrs = kNoNode;  // index into HtmlTree::attributes, kNoNode when none were kept
  Tag tag = Tag::kOther;
};

// The attributes of one element that the extractor reads; empty when absent.
struct HtmlAttributes {
  std::string class_and_id;  // class, a space, id: lower case
  std::string itemprop;      // lower case
  std::string name;          // <meta name>, lower case
  std::string property;      // <meta property>, lower case
  std::string content;       // <meta content>
  std::string rel;           // <link rel>, lower case
  std::string href;
  std::string type;          // <script type>, lower case
  std::string datetime;      // <time datetime>
  std::string lang;          // <html lang>
  std::string http_equiv;    // <meta http-equiv>, lower case
  bool hidden = false;       // hidden, aria-hidden="true", or an inline display:none
};

struct HtmlTree {
  std::vector<HtmlNode> nodes;  // nodes[0] is the document root (Tag::kOther)
  std::vector<HtmlAttributes> attributes;
  std::string text;  // the text of every text node, back to back
  // Raw text of <script type="application/ld+json"> and <title>, which the text nodes leave out.
  std::vector<std::string> json_ld;
  std::string title;

  std::string_view text_of(const HtmlNode& n) const { return std::string_view(text).substr(n.text_begin, n.text_size); }
  const HtmlAttributes* attrs_of(const HtmlNode& n) const { return n.attrs == kNoNode ? nullptr : &attributes[n.attrs]; }
};

// Parses valid UTF-8 `html`. Elements deeper than `max_depth` are attached at that depth.
HtmlTree parse_html(std::string_view html, size_t max_depth);

}  // namespace samestory
