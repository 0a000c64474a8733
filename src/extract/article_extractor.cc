#include "extract/article_extractor.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "base/ascii.h"
#include "extract/html_tree.h"
#include "extract/page_metadata.h"

namespace samestory {

namespace {

// Elements whose content is never article text.
bool never_content(Tag t) {
  switch (t) {
    case Tag::kHead: case Tag::kScript: case Tag::kStyle: case Tag::kNoscript: case Tag::kTemplate:
    case Tag::kIframe: case Tag::kObject: case Tag::kEmbed: case Tag::kSvg: case Tag::kCanvas:
    case Tag::kMath: case Tag::kButton: case Tag::kInput: case Tag::kSelect: case Tag::kOption:
    case Tag::kTextarea: case Tag::kLabel: case Tag::kNav: case Tag::kAside: case Tag::kFigure:
    case Tag::kFigcaption: case Tag::kMenu: case Tag::kDialog: case Tag::kFooter: case Tag::kVideo:
    case Tag::kAudio: case Tag::kPicture: case Tag::kFieldset: case Tag::kTitle:
    case Tag::kMeta: case Tag::kLink:
      return true;
    default:
      return false;
  }
}

// Elements that start a new line of text.
bool is_block(Tag t) {
  switch (t) {
    case Tag::kP: case Tag::kDiv: case Tag::kSection: case Tag::kArticle: case Tag::kMain:
    case Tag::kHeader: case Tag::kFooter: case Tag::kAside: case Tag::kNav: case Tag::kH1: case Tag::kH2:
    case Tag::kH3: case Tag::kH4: case Tag::kH5: case Tag::kH6: case Tag::kLi: case Tag::kUl: case Tag::kOl:
    case Tag::kDl: case Tag::kDt: case Tag::kDd: case Tag::kBlockquote: case Tag::kPre: case Tag::kTable:
    case Tag::kTr: case Tag::kTd: case Tag::kTh: case Tag::kForm: case Tag::kFieldset: case Tag::kFigure:
    case Tag::kFigcaption: case Tag::kAddress: case Tag::kCenter: case Tag::kHr: case Tag::kBr:
    case Tag::kBody: case Tag::kHtml: case Tag::kMenu: case Tag::kDialog:
      return true;
    default:
      return false;
  }
}

bool is_heading(Tag t) { return t >= Tag::kH1 && t <= Tag::kH6; }

// Splits a lower-case class/id string into its words ("article-body__text" -> article, body, text).
template <typename F>
void for_each_word(std::string_view s, F&& f) {
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && !((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9'))) ++i;
    size_t j = i;
    while (j < s.size() && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= '0' && s[j] <= '9'))) ++j;
    if (j > i) f(s.substr(i, j - i));
    i = j;
  }
}

template <size_t N>
bool contains_any(std::string_view s, const std::array<std::string_view, N>& needles) {
  for (std::string_view n : needles) {
    if (s.find(n) != std::string_view::npos) return true;
  }
  return false;
}

template <size_t N>
bool is_one_of(std::string_view s, const std::array<std::string_view, N>& words) {
  return std::find(words.begin(), words.end(), s) != words.end();
}

// Class and id words that name page furniture rather than the article.
constexpr std::array<std::string_view, 30> kBoilerplateParts = {
    "comment", "share", "sharing", "social", "related", "recommend", "newsletter", "subscri", "signup",
    "advert", "sponsor", "cookie", "consent", "gdpr", "sidebar", "widget", "breadcrumb", "footer",
    "masthead", "popup", "modal", "outbrain", "taboola", "disqus", "caption", "trending", "mostpopular",
    "most-popular", "readmore", "read-more"};
constexpr std::array<std::string_view, 25> kBoilerplateWords = {
    "ad", "ads", "adv", "nav", "navbar", "menu", "promo", "promos", "header", "banner", "tags", "tag",
    "byline", "credit", "credits", "toolbar", "pagination", "pager", "print", "rating", "login", "author",
    "bio", "meta", "skip"};
// Class words of screen-reader-only and hidden helpers (whole class names, not parts).
constexpr std::array<std::string_view, 6> kHiddenClasses = {"hidden", "sr-only", "visually-hidden",
                                                            "screen-reader-text", "visuallyhidden", "is-hidden"};
constexpr std::array<std::string_view, 12> kContentParts = {
    "article", "body", "content", "entry", "main", "post", "text", "story", "blog", "prose", "richtext",
    "rich-text"};

enum ClassVerdict : uint8_t { kNeutral = 0, kBoilerplate = 1, kContent = 2, kHiddenClass = 4 };

uint8_t judge_class(std::string_view class_and_id) {
  uint8_t verdict = kNeutral;
  if (contains_any(class_and_id, kBoilerplateParts)) verdict |= kBoilerplate;
  for_each_word(class_and_id, [&](std::string_view w) {
    if (is_one_of(w, kBoilerplateWords)) verdict |= kBoilerplate;
  });
  if (contains_any(class_and_id, kContentParts)) verdict |= kContent;
  size_t i = 0;
  while (i < class_and_id.size()) {
    size_t j = class_and_id.find(' ', i);
    if (j == std::string_view::npos) j = class_and_id.size();
    if (is_one_of(class_and_id.substr(i, j - i), kHiddenClasses)) verdict |= kHiddenClass;
    i = j + 1;
  }
  return verdict;
}

// A line that is only an advertising label ("Advertisement", "Story continues below
// advertisement") marks an ad slot whose markup named nothing: the slot is empty once scripts and
// buttons are gone, and the label is all that is left of it.
bool is_ad_label(std::string_view line) {
  if (line.size() > 48) return false;
  std::string key;
  for (char c : line) {
    const char l = ascii_lower(c);
    if ((l >= 'a' && l <= 'z') || l == ' ') key.push_back(l);
  }
  while (!key.empty() && key.back() == ' ') key.pop_back();
  while (!key.empty() && key.front() == ' ') key.erase(0, 1);
  static constexpr std::array<std::string_view, 9> kLabels = {
      "advertisement", "advertisements", "advert", "sponsored", "sponsored content", "advertisement hide ad",
      "story continues below advertisement", "article continues below advertisement", "continue reading below"};
  return is_one_of(std::string_view(key), kLabels);
}

size_t count_chars(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

size_t count_commas(std::string_view s) {
  size_t n = static_cast<size_t>(std::count(s.begin(), s.end(), ','));
  for (size_t at = s.find("\xEF\xBC\x8C"); at != std::string_view::npos; at = s.find("\xEF\xBC\x8C", at + 3)) ++n;
  return n;
}

class Extractor {
 public:
  Extractor(const HtmlTree& tree, const ExtractOptions& options) : tree_(tree), options_(options) {}

  std::vector<std::string> run() {
    const size_t n = tree_.nodes.size();
    dropped_.assign(n, false);
    verdict_.assign(n, kNeutral);
    classify();
    drop_by_kind();
    aggregate();
    drop_boilerplate_classes();
    aggregate();
    const uint32_t top = choose_container();
    if (top == kNoNode) return {};
    return collect_paragraphs(top);
  }

 private:
  void classify() {
    for (size_t i = 0; i < tree_.nodes.size(); ++i) {
      const HtmlAttributes* a = tree_.attrs_of(tree_.nodes[i]);
      if (a == nullptr) continue;
      uint8_t v = judge_class(a->class_and_id);
      if (a->hidden) v |= kHiddenClass;
      if (a->itemprop == "articlebody" || a->itemprop == "text") v = (v & ~kBoilerplate) | kContent;
      verdict_[i] = v;
    }
  }

  // Pass 1: what is never content by its kind.
  void drop_by_kind() {
    for (size_t i = 1; i < tree_.nodes.size(); ++i) {
      const HtmlNode& node = tree_.nodes[i];
      dropped_[i] = dropped_[node.parent] || never_content(node.tag);
    }
  }

  // Text counts of every subtree, over what is not dropped: all text, text inside links, and the
  // "own" text of each block (the text that is not inside a block below it).
  void aggregate() {
    const size_t n = tree_.nodes.size();
    chars_.assign(n, 0);
    link_chars_.assign(n, 0);
    own_chars_.assign(n, 0);
    own_commas_.assign(n, 0);
    block_chars_.assign(n, 0);
    for (size_t i = n; i-- > 1;) {
      const HtmlNode& node = tree_.nodes[i];
      if (dropped_[i]) continue;
      if (node.tag == Tag::kText) {
        const std::string_view text = tree_.text_of(node);
        chars_[i] = static_cast<uint32_t>(count_chars(text));
        own_chars_[i] = chars_[i];
        own_commas_[i] = static_cast<uint32_t>(count_commas(text));
      }
      if (node.tag == Tag::kA) link_chars_[i] = chars_[i];
      if (is_block(node.tag) && own_chars_[i] >= options_.min_block_chars) block_chars_[i] += own_chars_[i];
      const uint32_t p = node.parent;
      chars_[p] += chars_[i];
      link_chars_[p] += link_chars_[i];
      block_chars_[p] += block_chars_[i];
      if (!is_block(node.tag)) {
        own_chars_[p] += own_chars_[i];
        own_commas_[p] += own_commas_[i];
      }
    }
  }

  // Pass 2: page furniture named by class or id, hidden elements and forms, unless they hold most
  // of the page's paragraphs: a wrapper such as "page-with-sidebar" around the whole article, an
  // article that a script reveals, or a site whose every page is one <form> (ASP.NET's way).
  void drop_boilerplate_classes() {
    const uint32_t total = block_chars_[0];
    for (size_t i = 1; i < tree_.nodes.size(); ++i) {
      const HtmlNode& node = tree_.nodes[i];
      if (dropped_[node.parent]) {
        dropped_[i] = true;
        continue;
      }
      if (dropped_[i]) continue;
      const uint8_t v = verdict_[i];
      const bool hidden_or_form = (v & kHiddenClass) != 0 || node.tag == Tag::kForm;
      if ((v & kBoilerplate) == 0 && !hidden_or_form) continue;
      const double share = total == 0 ? 0.0 : static_cast<double>(block_chars_[i]) / total;
      const bool also_content = (v & kContent) != 0 && !hidden_or_form;
      if (share < (also_content ? 0.2 : 0.5)) dropped_[i] = true;
    }
  }

  double link_density(uint32_t i) const {
    return chars_[i] == 0 ? 0.0 : static_cast<double>(link_chars_[i]) / chars_[i];
  }

  double initial_score(uint32_t i) const {
    double s = 0;
    switch (tree_.nodes[i].tag) {
      case Tag::kDiv: s = 5; break;
      case Tag::kPre: case Tag::kTd: case Tag::kBlockquote: s = 3; break;
      case Tag::kAddress: case Tag::kOl: case Tag::kUl: case Tag::kDl: case Tag::kDd: case Tag::kDt:
      case Tag::kLi: case Tag::kForm: s = -3; break;
      case Tag::kH1: case Tag::kH2: case Tag::kH3: case Tag::kH4: case Tag::kH5: case Tag::kH6:
      case Tag::kTh: s = -5; break;
      default: break;
    }
    const uint8_t v = verdict_[i];
    if (v & kContent) s += 25;
    if (v & kBoilerplate) s -= 25;
    return s;
  }

  uint32_t choose_container() {
    const size_t n = tree_.nodes.size();
    score_.assign(n, 0.0);
    std::vector<bool> scored(n, false);
    for (size_t i = 1; i < n; ++i) {
      const HtmlNode& node = tree_.nodes[i];
      if (dropped_[i] || !is_block(node.tag) || node.tag == Tag::kLi || own_chars_[i] < options_.min_block_chars) continue;
      const double points = 1.0 + own_commas_[i] + std::min<double>(own_chars_[i] / 100, 3.0);
      // A block's points go to the block whose text it is (when that is a container of its own
      // text, like a <div> of text) and to its ancestors, less the further up they are.
      uint32_t a = node.tag == Tag::kP || is_heading(node.tag) || node.tag == Tag::kPre ? node.parent : static_cast<uint32_t>(i);
      for (int level = 0; level < 5 && a != kNoNode && a != 0; ++level, a = tree_.nodes[a].parent) {
        if (!scored[a]) {
          scored[a] = true;
          score_[a] = initial_score(a);
        }
        score_[a] += points / (level == 0 ? 1.0 : level == 1 ? 2.0 : level * 3.0);
      }
    }
    uint32_t top = kNoNode;
    std::vector<uint32_t> candidates;
    for (size_t i = 1; i < n; ++i) {
      if (!scored[i]) continue;
      score_[i] *= 1.0 - link_density(static_cast<uint32_t>(i));
      candidates.push_back(static_cast<uint32_t>(i));
      if (top == kNoNode || score_[i] > score_[top]) top = static_cast<uint32_t>(i);
    }
    if (top == kNoNode) return kNoNode;
    // Several near-best candidates under one ancestor: the article is split in parts (text broken
    // by ads or images), and the ancestor holds them all.
    std::sort(candidates.begin(), candidates.end(), [&](uint32_t x, uint32_t y) { return score_[x] > score_[y]; });
    std::vector<uint32_t> alternatives;
    for (size_t k = 1; k < candidates.size() && k < 5; ++k) {
      if (score_[candidates[k]] >= 0.75 * score_[top] && !contains(top, candidates[k])) alternatives.push_back(candidates[k]);
    }
    if (alternatives.size() >= 3) {
      for (uint32_t p = tree_.nodes[top].parent; p != kNoNode && p != 0 && tree_.nodes[p].tag != Tag::kBody;
           p = tree_.nodes[p].parent) {
        size_t inside = 0;
        for (uint32_t alt : alternatives) inside += contains(p, alt);
        if (inside >= 3) {
          top = p;
          break;
        }
      }
    }
    // A parent that scores better than its child, or nearly as well, holds more of the article.
    double last = score_[top];
    const double threshold = last / 3;
    for (uint32_t p = tree_.nodes[top].parent; p != kNoNode && p != 0 && tree_.nodes[p].tag != Tag::kBody;
         p = tree_.nodes[p].parent) {
      if (!scored[p]) continue;
      if (score_[p] < threshold) break;
      if (score_[p] > last) {
        top = p;
        break;
      }
      last = score_[p];
    }
    // An only child stands for its parent.
    for (uint32_t p = tree_.nodes[top].parent; p != kNoNode && p != 0 && tree_.nodes[p].tag != Tag::kBody &&
                                               only_child(top);
         p = tree_.nodes[p].parent) {
      top = p;
    }
    return top;
  }

  bool contains(uint32_t ancestor, uint32_t node) const {
    return node > ancestor && node < tree_.nodes[ancestor].subtree_end;
  }

  bool only_child(uint32_t i) const {
    const uint32_t p = tree_.nodes[i].parent;
    size_t elements = 0;
    for (uint32_t c = tree_.nodes[p].first_child; c != kNoNode; c = tree_.nodes[c].next_sibling) {
      if (dropped_[c]) continue;
      if (tree_.nodes[c].tag == Tag::kText) {
        if (chars_[c] > 1) return false;
        continue;
      }
      ++elements;
    }
    return elements == 1;
  }

  // The container and the siblings that score near it, in document order.
  std::vector<uint32_t> article_parts(uint32_t top) const {
    const uint32_t parent = tree_.nodes[top].parent;
    if (parent == kNoNode || parent == 0) return {top};
    const double threshold = std::max(10.0, score_[top] * 0.2);
    const std::string_view top_class = class_of(top);
    std::vector<uint32_t> parts;
    for (uint32_t s = tree_.nodes[parent].first_child; s != kNoNode; s = tree_.nodes[s].next_sibling) {
      if (dropped_[s]) continue;
      if (s == top) {
        parts.push_back(s);
        continue;
      }
      if (tree_.nodes[s].tag == Tag::kText) continue;
      double bonus = 0;
      if (!top_class.empty() && class_of(s) == top_class) bonus += score_[top] * 0.2;
      if (score_[s] + bonus >= threshold) {
        parts.push_back(s);
        continue;
      }
      if (tree_.nodes[s].tag == Tag::kP) {
        const double ld = link_density(s);
        if (chars_[s] > 80 && ld < 0.25) parts.push_back(s);
        else if (chars_[s] > 0 && chars_[s] <= 80 && ld == 0 && ends_sentence(s)) parts.push_back(s);
      }
    }
    return parts;
  }

  std::string_view class_of(uint32_t i) const {
    const HtmlAttributes* a = tree_.attrs_of(tree_.nodes[i]);
    return a == nullptr ? std::string_view() : std::string_view(a->class_and_id);
  }

  bool ends_sentence(uint32_t i) const {
    std::string last;
    for (uint32_t k = i + 1; k < tree_.nodes[i].subtree_end; ++k) {
      if (tree_.nodes[k].tag == Tag::kText && !dropped_[k]) last = tree_.text_of(tree_.nodes[k]);
    }
    while (!last.empty() && last.back() == ' ') last.pop_back();
    return !last.empty() && (last.back() == '.' || last.back() == '!' || last.back() == '?');
  }

  // Inside the article, a list, table or box that is mostly links is a list of other articles.
  bool is_link_box(uint32_t i) const {
    const Tag t = tree_.nodes[i].tag;
    const bool box = t == Tag::kUl || t == Tag::kOl || t == Tag::kTable || t == Tag::kDiv || t == Tag::kSection ||
                     t == Tag::kDl;
    return box && chars_[i] > 0 && link_density(i) > 0.5;
  }

  std::vector<std::string> collect_paragraphs(uint32_t top) const {
    std::vector<std::string> out;
    std::string line;
    size_t line_link_chars = 0;
    size_t line_chars = 0;
    Tag line_block = Tag::kP;
    auto flush = [&] {
      while (!line.empty() && line.back() == ' ') line.pop_back();
      const bool links = line_chars > 0 && static_cast<double>(line_link_chars) / line_chars > 0.6;
      if (!line.empty() && !links && line_block != Tag::kH1 && !is_ad_label(line)) out.push_back(line);
      line.clear();
      line_link_chars = line_chars = 0;
    };
    for (uint32_t part : article_parts(top)) {
      // Depth-first over the part, iteratively; `closing` entries end a block.
      struct Step {
        uint32_t node;
        bool closing;
        Tag outer_block;
      };
      std::vector<Step> stack{{part, false, Tag::kP}};
      while (!stack.empty()) {
        const Step step = stack.back();
        stack.pop_back();
        const HtmlNode& node = tree_.nodes[step.node];
        if (step.closing) {
          flush();
          line_block = step.outer_block;
          continue;
        }
        if (dropped_[step.node]) continue;
        if (node.tag == Tag::kText) {
          std::string_view text = tree_.text_of(node);
          if (line.empty() && text.starts_with(' ')) text.remove_prefix(1);
          if (!line.empty() && line.back() == ' ' && text.starts_with(' ')) text.remove_prefix(1);
          line += text;
          const size_t chars = count_chars(text);
          line_chars += chars;
          for (uint32_t a = node.parent; a != kNoNode && a >= part; a = tree_.nodes[a].parent) {
            if (tree_.nodes[a].tag == Tag::kA) {
              line_link_chars += chars;
              break;
            }
            if (is_block(tree_.nodes[a].tag)) break;
          }
          continue;
        }
        if (step.node != part && is_link_box(step.node)) continue;
        const bool block = is_block(node.tag);
        if (block) {
          flush();
          stack.push_back({step.node, true, line_block});
          line_block = node.tag;
        }
        // Children in reverse so that the first is taken first.
        std::vector<uint32_t> children;
        for (uint32_t c = node.first_child; c != kNoNode; c = tree_.nodes[c].next_sibling) children.push_back(c);
        for (size_t k = children.size(); k-- > 0;) stack.push_back({children[k], false, Tag::kP});
      }
      flush();
    }
    return out;
  }

  const HtmlTree& tree_;
  const ExtractOptions& options_;
  std::vector<bool> dropped_;
  std::vector<uint8_t> verdict_;
  std::vector<uint32_t> chars_, link_chars_, own_chars_, own_commas_, block_chars_;
  std::vector<double> score_;
};

}  // namespace

std::string ExtractedPage::body() const {
  std::string out;
  for (const std::string& p : paragraphs) {
    if (!out.empty()) out.push_back('\n');
    out += p;
  }
  return out;
}

ExtractedPage extract_article(std::string_view html, const ExtractOptions& options) {
  if (html.size() > options.max_page_bytes) {
    html = html.substr(0, options.max_page_bytes);
    while (!html.empty() && (static_cast<unsigned char>(html.back()) & 0xC0) == 0x80) html.remove_suffix(1);
    if (!html.empty() && static_cast<unsigned char>(html.back()) >= 0xC0) html.remove_suffix(1);
  }
  const HtmlTree tree = parse_html(html, options.max_depth);
  ExtractedPage page;
  read_page_metadata(tree, &page);
  page.paragraphs = Extractor(tree, options).run();
  return page;
}

}  // namespace samestory
