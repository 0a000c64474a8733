// Each input format read into Documents, with fields, outlets, dates, ids and provenance.

#include <gtest/gtest.h>

#include "test_util.h"

namespace samestory {
namespace {

using testing::read_all;
using testing::TempDir;

TEST(TextFormat, SeedHeaderGivesTheDateAndTheRestIsText) {
  TempDir dir;
  const std::string path = dir.write("005_abc.txt", " date 2025-02-18 First line goes on.\n\nSecond paragraph.\n");
  const auto r = read_all({path});
  ASSERT_EQ(r.docs.size(), 1u);
  const Document& d = r.docs[0];
  EXPECT_EQ(d.id, "005_abc");
  EXPECT_EQ(d.outlet, "005_abc");
  EXPECT_EQ(d.published.iso(), "2025-02-18");
  EXPECT_EQ(d.published.precision, TimePrecision::kDay);
  EXPECT_EQ(d.text, "First line goes on.\n\nSecond paragraph.\n");
  EXPECT_EQ(d.source.to_string(), path + ":1");
  EXPECT_EQ(r.count(Reason::kMissingDate), 0u);
}

TEST(TextFormat, HeaderAloneOnItsLineAndPlainTextWithoutHeader) {
  TempDir dir;
  const auto r = read_all({dir.write("a.txt", "Date: 2024-01-02\nBody text.\n"), dir.write("b.txt", "Just text.\n")});
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].text, "Body text.\n");
  EXPECT_EQ(r.docs[0].published.iso(), "2024-01-02");
  EXPECT_EQ(r.docs[1].text, "Just text.\n");
  EXPECT_FALSE(r.docs[1].published.known());
  EXPECT_EQ(r.count(Reason::kMissingDate), 1u);
}

TEST(TextFormat, HeaderLinesAfterTheDateGiveOutletTitleUrlAndId) {
  TempDir dir;
  const auto r = read_all({dir.write("x.txt", "date 2025-03-04\noutlet: Wenlow Gazette\nTitle: Extra ferries\n"
                                              "url: https://wenlow.example/a\n\nTitle holders win again.\n"),
                           dir.write("y.txt", "Title holders win again.\n")});
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].outlet, "Wenlow Gazette");
  EXPECT_EQ(r.docs[0].title, "Extra ferries");
  EXPECT_EQ(r.docs[0].url, "https://wenlow.example/a");
  EXPECT_EQ(r.docs[0].text, "\nTitle holders win again.\n");
  // Without a date line first, nothing is taken for a header.
  EXPECT_EQ(r.docs[1].title, "");
  EXPECT_EQ(r.docs[1].text, "Title holders win again.\n");
}

TEST(JsonLines, DefaultFieldsReadNewsPleaseAndCcNewsRecords) {
  TempDir dir;
  const std::string path = dir.write("c.jsonl",
                                     R"({"id":"n1","url":"https://www.npr.org/x","title":"T1","maintext":"Body one.","date_publish":"2016-05-04 00:00:00"})"
                                     "\n"
                                     R"({"url":"https://news.example.com:8080/a?b","title":"T2","text":"Body two.","date":"2016-05-05","source_domain":"WWW.Example.COM"})"
                                     "\n\n"
                                     R"({"id":7,"title":"T3","body":"Body three.","published_at":1462406400,"publisher":"Los Angeles Times"})"
                                     "\n");
  const auto r = read_all({path});
  ASSERT_EQ(r.docs.size(), 3u);
  EXPECT_EQ(r.docs[0].id, "n1");
  EXPECT_EQ(r.docs[0].outlet, "npr.org");  // from the URL, without www.
  EXPECT_EQ(r.docs[0].text, "Body one.");
  EXPECT_EQ(r.docs[0].published.iso(), "2016-05-04T00:00:00Z");
  EXPECT_EQ(r.docs[1].id, "c:2");  // no id field: file stem and record number
  EXPECT_EQ(r.docs[1].outlet, "example.com");  // a host-like field value is normalised too
  EXPECT_EQ(r.docs[2].id, "7");
  EXPECT_EQ(r.docs[2].outlet, "Los Angeles Times");
  EXPECT_EQ(r.docs[2].published.iso(), "2016-05-05T00:00:00Z");
  EXPECT_EQ(r.docs[2].source.line, 4u);  // blank lines are skipped but counted
  EXPECT_EQ(r.docs[2].source.record, 3u);
}

TEST(JsonLines, FieldMappingAndNestedPaths) {
  TempDir dir;
  const std::string path =
      dir.write("d.jsonl", R"({"meta":{"key":"k1","site":{"name":"The Lantern"}},"story":"Words here.","when":"2020-01-02"})"
                           "\n");
  ReadOptions options;
  ASSERT_TRUE(options.fields.set("id=meta.key").is_ok());
  ASSERT_TRUE(options.fields.set("outlet=meta.site.name").is_ok());
  ASSERT_TRUE(options.fields.set("text=missing,story").is_ok());
  ASSERT_TRUE(options.fields.set("date=when").is_ok());
  const auto r = read_all({path}, options);
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].id, "k1");
  EXPECT_EQ(r.docs[0].outlet, "The Lantern");
  EXPECT_EQ(r.docs[0].text, "Words here.");
  EXPECT_EQ(r.docs[0].published.iso(), "2020-01-02");
  EXPECT_FALSE(options.fields.set("colour=x").is_ok());
  EXPECT_FALSE(options.fields.set("text=").is_ok());
}

TEST(Json, SingleObjectArrayAndConcatenatedObjects) {
  TempDir dir;
  const auto r = read_all({
      dir.write("one.json", "{\n  \"title\": \"Solo\",\n  \"text\": \"Only one.\"\n}\n"),
      dir.write("many.json", "[\n {\"text\": \"A.\", \"attrs\": {\"newid\": \"1\"}},\n {\"text\": \"B [x] {y}\", \"attrs\": {\"newid\": \"2\"}}\n]\n"),
      dir.write("seq.json", "{\"text\":\n \"C.\"} {\"text\": \"D.\"}"),
  });
  ASSERT_EQ(r.docs.size(), 5u);
  EXPECT_EQ(r.docs[0].id, "one");  // a file holding one object: the bare stem
  EXPECT_EQ(r.docs[1].id, "1");    // Reuters-21578's attrs.newid
  EXPECT_EQ(r.docs[2].text, "B [x] {y}");
  EXPECT_EQ(r.docs[2].source.line, 3u);
  EXPECT_EQ(r.docs[3].text, "C.");
  EXPECT_EQ(r.docs[4].text, "D.");
  EXPECT_EQ(r.docs[4].source.line, 2u);
}

// Mapped files (io/byte_source.h) give the very documents, problems and provenance that reading
// gives, in every format that reads chunks or lines, broken records included.
TEST(Inputs, MappedAndReadFilesGiveTheSameDocuments) {
  TempDir dir;
  std::string jsonl, array = "[\n", csv = "id,title,text\n";
  for (int i = 0; i < 300; ++i) {
    const std::string n = std::to_string(i);
    jsonl += "{\"id\": \"j" + n + "\", \"title\": \"T" + n + "\", \"text\": \"Body " + n + " of the story.\"}\n";
    if (i % 97 == 0) jsonl += "{\"id\": \"broken" + n + "\", \"text\": \n";  // truncated JSON
    array += std::string(i ? ",\n" : "") + "{\"id\": \"a" + n + "\", \"text\": \"Array " + n + ".\"}";
    csv += "c" + n + ",\"Title, " + n + "\",\"Two\nlines " + n + "\"\n";
  }
  array += "\n]\n";
  const std::vector<std::string> inputs = {dir.write("a.jsonl", jsonl), dir.write("b.json", array),
                                           dir.write("c.csv", csv), dir.write("d.txt", "date 2025-02-18\nA text.\n")};
  ReadOptions mapped, read;
  mapped.source.map_min_bytes = 1;
  read.source.map_min_bytes = 0;
  const auto from_map = read_all(inputs, mapped);
  const auto from_read = read_all(inputs, read);
  ASSERT_EQ(from_map.docs.size(), from_read.docs.size());
  EXPECT_EQ(from_map.docs.size(), 300u * 3 + 1);
  for (size_t i = 0; i < from_map.docs.size(); ++i) {
    const Document &m = from_map.docs[i], &r = from_read.docs[i];
    EXPECT_EQ(m.id, r.id);
    EXPECT_EQ(m.title, r.title);
    EXPECT_EQ(m.text, r.text);
    EXPECT_EQ(m.source.line, r.source.line) << m.id;
    EXPECT_EQ(m.source.byte_offset, r.source.byte_offset) << m.id;
  }
  EXPECT_EQ(from_map.rejected, from_read.rejected);
  EXPECT_GT(from_map.rejected, 0u);
  EXPECT_EQ(from_map.messages, from_read.messages);
}

TEST(Csv, HeaderQuotingAndEmbeddedNewlines) {
  TempDir dir;
  const std::string path = dir.write("h.csv",
                                     "ID,TITLE,URL,PUBLISHER,TIMESTAMP\r\n"
                                     "1,\"Fed says \"\"weak\"\" data, weather\",http://www.latimes.com/a,Los Angeles Times,1394470370698\r\n"
                                     "2,\"Two\nlines\",http://www.livemint.com/b,,1394470371207\r\n");
  const auto r = read_all({path});
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].id, "1");
  EXPECT_EQ(r.docs[0].title, "Fed says \"weak\" data, weather");
  EXPECT_EQ(r.docs[0].outlet, "Los Angeles Times");
  EXPECT_EQ(r.docs[0].published.iso(), "2014-03-10T16:52:50Z");
  EXPECT_TRUE(r.docs[0].text.empty());
  EXPECT_EQ(r.docs[1].title, "Two\nlines");
  EXPECT_EQ(r.docs[1].outlet, "livemint.com");  // empty publisher: the URL's host
  EXPECT_EQ(r.docs[1].source.line, 3u);
}

TEST(Tsv, TabSeparated) {
  TempDir dir;
  const auto r = read_all({dir.write("t.tsv", "id\ttext\tdate\na\tHello there.\t2020-01-01\n")});
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].text, "Hello there.");
}

TEST(Inputs, CompressedFilesAreDetectedByContentNotName) {
  TempDir dir;
  const std::string jsonl = "{\"id\":\"z\",\"text\":\"Compressed.\"}\n";
  // A gzip file named .jsonl and a zstd file named .jsonl.zst: the magic bytes decide.
  const auto r = read_all({dir.write("a.jsonl", testing::gzip(jsonl)), dir.write("b.jsonl.zst", testing::zstd(
                                                                                          "{\"id\":\"y\",\"text\":\"Z.\"}\n"))});
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].text, "Compressed.");
  EXPECT_EQ(r.docs[1].text, "Z.");
}

TEST(Inputs, DirectoriesAreWalkedInSortedOrderSkippingHiddenAndUnknownFiles) {
  TempDir dir;
  dir.write("tree/b/2.txt", "date 2020-01-02 two\n");
  dir.write("tree/a.txt", "date 2020-01-01 one\n");
  dir.write("tree/b/1.jsonl", "{\"id\":\"j\",\"text\":\"json\"}\n");
  dir.write("tree/.hidden/x.txt", "hidden\n");
  dir.write("tree/notes.md", "# not an article\n");
  dir.write("tree/image.png", "\x89PNG");
  const auto r = read_all({dir.path() + "/tree"});
  ASSERT_EQ(r.docs.size(), 3u);
  EXPECT_EQ(r.docs[0].id, "a");
  EXPECT_EQ(r.docs[1].id, "j");
  EXPECT_EQ(r.docs[2].id, "2");
  EXPECT_EQ(r.counts.skipped_files, 2u);
}

TEST(Inputs, ListFiles) {
  TempDir dir;
  const std::string a = dir.write("a.txt", "alpha\n");
  const std::string b = dir.write("b.txt", "beta\n");
  const std::string list = dir.write("list.txt", "# inputs\n" + b + "\n\n" + a + "\n");
  const auto r = read_all({"@" + list});
  ASSERT_EQ(r.docs.size(), 2u);
  EXPECT_EQ(r.docs[0].id, "b");
  EXPECT_EQ(r.docs[1].id, "a");
}

TEST(Inputs, SymlinkLoopsAreReadOnce) {
  TempDir dir;
  dir.write("loop/x.txt", "text\n");
  std::filesystem::create_directory_symlink(dir.path() + "/loop", dir.path() + "/loop/again");
  const auto r = read_all({dir.path() + "/loop"});
  EXPECT_EQ(r.docs.size(), 1u);
}

TEST(Inputs, OutletFallsBackToTheOptionThenTheFileName) {
  TempDir dir;
  const std::string path = dir.write("wire-2024.jsonl", "{\"text\":\"A.\"}\n");
  EXPECT_EQ(read_all({path}).docs[0].outlet, "wire-2024");
  ReadOptions options;
  options.default_outlet = "Reuters";
  EXPECT_EQ(read_all({path}, options).docs[0].outlet, "Reuters");
}

TEST(Inputs, FormatCanBeForced) {
  TempDir dir;
  const std::string path = dir.write("data.dat", "{\"text\":\"A.\"}\n");
  ReadOptions options;
  options.format = InputFormat::kText;
  const auto r = read_all({path}, options);
  ASSERT_EQ(r.docs.size(), 1u);
  EXPECT_EQ(r.docs[0].text, "{\"text\":\"A.\"}\n");
  EXPECT_EQ(read_all({path}).docs[0].text, "A.");  // by content
}

}  // namespace
}  // namespace samestory
