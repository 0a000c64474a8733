// HTML files and WARC crawls as input: every command reads them through CorpusReader, and every
// record is accounted for: a page, a record passed over for its type, or a rejection with a reason.

#include <gtest/gtest.h>

#include "test_util.h"

namespace samestory {
namespace {

using testing::gzip;
using testing::read_all;
using testing::TempDir;

const char* const kPage = R"(<!doctype html><html lang="en"><head><meta charset="windows-1252">
<title>Harbour reopens after storm | Coast Gazette</title>
<meta property="article:published_time" content="2025-02-18T08:00:00Z">
<meta name="author" content="Sam Writer"></head>
<body><nav><a href="/">Home</a></nav><article>
<p>The harbour reopened on Tuesday after the storm, the port authority said, and the first ferry left at noon.</p>
<p>Repairs to the sea wall will take a month, and caf)" "\xE9" R"(s along the front stay closed until then.</p>
</article></body></html>)";

// Batch commands read each document into one that held an earlier one (io/batches.h): nothing of
// the earlier document may show through, whatever fields the new record lacks.
TEST(HtmlReader, ADocumentReadIntoAgainKeepsNothingOfTheLastOne) {
  TempDir dir;
  const std::string page = dir.write("a-harbour.html", kPage);
  const std::string full = dir.write("b-full.jsonl",
                                     R"({"id":"f","text":"Full.","title":"T","url":"https://x.example/f",)"
                                     R"("label":"L","outlet":"O","date":"2024-01-02"})" "\n");
  const std::string bare = dir.write("c-bare.jsonl", "{\"text\":\"Bare.\"}\n");
  const auto fresh = read_all({bare}).docs;
  ASSERT_EQ(fresh.size(), 1u);
  // read_all reads every document into the same Document.
  const auto r = read_all({page, full, bare});
  ASSERT_EQ(r.docs.size(), 3u) << r.messages;
  ASSERT_NE(r.docs[0].page, nullptr);
  const Document& d = r.docs[2];
  EXPECT_EQ(d.page, nullptr);
  EXPECT_EQ(d.id, fresh[0].id);
  EXPECT_EQ(d.title, "");
  EXPECT_EQ(d.url, "");
  EXPECT_EQ(d.label, "");
  EXPECT_EQ(d.outlet, "c-bare");
  EXPECT_FALSE(d.published.known());
  EXPECT_EQ(d.text, "Bare.");
  EXPECT_EQ(d.source.to_string(), fresh[0].source.to_string());
  EXPECT_EQ(d.source.file_index, 2u);
}

TEST(HtmlReader, APageBecomesADocumentWithItsMetadata) {
  TempDir dir;
  const std::string path = dir.write("harbour.html", kPage);
  const auto r = read_all({path});
  ASSERT_EQ(r.docs.size(), 1u) << r.messages;
  const Document& d = r.docs[0];
  EXPECT_EQ(d.id, "harbour");
  EXPECT_EQ(d.title, "Harbour reopens after storm");
  EXPECT_EQ(d.published.iso(), "2025-02-18T08:00:00Z");
  EXPECT_TRUE(d.text.starts_with("The harbour reopened on Tuesday")) << d.text;
  EXPECT_NE(d.text.find("caf\u00E9s along the front"), std::string::npos) << "decoded as windows-1252";
  EXPECT_EQ(d.text.find("Home"), std::string::npos);
  ASSERT_NE(d.page, nullptr);
  EXPECT_EQ(d.page->charset, "windows-1252");
  EXPECT_EQ(d.page->authors, std::vector<std::string>{"Sam Writer"});
  EXPECT_EQ(d.page->language, "en");
  std::string jsonl;
  append_document_jsonl(d, &jsonl);
  EXPECT_NE(jsonl.find(R"("page":{"authors":["Sam Writer"])"), std::string::npos) << jsonl;
}

TEST(HtmlReader, CompressedPagesAndPagesFoundByContent) {
  TempDir dir;
  const std::string gz = dir.write("a.html.gz", gzip(kPage));
  const std::string bare = dir.write("no-extension", kPage);
  const auto r = read_all({gz, bare});
  ASSERT_EQ(r.docs.size(), 2u) << r.messages;
  EXPECT_EQ(r.docs[0].id, "a");
  EXPECT_EQ(r.docs[1].title, "Harbour reopens after storm");
}

TEST(HtmlReader, APageWithoutAnArticleOrOverTheLimitIsRejectedWithItsReason) {
  TempDir dir;
  const std::string links = dir.write("index.html", "<html><body><ul><li><a href=/1>One</a></li></ul></body></html>");
  std::string huge = "<html><body><article>";
  while (huge.size() < (3u << 20)) huge += "<p>A long paragraph of a very large page, with commas, repeated.</p>";
  const std::string big = dir.write("big.html", huge);
  ReadOptions options;
  options.max_document_bytes = 1 << 20;
  const auto r = read_all({links, big}, options);
  EXPECT_TRUE(r.docs.empty());
  EXPECT_EQ(r.count(Reason::kNoArticleText), 1u);
  EXPECT_EQ(r.count(Reason::kTooLarge), 1u);
  EXPECT_NE(r.messages.find(links + ":1: no article in the page"), std::string::npos) << r.messages;
}

std::string warc_record(std::string_view type, std::string_view uri, std::string_view block,
                        std::string_view content_type = "application/http; msgtype=response") {
  std::string r = "WARC/1.0\r\nWARC-Type: " + std::string(type) + "\r\nWARC-Target-URI: " + std::string(uri) +
                  "\r\nWARC-Date: 2025-02-18T12:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\nContent-Type: " +
                  std::string(content_type) + "\r\nContent-Length: " + std::to_string(block.size()) + "\r\n\r\n";
  r += block;
  r += "\r\n\r\n";
  return r;
}

std::string http(std::string_view status, std::string_view headers, std::string_view body) {
  return "HTTP/1.1 " + std::string(status) + "\r\n" + std::string(headers) + "\r\n" + std::string(body);
}

std::string chunked(std::string_view body) {
  std::string out;
  for (size_t i = 0; i < body.size(); i += 100) {
    const std::string_view part = body.substr(i, 100);
    char size[16];
    std::snprintf(size, sizeof size, "%zx", part.size());
    out += std::string(size) + "\r\n" + std::string(part) + "\r\n";
  }
  return out + "0\r\n\r\n";
}

std::string crawl() {
  const std::string png("\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\0\x01", 20);
  return warc_record("warcinfo", "", "software: test\r\n", "application/warc-fields") +
         warc_record("request", "https://coast.example/harbour", "GET /harbour HTTP/1.1\r\n\r\n",
                     "application/http; msgtype=request") +
         warc_record("response", "https://coast.example/harbour",
                     http("200 OK", "Content-Type: text/html; charset=windows-1252\r\nTransfer-Encoding: chunked\r\n",
                          chunked(kPage))) +
         warc_record("response", "https://coast.example/logo.png", http("200 OK", "Content-Type: image/png\r\n", png)) +
         warc_record("response", "https://coast.example/gone", http("404 Not Found", "Content-Type: text/html\r\n", "<p>no</p>")) +
         warc_record("response", "<https://coast.example/zipped>",
                     http("200 OK", "Content-Type: text/html\r\nContent-Encoding: gzip\r\n", gzip(kPage)));
}

TEST(WarcReader, ResponsesWithHtmlArePagesAndEveryOtherResponseIsAccountedFor) {
  TempDir dir;
  const std::string path = dir.write("crawl.warc", crawl());
  const auto r = read_all({path});
  ASSERT_EQ(r.docs.size(), 2u) << r.messages;
  EXPECT_EQ(r.docs[0].id, "https://coast.example/harbour");
  EXPECT_EQ(r.docs[0].url, "https://coast.example/harbour");
  EXPECT_EQ(r.docs[0].outlet, "coast.example");
  EXPECT_TRUE(r.docs[0].text.starts_with("The harbour reopened")) << "chunked transfer coding undone";
  EXPECT_NE(r.docs[0].text.find("caf\u00E9s"), std::string::npos) << "charset from the HTTP header";
  EXPECT_EQ(r.docs[1].id, "https://coast.example/zipped");
  EXPECT_TRUE(r.docs[1].text.starts_with("The harbour reopened")) << "gzip content coding undone";
  EXPECT_EQ(r.count(Reason::kNoArticleText), 2u);  // the image and the 404
  EXPECT_EQ(r.counts.read, 4u);                     // warcinfo and request records hold no page
  EXPECT_NE(r.messages.find("the response is image/png, not HTML"), std::string::npos) << r.messages;
  EXPECT_NE(r.messages.find("HTTP status 'HTTP/1.1 404 Not Found'"), std::string::npos) << r.messages;
}

TEST(WarcReader, PerRecordGzipAndDetectionByContent) {
  TempDir dir;
  std::string members;
  const std::string records = crawl();
  // One gzip member per record, as crawlers write .warc.gz.
  size_t start = 0;
  while (start < records.size()) {
    size_t next = records.find("WARC/1.0\r\n", start + 1);
    if (next == std::string::npos) next = records.size();
    members += gzip(std::string_view(records).substr(start, next - start));
    start = next;
  }
  const std::string gz = dir.write("crawl.warc.gz", members);
  const std::string bare = dir.write("crawl-without-extension", records);
  const auto r = read_all({gz, bare});
  EXPECT_EQ(r.docs.size(), 4u) << r.messages;
}

TEST(WarcReader, AMalformedRecordIsReportedAndReadingResumesAtTheNextRecord) {
  TempDir dir;
  const std::string good = warc_record("response", "https://coast.example/harbour",
                                       http("200 OK", "Content-Type: text/html\r\n", kPage));
  const std::string bad_length = "WARC/1.0\r\nWARC-Type: response\r\nContent-Length: lots\r\n\r\nxx\r\n\r\n";
  std::string truncated = good.substr(0, good.size() / 2);
  const std::string path = dir.write("broken.warc", "garbage before the first record\n" + good + bad_length + good + truncated);
  const auto r = read_all({path});
  EXPECT_EQ(r.docs.size(), 2u) << r.messages;
  EXPECT_EQ(r.count(Reason::kMalformedWarc), 2u) << r.messages;  // the garbage, the bad length
  EXPECT_EQ(r.count(Reason::kTruncatedInput), 1u) << r.messages;
  EXPECT_NE(r.messages.find("no valid Content-Length header"), std::string::npos) << r.messages;
}

}  // namespace
}  // namespace samestory
