#include "extract/page_metadata.h"

#include <simdjson.h>

#include <algorithm>
#include <array>

#include "base/ascii.h"

namespace samestory {

namespace dom = simdjson::dom;

namespace {

// Where a field's value came from: a stronger source replaces a weaker one, never the reverse.
enum Strength : int { kNone = 0, kWeak = 1, kMeta = 2, kOpenGraph = 3, kJsonLd = 4 };

struct Candidate {
  std::string value;
  int strength = kNone;
  void offer(std::string_view v, int s) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\n' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\n' || v.back() == '\t')) v.remove_suffix(1);
    if (v.empty() || s <= strength) return;
    value.assign(v);
    strength = s;
  }
};

struct Collected {
  Candidate title, published, canonical_url, site_name, language, description;
  std::vector<std::string> authors;
  int authors_strength = kNone;

  void offer_authors(std::vector<std::string> names, int s) {
    std::erase_if(names, [](const std::string& n) { return n.empty() || n.starts_with("http"); });
    if (names.empty() || s <= authors_strength) return;
    authors = std::move(names);
    authors_strength = s;
  }
};

bool is_article_type(std::string_view type) {
  static constexpr std::array<std::string_view, 9> kTypes = {
      "article", "newsarticle", "blogposting", "reportagenews", "analysisnewsarticle",
      "opinionnewsarticle", "liveblogposting", "backgroundnewsarticle", "scholarlyarticle"};
  const std::string t = lower_ascii(type);
  return std::find(kTypes.begin(), kTypes.end(), t) != kTypes.end();
}

bool has_article_type(dom::object obj) {
  dom::element type;
  if (obj["@type"].get(type) != simdjson::SUCCESS) return false;
  if (std::string_view s; type.get(s) == simdjson::SUCCESS) return is_article_type(s);
  if (dom::array a; type.get(a) == simdjson::SUCCESS) {
    for (dom::element e : a) {
      if (std::string_view s; e.get(s) == simdjson::SUCCESS && is_article_type(s)) return true;
    }
  }
  return false;
}

std::string_view string_field(dom::object obj, std::string_view key) {
  std::string_view s;
  if (obj[key].get(s) == simdjson::SUCCESS) return s;
  return {};
}

// "name" of an object, the string itself, or each of an array's.
void names_of(dom::element e, std::vector<std::string>* out) {
  if (std::string_view s; e.get(s) == simdjson::SUCCESS) {
    out->emplace_back(s);
  } else if (dom::object o; e.get(o) == simdjson::SUCCESS) {
    if (std::string_view n = string_field(o, "name"); !n.empty()) out->emplace_back(n);
  } else if (dom::array a; e.get(a) == simdjson::SUCCESS) {
    for (dom::element item : a) names_of(item, out);
  }
}

void read_article_object(dom::object obj, Collected* c) {
  c->title.offer(string_field(obj, "headline"), kJsonLd);
  c->published.offer(string_field(obj, "datePublished"), kJsonLd);
  c->language.offer(string_field(obj, "inLanguage"), kJsonLd);
  c->description.offer(string_field(obj, "description"), kJsonLd);
  if (dom::element author; obj["author"].get(author) == simdjson::SUCCESS) {
    std::vector<std::string> names;
    names_of(author, &names);
    c->offer_authors(std::move(names), kJsonLd);
  }
  if (dom::object publisher; obj["publisher"].get(publisher) == simdjson::SUCCESS) {
    c->site_name.offer(string_field(publisher, "name"), kJsonLd);
  }
  std::string_view url = string_field(obj, "url");
  if (url.empty()) {
    if (dom::object main; obj["mainEntityOfPage"].get(main) == simdjson::SUCCESS) url = string_field(main, "@id");
    else url = string_field(obj, "mainEntityOfPage");
  }
  if (url.starts_with("http")) c->canonical_url.offer(url, kJsonLd);
}

// Visits objects of an article type anywhere in a JSON-LD value (arrays, @graph), iteratively.
void read_json_ld(dom::element root, Collected* c) {
  std::vector<dom::element> pending{root};
  size_t visited = 0;
  while (!pending.empty() && ++visited < 10000) {
    dom::element e = pending.back();
    pending.pop_back();
    if (dom::array a; e.get(a) == simdjson::SUCCESS) {
      for (dom::element item : a) pending.push_back(item);
    } else if (dom::object o; e.get(o) == simdjson::SUCCESS) {
      if (has_article_type(o)) read_article_object(o, c);
      if (dom::element graph; o["@graph"].get(graph) == simdjson::SUCCESS) pending.push_back(graph);
    }
  }
}

// "en_GB" (Open Graph's form) -> "en-GB".
std::string bcp47(std::string_view locale) {
  std::string s(locale);
  std::replace(s.begin(), s.end(), '_', '-');
  return s;
}

// The site's name is often appended to <title> ("Headline | Site"): keep the longest part.
std::string headline_of_title(std::string_view title) {
  static constexpr std::array<std::string_view, 4> kSeparators = {" | ", " - ", " – ", " — "};
  for (std::string_view sep : kSeparators) {
    const size_t at = title.rfind(sep);
    if (at == std::string_view::npos) continue;
    std::string_view head = title.substr(0, at), tail = title.substr(at + sep.size());
    return std::string(head.size() >= tail.size() ? head : tail);
  }
  return std::string(title);
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// News URLs often carry their date: ".../2019/11/19/slug" or ".../2019-11-19-slug". A date only
// (day precision), and only when the month and day are plausible.
std::string date_from_url(std::string_view url) {
  for (size_t i = 0; i + 10 <= url.size(); ++i) {
    if (url[i] != '/' || !all_digits(url.substr(i + 1, 4))) continue;
    const char sep = i + 5 < url.size() ? url[i + 5] : '\0';
    if (sep != '/' && sep != '-') continue;
    if (i + 11 > url.size()) break;
    const std::string_view year = url.substr(i + 1, 4), month = url.substr(i + 6, 2);
    if (!all_digits(month) || url.size() < i + 11 || url[i + 8] != sep) continue;
    const std::string_view day = url.substr(i + 9, 2);
    if (!all_digits(day)) continue;
    const int y = (year[0] - '0') * 1000 + (year[1] - '0') * 100 + (year[2] - '0') * 10 + (year[3] - '0');
    const int m = (month[0] - '0') * 10 + (month[1] - '0'), d = (day[0] - '0') * 10 + (day[1] - '0');
    const bool ends = i + 11 == url.size() || url[i + 11] == '/' || url[i + 11] == '-' || url[i + 11] == '.';
    if (y >= 1990 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31 && ends) {
      return std::string(year) + "-" + std::string(month) + "-" + std::string(day);
    }
  }
  return {};
}

}  // namespace

void read_page_metadata(const HtmlTree& tree, ExtractedPage* page) {
  Collected c;
  dom::parser parser;
  for (const std::string& json : tree.json_ld) {
    dom::element root;
    if (parser.parse(json).get(root) == simdjson::SUCCESS) read_json_ld(root, &c);
  }
  bool first_time = true;
  for (const HtmlNode& node : tree.nodes) {
    const HtmlAttributes* a = tree.attrs_of(node);
    if (a == nullptr) continue;
    if (node.tag == Tag::kHtml) c.language.offer(a->lang, kWeak);
    if (node.tag == Tag::kLink && (" " + a->rel + " ").find(" canonical ") != std::string::npos) {
      c.canonical_url.offer(a->href, kOpenGraph);
    }
    if (node.tag == Tag::kTime && !a->datetime.empty()) {
      const bool declared = a->itemprop == "datepublished" || a->class_and_id.find("publish") != std::string::npos;
      if (declared || first_time) c.published.offer(a->datetime, declared ? kMeta : kWeak);
      first_time = false;
    }
    if (a->itemprop == "datepublished") c.published.offer(a->content.empty() ? a->datetime : a->content, kMeta);
    if (node.tag != Tag::kMeta) continue;
    const std::string_view key = !a->property.empty() ? std::string_view(a->property)
                                 : !a->name.empty()    ? std::string_view(a->name)
                                                       : std::string_view(a->itemprop);
    const std::string_view value = a->content;
    if (key == "og:title" || key == "twitter:title") c.title.offer(value, kOpenGraph);
    else if (key == "og:site_name") c.site_name.offer(value, kOpenGraph);
    else if (key == "application-name") c.site_name.offer(value, kWeak);
    else if (key == "og:url") c.canonical_url.offer(value, kMeta);
    else if (key == "og:locale") c.language.offer(bcp47(value), kMeta);
    else if (key == "og:description" || key == "twitter:description") c.description.offer(value, kOpenGraph);
    else if (key == "description") c.description.offer(value, kMeta);
    else if (key == "article:published_time" || key == "og:article:published_time") c.published.offer(value, kOpenGraph);
    else if (key == "date" || key == "pubdate" || key == "publishdate" || key == "publish-date" ||
             key == "dc.date" || key == "dc.date.issued" || key == "dcterms.created" || key == "sailthru.date" ||
             key == "parsely-pub-date" || key == "article.published" || key == "datepublished")
      c.published.offer(value, kMeta);
    else if (key == "author" || key == "article:author" || key == "dc.creator" || key == "parsely-author" ||
             key == "sailthru.author")
      c.offer_authors({std::string(value)}, key == "article:author" ? kOpenGraph : kMeta);
    else if (a->http_equiv == "content-language") c.language.offer(value, kMeta);
  }
  if (c.title.strength == kNone && !tree.title.empty()) c.title.offer(headline_of_title(tree.title), kWeak);
  if (c.published.strength == kNone) c.published.offer(date_from_url(c.canonical_url.value), kWeak);
  page->title = std::move(c.title.value);
  page->published = std::move(c.published.value);
  page->authors = std::move(c.authors);
  page->canonical_url = std::move(c.canonical_url.value);
  page->site_name = std::move(c.site_name.value);
  page->language = std::move(c.language.value);
  page->description = std::move(c.description.value);
}

}  // namespace samestory
