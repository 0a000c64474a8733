// The extract stage: charsets, the article extractor on pages written for these tests, metadata,
// hostile markup, and the benchmark's measure.

#include <gtest/gtest.h>

#include <string>

#include "base/utf8.h"
#include "extract/extract.h"

namespace samestory {
namespace {

// --- charsets ---------------------------------------------------------------------------------

TEST(Charset, ByteOrderMarkWinsAndIsRemoved) {
  const DecodedPage p = decode_page("\xEF\xBB\xBF<meta charset=\"iso-8859-1\"><p>caf\xC3\xA9</p>");
  EXPECT_EQ(p.charset, "utf-8");
  EXPECT_EQ(p.source, "bom");
  EXPECT_EQ(p.text, "<meta charset=\"iso-8859-1\"><p>caf\xC3\xA9</p>");
}

TEST(Charset, MetaDeclaresALegacyCharset) {
  const DecodedPage p = decode_page("<html><head><meta charset=\"windows-1251\"></head><p>\xCF\xF0\xE8\xE2\xE5\xF2</p>");
  EXPECT_EQ(p.charset, "windows-1251");
  EXPECT_EQ(p.source, "meta");
  EXPECT_NE(p.text.find("Привет"), std::string::npos);
}

TEST(Charset, HttpHeaderComesBeforeMetaAndLatin1MeansWindows1252) {
  const DecodedPage p = decode_page("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=koi8-r\">"
                                    "<p>\x93quoted\x94 caf\xE9</p>",
                                    "text/html; charset=ISO-8859-1");
  EXPECT_EQ(p.source, "http");
  EXPECT_EQ(p.charset, "windows-1252");  // as browsers read it: 0x93 is a curly quote, not a C1 control
  EXPECT_NE(p.text.find("\u201Cquoted\u201D caf\u00E9"), std::string::npos);
}

TEST(Charset, ALyingLegacyDeclarationOverValidUtf8IsReadAsUtf8) {
  const DecodedPage p = decode_page("<meta charset=\"iso-8859-1\"><p>Sergei Lavrov said \xE2\x80\x9Cno\xE2\x80\x9D</p>");
  EXPECT_EQ(p.charset, "utf-8");
  EXPECT_EQ(p.source, "sniffed");
  EXPECT_NE(p.text.find("\u201Cno\u201D"), std::string::npos);
}

TEST(Charset, UndeclaredInvalidUtf8IsWindows1252AndDeclaredUtf8IsRepaired) {
  const DecodedPage legacy = decode_page("<p>na\xEFve</p>");
  EXPECT_EQ(legacy.charset, "windows-1252");
  EXPECT_EQ(legacy.source, "default");
  EXPECT_EQ(legacy.text, "<p>na\u00EFve</p>");

  const DecodedPage broken = decode_page("<meta charset=utf-8><p>na\xEFve \xFF</p>");
  EXPECT_EQ(broken.charset, "utf-8");
  EXPECT_EQ(broken.replacements, 2u);
  EXPECT_TRUE(is_valid_utf8(broken.text));
}

TEST(Charset, AnUnknownLabelFallsBackAndUtf16WithABomIsDecoded) {
  const DecodedPage unknown = decode_page("<meta charset=\"no-such-charset\"><p>caf\xE9</p>");
  EXPECT_EQ(unknown.charset, "windows-1252");
  EXPECT_NE(unknown.text.find("caf\u00E9"), std::string::npos);

  const std::string utf16("\xFF\xFE<\0p\0>\0\xE9\0<\0/\0p\0>\0", 18);
  const DecodedPage wide = decode_page(utf16);
  EXPECT_EQ(wide.charset, "utf-16le");
  EXPECT_EQ(wide.text, "<p>\u00E9</p>");
}

TEST(Charset, LabelsFromHeadersAndMeta) {
  EXPECT_EQ(charset_from_content_type("text/html; Charset=\"UTF-8\""), "utf-8");
  EXPECT_EQ(charset_from_content_type("text/html"), "");
  EXPECT_EQ(charset_from_meta("<META HTTP-EQUIV=\"content-type\" CONTENT=\"text/html; charset=Shift_JIS\">"), "shift_jis");
  EXPECT_EQ(charset_from_meta(std::string(5000, ' ') + "<meta charset=utf-8>"), "");  // past the first 4 KiB
}

// --- the article ------------------------------------------------------------------------------

// A news page of the kind the seeds came from, written for this test: the article among a
// navigation bar, a share bar, an ad slot, a newsletter form, a photo with its caption, a list of
// related stories, comments, a cookie banner and a footer.
const char* const kNewsPage = R"(<!DOCTYPE html>
<html lang="en-GB"><head>
<meta charset="utf-8">
<title>Lavrov and Rubio meet in Riyadh | The Daily Example</title>
<meta property="og:title" content="Lavrov and Rubio meet in Riyadh">
<meta property="og:site_name" content="The Daily Example">
<meta name="author" content="Jane Reporter">
<link rel="canonical" href="https://news.example.com/world/lavrov-rubio-riyadh">
<script>var tracking = "Sign up to our newsletter";</script>
<style>.ad { display: block }</style>
</head><body>
<header class="site-header"><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<main><article>
<h1>Lavrov and Rubio meet in Riyadh</h1>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
<p class="byline">By Jane Reporter</p>
<time datetime="2025-02-18T09:30:00Z">18 February 2025</time>
<div class="article-body">
<p>Russian foreign minister Sergei Lavrov met US secretary of state Marco Rubio in Riyadh on Tuesday, the first such talks since the invasion of Ukraine began, officials from both countries said.</p>
<div class="ad-container"><span>Advertisement</span><button>Hide Ad</button></div>
<p>The meeting, which lasted more than four hours, was described by both delegations as useful, though neither side announced an agreement on the future of the war.</p>
<figure><img src="lavrov.jpg" alt=""><figcaption>Picture: Sergei Lavrov arrives for the talks in Riyadh | AP</figcaption></figure>
<form class="newsletter-signup"><p>Sign up to our Politics newsletter, the essential guide to the week.</p><input type="email"><button>Submitting...</button></form>
<p>Defence secretary John Healey said in London that Europe would have to play its part, and that Ukraine must be at the table in any talks about its own future.</p>
<div><span>Advertisement</span><button>Hide Ad</button></div>
<p>Mr Lavrov told reporters afterwards that Moscow was ready to keep talking, and that the two sides had agreed to restore the staff of their embassies.</p>
</div>
<ul class="related-links"><li><a href="/a">Trump says talks went well, and more on the war</a></li><li><a href="/b">Five things we learned from Riyadh this week</a></li></ul>
</article></main>
<section id="comments"><h2>Comments</h2><p>First comment! I think this is a great article about the war and the talks.</p></section>
<footer><p>Copyright 2025 The Daily Example. All rights reserved. Contact us about advertising.</p></footer>
</body></html>)";

TEST(ArticleExtractor, KeepsTheArticleAndDropsTheFurniture) {
  const ExtractedPage page = extract_article(kNewsPage);
  const std::string body = page.body();
  ASSERT_EQ(page.paragraphs.size(), 4u) << body;
  EXPECT_TRUE(page.paragraphs[0].starts_with("Russian foreign minister Sergei Lavrov met")) << body;
  EXPECT_TRUE(page.paragraphs[1].starts_with("The meeting, which lasted")) << body;
  EXPECT_TRUE(page.paragraphs[2].starts_with("Defence secretary John Healey")) << body;
  EXPECT_TRUE(page.paragraphs[3].ends_with("restore the staff of their embassies.")) << body;
  for (const char* noise : {"Advertisement", "Hide Ad", "newsletter", "Submitting", "Picture:", "Share on",
                            "cookies", "Five things", "First comment", "Copyright", "Home", "var tracking"}) {
    EXPECT_EQ(body.find(noise), std::string::npos) << noise << " survived:\n" << body;
  }
}

TEST(ArticleExtractor, ReadsTheMetadata) {
  const ExtractedPage page = extract_article(kNewsPage);
  EXPECT_EQ(page.title, "Lavrov and Rubio meet in Riyadh");
  EXPECT_EQ(page.site_name, "The Daily Example");
  EXPECT_EQ(page.canonical_url, "https://news.example.com/world/lavrov-rubio-riyadh");
  EXPECT_EQ(page.language, "en-GB");
  EXPECT_EQ(page.published, "2025-02-18T09:30:00Z");
  ASSERT_EQ(page.authors.size(), 1u);
  EXPECT_EQ(page.authors[0], "Jane Reporter");
}

TEST(ArticleExtractor, JsonLdIsTheStrongestSourceOfMetadata) {
  const std::string page_html = R"(<html><head>
<meta property="og:title" content="A shorter social title">
<meta property="article:published_time" content="2025-02-17">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebSite","name":"Example"},
 {"@type":["NewsArticle"],"headline":"The full headline","datePublished":"2025-02-18T10:00:00+01:00",
  "author":[{"@type":"Person","name":"A. Writer"},{"@type":"Person","name":"B. Writer"}],
  "publisher":{"@type":"Organization","name":"Example News"},"inLanguage":"de"}]}</script>
<title>Ignored | Example</title></head><body><article><p>A paragraph long enough to count as the article's text, with a comma.</p></article></body></html>)";
  const ExtractedPage page = extract_article(page_html);
  EXPECT_EQ(page.title, "The full headline");
  EXPECT_EQ(page.published, "2025-02-18T10:00:00+01:00");
  EXPECT_EQ(page.authors, (std::vector<std::string>{"A. Writer", "B. Writer"}));
  EXPECT_EQ(page.site_name, "Example News");
  EXPECT_EQ(page.language, "de");
  ASSERT_EQ(page.paragraphs.size(), 1u);
}

TEST(ArticleExtractor, TheTitleFallsBackOnTheTitleElementWithoutTheSiteName) {
  const ExtractedPage page = extract_article(
      "<html><head><title>Storm closes the coast road | Example Gazette</title></head>"
      "<body><div><p>The coast road was closed on Sunday after the storm brought down trees, police said.</p></div></body></html>");
  EXPECT_EQ(page.title, "Storm closes the coast road");
  EXPECT_EQ(page.paragraphs.size(), 1u);
}

TEST(ArticleExtractor, WithoutADeclaredDateTheCanonicalUrlsDateIsTaken) {
  const char* body = "<body><p>The coast road was closed on Sunday after the storm brought down trees, police said.</p></body>";
  auto published = [&](const std::string& url) {
    return extract_article("<html><head><link rel=canonical href='" + url + "'></head>" + body).published;
  };
  EXPECT_EQ(published("https://news.example/2025/02/18/coast-road-closed"), "2025-02-18");
  EXPECT_EQ(published("https://news.example/world/2025-02-18-coast-road"), "2025-02-18");
  EXPECT_EQ(published("https://news.example/2025/13/18/not-a-month"), "");
  EXPECT_EQ(published("https://news.example/12345/67/89/ids"), "");
  EXPECT_EQ(published("https://news.example/coast-road"), "");
}

TEST(ArticleExtractor, APageWithoutTextGivesNoParagraphs) {
  EXPECT_TRUE(extract_article("").paragraphs.empty());
  EXPECT_TRUE(extract_article("<html><body><nav><a href=/>Home</a></nav></body></html>").paragraphs.empty());
  EXPECT_TRUE(extract_article("just some words, not markup, but long enough to be a paragraph of text here").paragraphs.size() <= 1);
}

TEST(ArticleExtractor, AnArticleInsideAFormOrAHiddenWrapperIsKept) {
  // Some sites wrap every page in one <form> and reveal the article by script.
  const ExtractedPage page = extract_article(
      "<html><body><form id=main><div style='display:none'><div class=story>"
      "<p>The first paragraph of the story, long enough to score, with commas, and more words.</p>"
      "<p>The second paragraph of the story, also long enough to score, with commas, and words.</p>"
      "</div></div><div class=newsletter><p>Sign up to our newsletter for the latest news every day.</p></div></form></body></html>");
  ASSERT_EQ(page.paragraphs.size(), 2u) << page.body();
}

// --- hostile markup ---------------------------------------------------------------------------

TEST(ArticleExtractor, DeepNestingUnclosedTagsAndGarbageNeitherCrashNorRecurse) {
  std::string deep;
  for (int i = 0; i < 200000; ++i) deep += "<div>";
  deep += "<p>Deep inside the markup there is a paragraph long enough to count, with commas, too.</p>";
  const ExtractedPage nested = extract_article(deep);
  EXPECT_LE(nested.paragraphs.size(), 1u);

  std::string unclosed = "<html><body><div><p>An unclosed paragraph that goes on, and on, for a while<p>another<b><i>x";
  for (int i = 0; i < 1000; ++i) unclosed += "<span><a href='x'>";
  EXPECT_NO_FATAL_FAILURE(extract_article(unclosed));

  std::string garbage;
  uint32_t x = 12345;
  for (int i = 0; i < 100000; ++i) {
    x = x * 1103515245u + 12345u;
    garbage.push_back(static_cast<char>(x >> 24));
  }
  std::string valid;
  repair_utf8(garbage, &valid);
  const ExtractedPage page = extract_article(valid);
  for (const std::string& p : page.paragraphs) EXPECT_TRUE(is_valid_utf8(p));
}

TEST(ArticleExtractor, APageOverTheLimitIsCutThere) {
  ExtractOptions options;
  options.max_page_bytes = 1 << 20;
  std::string page = "<html><body><article>";
  const std::string paragraph = "<p>A paragraph of the article that repeats, with a comma, to make a large page.</p>\n";
  while (page.size() < (5u << 20)) page += paragraph;
  const ExtractedPage cut = extract_article(page, options);
  ASSERT_FALSE(cut.paragraphs.empty());
  EXPECT_LT(cut.paragraphs.size(), (1u << 20) / 80);
}

// --- the benchmark's measure -------------------------------------------------------------------

TEST(ExtractionScore, WordsAreUnicodeLettersNumbersAndUnderscores) {
  const auto words = benchmark_words("Naïve café_1 — 東京, l'été 2025!");
  const std::vector<std::string_view> want = {"Naïve", "café_1", "東京", "l", "été", "2025"};
  EXPECT_EQ(words, want);
}

TEST(ExtractionScore, ShinglesCountWithMultiplicityAndPagesNormalise) {
  const std::string truth = "one two three four five six";
  ShingleMatch same = match_shingles(truth, truth);
  EXPECT_DOUBLE_EQ(same.precision(), 1.0);
  EXPECT_DOUBLE_EQ(same.recall(), 1.0);
  EXPECT_DOUBLE_EQ(same.tp, 1.0);

  // Three shingles in the truth; the extraction has them and three more.
  ShingleMatch extra = match_shingles(truth + " x y z", truth);
  EXPECT_DOUBLE_EQ(extra.precision(), 0.5);
  EXPECT_DOUBLE_EQ(extra.recall(), 1.0);
  EXPECT_DOUBLE_EQ(extra.tp + extra.fp + extra.fn, 1.0);

  // A repeated passage counts twice in the extraction, once in the truth.
  ShingleMatch twice = match_shingles("a b c d a b c d", "a b c d");
  EXPECT_DOUBLE_EQ(twice.tp, 1.0 / 5.0);

  ShingleMatch empty = match_shingles("", truth);
  EXPECT_DOUBLE_EQ(empty.recall(), 0.0);
  EXPECT_DOUBLE_EQ(empty.fn, 1.0);

  ExtractionScore total;
  total.add(same);
  total.add(empty);
  EXPECT_DOUBLE_EQ(total.total.precision(), 1.0);
  EXPECT_DOUBLE_EQ(total.total.recall(), 0.5);
}

TEST(ExtractionScore, TheDifferenceNamesWhatWasKeptAndMissed) {
  const ExtractionDiff d = describe_difference("Sign up now for our newsletter today please. The minister said yes to the plan",
                                               "The minister said yes to the plan and then left for Riyadh");
  // Shingles starting at "Sign" .. "please" are unmatched: their words run to "said".
  EXPECT_EQ(d.first_extra, "Sign up now for our newsletter today please The minister said");
  EXPECT_EQ(d.first_missed, "to the plan and then left for Riyadh");
}

}  // namespace
}  // namespace samestory
