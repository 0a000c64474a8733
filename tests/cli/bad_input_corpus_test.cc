// The bad-input corpus in tests/bad-input/: every file gets its reasons counted, a message naming
// the file and the line or record, and the documented exit status, with and without --strict.

#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "test_util.h"

namespace samestory {
namespace {

using testing::TempDir;

using testing::CliRun;

CliRun samestory(const std::string& args) { return testing::run_samestory(args); }

struct Case {
  std::string file;
  std::string flags;
  uint64_t read, accepted;
  std::map<std::string, uint64_t> reasons;  // every problem reason expected, with its count
  std::string message;                      // printed on stderr, after "samestory: PATH"
};

const std::string kDir = std::string(SAMESTORY_SOURCE_DIR) + "/tests/bad-input/";

class BadInputCorpus : public ::testing::TestWithParam<Case> {};

TEST_P(BadInputCorpus, CountedNamedAndExitStatus) {
  const Case& c = GetParam();
  const std::string path = kDir + c.file;
  const CliRun r = samestory("stats --json --max-messages 3 " + c.flags + " " + path);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element j;
  ASSERT_EQ(parser.parse(r.out).get(j), simdjson::SUCCESS) << r.out;
  const auto docs = j["documents"];
  EXPECT_EQ(docs["read"].get_uint64().value(), c.read);
  EXPECT_EQ(docs["accepted"].get_uint64().value(), c.accepted);
  EXPECT_EQ(docs["read"].get_uint64().value(),
            docs["accepted"].get_uint64().value() + docs["rejected"].get_uint64().value());
  std::map<std::string, uint64_t> reasons;
  for (const char* group : {"rejected_by_reason", "kept_with_problems"}) {
    for (auto [k, v] : docs[group].get_object()) reasons[std::string(k)] = v.get_uint64().value();
  }
  EXPECT_EQ(reasons, c.reasons);
  if (c.message.empty()) {
    EXPECT_EQ(r.err, "") << "no problem, no message";
  } else {
    EXPECT_NE(r.err.find("samestory: " + path + c.message), std::string::npos) << r.err;
  }
  // --strict: any problem is exit status 1.
  const CliRun strict = samestory("stats -q --strict " + c.flags + " " + path);
  EXPECT_EQ(strict.exit_code, c.reasons.empty() ? 0 : 1);
}

INSTANTIATE_TEST_SUITE_P(
    Files, BadInputCorpus,
    ::testing::Values(
        Case{"invalid-utf8.jsonl", "", 9, 9, {{"invalid_utf8", 9}}, ":1: invalid UTF-8 (repaired with U+FFFD)"},
        Case{"bomb.jsonl.zst", "", 1, 0, {{"decompression_limit", 1}}, ":1: decompressed size past the limit"},
        Case{"overlong-line.jsonl.gz", "--max-doc-bytes 1048576", 3, 2, {{"too_large", 1}},
             ":2 (record 2): document too large: line of 2097164 bytes"},
        Case{"nul-bytes.txt", "", 1, 0, {{"binary_file", 1}}, ": binary file"},
        Case{"escaped-nul.jsonl", "", 1, 1, {}, ""},
        Case{"deep.json", "", 3, 2, {{"malformed_json", 1}},
             ":1 (record 2): malformed JSON: nested deeper than 1024 levels"},
        Case{"dates.jsonl", "", 7, 7, {{"impossible_date", 5}, {"malformed_date", 1}, {"missing_date", 1}},
             ":1: impossible date: '2025-02-30'"},
        Case{"duplicate-ids.jsonl", "", 3, 3, {{"duplicate_id", 2}},
             ":2 (record 2): duplicate id (renamed): id 'ok-1' was already used; renamed to 'ok-1#2'"},
        Case{"broken-lines.jsonl", "", 5, 2, {{"malformed_json", 1}, {"not_an_object", 2}},
             ":3 (record 3): JSON record is not an object: found an array"},
        Case{"cut.csv", "", 3, 2, {{"truncated_input", 1}},
             ":4 (record 3): truncated input: row ends after 2 of 3 fields (the file is cut off)"},
        Case{"empty.jsonl", "", 1, 0, {{"empty_file", 1}}, ": empty file: 0 bytes"},
        Case{"million-empty.jsonl.gz", "", 1000000, 0, {{"missing_text", 1000000}},
             ":3 (record 3): no text or title: the text and title are empty"}),
    [](const ::testing::TestParamInfo<Case>& param) {
      std::string name = param.param.file;
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

TEST(BadInputCorpus, UnreadableFilesAndSymlinkLoops) {
  TempDir dir;
  const std::string loop = dir.path() + "/loop";
  std::filesystem::create_directories(loop);
  std::ofstream(loop + "/a.txt") << "date 2025-03-03 fine\n";
  std::filesystem::create_directory_symlink(loop, loop + "/again");
  const std::string missing = dir.path() + "/missing.jsonl";
  const CliRun r = samestory("stats --json " + loop + " " + missing);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"accepted\":1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"unreadable_file\":1"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find(missing + ": unreadable file: No such file or directory"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("directory already visited"), std::string::npos) << r.err;
  EXPECT_EQ(samestory("stats -q --strict " + loop + " " + missing).exit_code, 1);
  EXPECT_EQ(samestory("stats -q " + missing).exit_code, 3);  // nothing readable at all
}

TEST(BadInputCorpus, TruncatedGzipKeepsWhatCameBefore) {
  const std::string path = kDir + "truncated.jsonl.gz";
  const CliRun r = samestory("stats --json " + path);
  EXPECT_EQ(r.exit_code, 0);
  simdjson::dom::parser parser;
  simdjson::dom::element j;
  ASSERT_EQ(parser.parse(r.out).get(j), simdjson::SUCCESS) << r.out;
  const uint64_t accepted = j["documents"]["accepted"].get_uint64().value();
  EXPECT_GT(accepted, 50u);
  EXPECT_LT(accepted, 200u);
  EXPECT_EQ(j["documents"]["rejected_by_reason"]["truncated_input"].get_uint64().value(), 1u);
  EXPECT_NE(r.err.find("truncated gzip stream"), std::string::npos) << r.err;
  EXPECT_EQ(samestory("stats -q --strict " + path).exit_code, 1);
}

}  // namespace
}  // namespace samestory
