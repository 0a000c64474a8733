// The samestory binary as a user runs it: exit codes, messages, --json, stdin, determinism.

#include <gtest/gtest.h>
#include <simdjson.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "test_util.h"

namespace samestory {
namespace {

using testing::TempDir;

using testing::CliRun;
using testing::slurp;

CliRun run(const std::string& args, const std::string& stdin_path = "/dev/null") {
  return testing::run_samestory(args, stdin_path);
}

const std::string kExamples = std::string(SAMESTORY_SOURCE_DIR) + "/examples";

TEST(Cli, VersionHelpAndUsageErrors) {
  const CliRun v = run("--version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_TRUE(v.out.starts_with("samestory ")) << v.out;
  const CliRun h = run("--help");
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("stats"), std::string::npos);
  EXPECT_NE(h.out.find("read"), std::string::npos);
  EXPECT_NE(h.out.find("--threads"), std::string::npos);
  const CliRun sh = run("stats --help");
  EXPECT_EQ(sh.exit_code, 0);
  EXPECT_NE(sh.out.find("--field"), std::string::npos);
  EXPECT_EQ(run("").exit_code, 2);
  EXPECT_EQ(run("stats").exit_code, 2);
  EXPECT_EQ(run("stats --no-such-flag x").exit_code, 2);
  EXPECT_EQ(run("frobnicate").exit_code, 2);
  const CliRun bad_field = run("stats --field colour=x " + kExamples);
  EXPECT_EQ(bad_field.exit_code, 2);
  EXPECT_NE(bad_field.err.find("unknown document field 'colour'"), std::string::npos) << bad_field.err;
}

TEST(Cli, ExtractWritesWebPagesAsDocumentsAndScoresThem) {
  testing::TempDir dir;
  const std::string page = kExamples + "/web/harbour-ferries.html";
  const CliRun r = run("extract " + page);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(R"("id":"harbour-ferries")"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"("title":"Extra ferries across Port Callow harbour")"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(R"("page":{"authors":["Ada Merrow"],"site_name":"Wenlow Gazette","language":"en-GB")"),
            std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Hide Ad"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("newsletter"), std::string::npos) << r.out;

  // A truth that holds the first two paragraphs: the third is kept wrongly, and a page the input
  // lacks scores as an empty extraction.
  const std::string truth = dir.write("truth.json", R"({"harbour-ferries": {"articleBody":
    "Callow Sound Lines has added twelve sailings a day across Port Callow harbour while the harbour bridge stays shut for repairs, the operator said on Tuesday. The first extra ferry leaves the north quay at 6.10am, and the last returns at 11.40pm, with crossings every twenty minutes at the morning and evening peaks."},
    "not-in-the-input": {"articleBody": "A page that was never given to the extractor at all."}})");
  const CliRun scored = run("extract --score " + truth + " " + page);
  ASSERT_EQ(scored.exit_code, 0) << scored.err;
  EXPECT_NE(scored.out.find("2 pages (1 without an extraction)"), std::string::npos) << scored.out;
  EXPECT_NE(scored.out.find("kept, not in the article: \"and evening peaks Season tickets"), std::string::npos) << scored.out;
  EXPECT_NE(scored.out.find("not-in-the-input"), std::string::npos) << scored.out;
  const CliRun json = run("--json extract --score " + truth + " " + page);
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find(R"("pages":2,"pages_without_extraction":1,"precision":)"), std::string::npos) << json.out;

  EXPECT_EQ(run("extract --score " + dir.path() + "/missing.json " + page).exit_code, 2);
  const std::string broken = dir.write("broken.json", R"({"a": {"url": "x"}})");
  const CliRun no_body = run("extract --score " + broken + " " + page);
  EXPECT_EQ(no_body.exit_code, 2);
  EXPECT_NE(no_body.err.find("page 'a' has no string articleBody"), std::string::npos) << no_body.err;
}

TEST(Cli, StatsOnTheExampleCorpus) {
  const CliRun r = run("stats " + kExamples);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("documents read"), std::string::npos);
  EXPECT_NE(r.out.find("outlets:"), std::string::npos);
  EXPECT_NE(r.out.find("dates:"), std::string::npos);
}

TEST(Cli, StatsJsonKeepsTheAccountingInvariant) {
  TempDir dir;
  const std::string bad = dir.write("bad.jsonl", "{\"text\":\"ok\",\"date\":\"2020-01-01\"}\nnot json\n{\"title\":\"\"}\n");
  const CliRun r = run("stats --json " + kExamples + " " + bad);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  simdjson::dom::parser parser;
  simdjson::dom::element j;
  ASSERT_EQ(parser.parse(r.out).get(j), simdjson::SUCCESS) << r.out;
  const uint64_t read = j["documents"]["read"].get_uint64().value();
  const uint64_t accepted = j["documents"]["accepted"].get_uint64().value();
  const uint64_t rejected = j["documents"]["rejected"].get_uint64().value();
  EXPECT_EQ(read, accepted + rejected);
  EXPECT_EQ(rejected, 2u);
  EXPECT_EQ(j["documents"]["rejected_by_reason"]["malformed_json"].get_uint64().value(), 1u);
  EXPECT_EQ(j["documents"]["rejected_by_reason"]["missing_text"].get_uint64().value(), 1u);
  uint64_t by_reason = 0;
  for (auto [k, v] : j["documents"]["rejected_by_reason"].get_object()) by_reason += v.get_uint64().value();
  EXPECT_EQ(by_reason, rejected);
  EXPECT_GT(j["tokens"].get_uint64().value(), 1000u);
  EXPECT_GE(j["outlets"]["count"].get_uint64().value(), 5u);
  EXPECT_NE(r.err.find(bad + ":2 (record 2): malformed JSON"), std::string::npos) << r.err;
}

TEST(Cli, StrictTurnsProblemsIntoExitStatusOne) {
  TempDir dir;
  const std::string undated = dir.write("u.jsonl", "{\"text\":\"no date here\"}\n");
  EXPECT_EQ(run("stats " + undated).exit_code, 0);
  const CliRun strict = run("stats --strict " + undated);
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_NE(strict.err.find(undated + ":1: missing date"), std::string::npos) << strict.err;
}

TEST(Cli, NothingReadableIsAnIoFailure) {
  const CliRun r = run("stats /nonexistent/corpus.jsonl");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("/nonexistent/corpus.jsonl: unreadable file"), std::string::npos) << r.err;
}

TEST(Cli, StandardInputAndCompressedStandardInput) {
  TempDir dir;
  const std::string jsonl = "{\"id\":\"a\",\"text\":\"From a pipe.\",\"date\":\"2021-03-04\"}\n";
  const CliRun plain = run("stats --json -", dir.write("in.jsonl", jsonl));
  EXPECT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_NE(plain.out.find("\"accepted\":1"), std::string::npos) << plain.out;
  const CliRun gz = run("stats --json -", dir.write("in.gz", testing::gzip(jsonl)));
  EXPECT_NE(gz.out.find("\"accepted\":1"), std::string::npos) << gz.out;
}

TEST(Cli, ReadWritesTheDocumentModelIdenticallyForAnyThreadCount) {
  TempDir dir;
  const std::string one = dir.path() + "/one.jsonl", two = dir.path() + "/two.jsonl";
  ASSERT_EQ(run("read --threads 1 -o " + one + " " + kExamples).exit_code, 0);
  ASSERT_EQ(run("read --threads 2 -o " + two + " " + kExamples).exit_code, 0);
  const std::string a = slurp(one);
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, slurp(two));
  // What read writes, read reads back: same documents.
  const CliRun again = run("read -o " + dir.path() + "/three.jsonl " + one);
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(slurp(dir.path() + "/three.jsonl").size() > 0, true);
  simdjson::dom::parser parser;
  size_t lines = 0;
  std::istringstream in(a);
  std::string line;
  while (std::getline(in, line)) {
    simdjson::dom::element e;
    ASSERT_EQ(parser.parse(line).get(e), simdjson::SUCCESS) << line;
    EXPECT_TRUE(e["id"].is_string());
    EXPECT_TRUE(e["text"].is_string());
    ++lines;
  }
  const CliRun stats = run("stats --json " + one);
  EXPECT_NE(stats.out.find("\"accepted\":" + std::to_string(lines)), std::string::npos) << stats.out;
}

TEST(Cli, ReadIntoAnUnwritablePathFails) {
  const CliRun r = run("read -o /nonexistent-dir/x.jsonl " + kExamples);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("/nonexistent-dir/x.jsonl"), std::string::npos);
}

}  // namespace
}  // namespace samestory

namespace samestory {
namespace {

std::vector<std::string> ids_in(const std::string& jsonl, const char* field) {
  std::vector<std::string> ids;
  simdjson::dom::parser parser;
  std::istringstream in(jsonl);
  std::string line;
  while (std::getline(in, line)) {
    simdjson::dom::element e;
    if (parser.parse(line).get(e) != simdjson::SUCCESS) continue;
    ids.emplace_back(std::string_view(e[field]));
  }
  return ids;
}

TEST(CliDedup, EveryDocumentIsKeptOrListedOnceAndOutputIsTheSameForAnyThreadCount) {
  TempDir dir;
  const std::string report1 = dir.path() + "/r1.jsonl", report2 = dir.path() + "/r2.jsonl";
  const std::string kept1 = dir.path() + "/k1.jsonl", kept2 = dir.path() + "/k2.jsonl";
  const CliRun one = run("dedup --json --threads 1 --report " + report1 + " -o " + kept1 + " " + kExamples);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(run("dedup -q --threads 2 --report " + report2 + " -o " + kept2 + " " + kExamples).exit_code, 0);
  EXPECT_EQ(slurp(report1), slurp(report2));
  EXPECT_EQ(slurp(kept1), slurp(kept2));

  // Accounting: kept documents and group members (other than representatives) partition the input.
  const std::vector<std::string> kept = ids_in(slurp(kept1), "id");
  std::multiset<std::string> seen(kept.begin(), kept.end());
  simdjson::dom::parser parser;
  std::istringstream in(slurp(report1));
  std::string line;
  size_t groups = 0;
  while (std::getline(in, line)) {
    simdjson::dom::element g;
    ASSERT_EQ(parser.parse(line).get(g), simdjson::SUCCESS);
    ++groups;
    const std::string rep{std::string_view(g["representative"])};
    EXPECT_EQ(seen.count(rep), 1u) << "representatives are kept";
    for (auto m : g["members"].get_array()) {
      const std::string id{std::string_view(m["id"])};
      if (id != rep) seen.insert(id);
    }
  }
  EXPECT_GE(groups, 2u);
  const std::vector<std::string> all = ids_in(run("read " + kExamples).out, "id");
  EXPECT_EQ(seen, std::multiset<std::string>(all.begin(), all.end()));

  simdjson::dom::element summary;
  ASSERT_EQ(parser.parse(one.err).get(summary), simdjson::SUCCESS) << one.err;
  EXPECT_EQ(summary["dedup"]["kept"].get_uint64().value() + summary["dedup"]["removed"].get_uint64().value(),
            summary["documents"]["accepted"].get_uint64().value());
  EXPECT_EQ(summary["dedup"]["kept"].get_uint64().value(), kept.size());
}

TEST(CliDedup, ReadsStandardInputAndRejectsBadFlags) {
  TempDir dir;
  const std::string text = "one two three four five six seven eight nine ten eleven twelve";
  const std::string jsonl = "{\"id\":\"a\",\"text\":\"" + text + "\"}\n{\"id\":\"b\",\"text\":\"" + text + "\"}\n";
  const CliRun r = run("dedup --json --report " + dir.path() + "/r.jsonl -", dir.write("in.jsonl", jsonl));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("\"removed\":1"), std::string::npos) << r.err;
  EXPECT_NE(slurp(dir.path() + "/r.jsonl").find("\"relation\":\"exact\""), std::string::npos);
  EXPECT_EQ(run("dedup --keep biggest " + kExamples).exit_code, 2);
  EXPECT_EQ(run("dedup --threshold 1.5 " + kExamples).exit_code, 2);
  EXPECT_EQ(run("dedup --hashes 64 --rows 5 " + kExamples).exit_code, 2);
}

}  // namespace
}  // namespace samestory

namespace samestory {
namespace {

// SIGINT while the input is still arriving: exit 130, the previous output untouched, no
// temporary file left behind.
TEST(CliInterrupt, StopsCleanlyAndLeavesNoPartialOutput) {
  TempDir dir;
  const std::string out = dir.path() + "/docs.jsonl";
  std::ofstream(out) << "previous complete output\n";
  for (const std::string& command : std::vector<std::string>{"read - -o " + out, "stats -", "dedup - -o " + out}) {
    const std::string cmd = "(printf '{\"text\":\"one two three four five\"}\\n'; sleep 2) | timeout -s INT --preserve-status 0.5 " +
                            std::string(SAMESTORY_BINARY) + " -q " + command + " >/dev/null 2>&1";
    const int status = std::system(cmd.c_str());
    EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 130) << command;
    EXPECT_EQ(slurp(out), "previous complete output\n") << command;
    size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) files += e.is_regular_file();
    EXPECT_EQ(files, 1u) << command << ": a temporary file was left behind";
  }
}

// The JSON summary: the last line of stderr (problem messages come before it).
std::string last_line(const std::string& s) {
  const size_t end = s.find_last_not_of('\n');
  if (end == std::string::npos) return "";
  const size_t start = s.rfind('\n', end);
  return s.substr(start == std::string::npos ? 0 : start + 1, end + 1 - (start == std::string::npos ? 0 : start + 1));
}

// documents read = accepted + rejected for every command, and each command's own outputs add up.
void check_accounting(const std::string& input) {
  TempDir dir;
  simdjson::dom::parser parser;
  simdjson::dom::element j;
  const CliRun stats = run("stats --json " + input);
  ASSERT_EQ(parser.parse(stats.out).get(j), simdjson::SUCCESS) << stats.out;
  const uint64_t read = j["documents"]["read"].get_uint64().value();
  const uint64_t accepted = j["documents"]["accepted"].get_uint64().value();
  EXPECT_EQ(read, accepted + j["documents"]["rejected"].get_uint64().value());

  const CliRun converted = run("read --json -o " + dir.path() + "/docs.jsonl " + input);
  ASSERT_EQ(parser.parse(last_line(converted.err)).get(j), simdjson::SUCCESS) << converted.err;
  EXPECT_EQ(j["documents"]["read"].get_uint64().value(), read);
  EXPECT_EQ(j["documents"]["accepted"].get_uint64().value(), accepted);
  const std::string docs = slurp(dir.path() + "/docs.jsonl");
  EXPECT_EQ(static_cast<uint64_t>(std::count(docs.begin(), docs.end(), '\n')), accepted);

  const CliRun dedup = run("dedup --json -o " + dir.path() + "/kept.jsonl " + input);
  ASSERT_EQ(parser.parse(last_line(dedup.err)).get(j), simdjson::SUCCESS) << dedup.err;
  EXPECT_EQ(j["documents"]["read"].get_uint64().value(), read);
  EXPECT_EQ(j["dedup"]["kept"].get_uint64().value() + j["dedup"]["removed"].get_uint64().value(), accepted);
  const std::string kept = slurp(dir.path() + "/kept.jsonl");
  EXPECT_EQ(static_cast<uint64_t>(std::count(kept.begin(), kept.end(), '\n')), j["dedup"]["kept"].get_uint64().value());

  const CliRun clean = run("clean --json -o " + dir.path() + "/clean.jsonl " + input);
  ASSERT_EQ(parser.parse(last_line(clean.err)).get(j), simdjson::SUCCESS) << clean.err;
  EXPECT_EQ(j["documents"]["read"].get_uint64().value(), read);
  EXPECT_EQ(j["clean"]["documents_written"].get_uint64().value(), accepted);
  const std::string cleaned = slurp(dir.path() + "/clean.jsonl");
  EXPECT_EQ(static_cast<uint64_t>(std::count(cleaned.begin(), cleaned.end(), '\n')), accepted);

  for (const char* mode : {"", "--stream "}) {
    const CliRun cluster = run(std::string("cluster --json ") + mode + "-o " + dir.path() + "/stories.jsonl --assignments " +
                               dir.path() + "/assign.jsonl " + input);
    ASSERT_EQ(parser.parse(last_line(cluster.err)).get(j), simdjson::SUCCESS) << cluster.err;
    EXPECT_EQ(j["documents"]["read"].get_uint64().value(), read);
    EXPECT_EQ(j["cluster"]["articles"].get_uint64().value(), accepted) << mode;
    const std::string stories = slurp(dir.path() + "/stories.jsonl");
    EXPECT_EQ(static_cast<uint64_t>(std::count(stories.begin(), stories.end(), '\n')),
              j["cluster"]["stories"].get_uint64().value());
    // Every accepted article is a member of exactly one story, and has one assignment line.
    std::vector<std::string> members;
    std::istringstream lines(stories);
    std::string line;
    while (std::getline(lines, line)) {
      simdjson::dom::element story;
      ASSERT_EQ(parser.parse(line).get(story), simdjson::SUCCESS);
      for (simdjson::dom::element m : story["members"].get_array()) members.emplace_back(std::string_view(m));
    }
    std::vector<std::string> assigned = ids_in(slurp(dir.path() + "/assign.jsonl"), "id");
    std::sort(members.begin(), members.end());
    std::sort(assigned.begin(), assigned.end());
    EXPECT_EQ(members.size(), accepted);
    EXPECT_TRUE(std::adjacent_find(members.begin(), members.end()) == members.end()) << "an article in two stories";
    EXPECT_EQ(members, assigned);
  }

  // run: every accepted article is a member of exactly one story, in stories.jsonl and the database.
  const CliRun main_job = run("run --json --no-report -o " + dir.path() + "/run " + input);
  ASSERT_EQ(parser.parse(last_line(main_job.err)).get(j), simdjson::SUCCESS) << main_job.err;
  EXPECT_EQ(j["documents"]["read"].get_uint64().value(), read);
  EXPECT_EQ(j["run"]["articles"].get_uint64().value(), accepted);
  const uint64_t stories_reported = j["run"]["stories"].get_uint64().value();  // before `parser` is reused
  std::vector<std::string> members;
  std::istringstream story_lines(slurp(dir.path() + "/run/stories.jsonl"));
  std::string line;
  uint64_t stories = 0;
  while (std::getline(story_lines, line)) {
    simdjson::dom::element story;
    ASSERT_EQ(parser.parse(line).get(story), simdjson::SUCCESS);
    ++stories;
    for (simdjson::dom::element m : story["members"].get_array()) members.emplace_back(std::string_view(m["id"]));
  }
  EXPECT_EQ(stories, stories_reported);
  EXPECT_EQ(members.size(), accepted);
  EXPECT_TRUE(std::filesystem::exists(dir.path() + "/run/samestory.db"));
}

TEST(CliRun, SeedsGiveOneStoryTheSameForAnyThreadCount) {
  REQUIRE_SHARED();
  TempDir dir;
  const std::string seeds = testing::shared_dir() + "/seeds";
  const CliRun one = run("run --threads 1 -o " + dir.path() + "/one " + seeds);
  const CliRun two = run("--json run --threads 2 -o " + dir.path() + "/two " + seeds);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_NE(one.err.find("2 articles in 1 stories"), std::string::npos) << one.err;
  EXPECT_EQ(slurp(dir.path() + "/one/stories.jsonl"), slurp(dir.path() + "/two/stories.jsonl"));
  const std::string report = slurp(dir.path() + "/two/report.html");
  EXPECT_NE(report.find("samestory-data"), std::string::npos);
  EXPECT_EQ(report.find("@SAMESTORY_"), std::string::npos) << "every placeholder filled";
  simdjson::dom::parser parser;
  simdjson::dom::element j;
  ASSERT_EQ(parser.parse(last_line(two.err)).get(j), simdjson::SUCCESS) << two.err;
  EXPECT_EQ(j["run"]["stories"].get_uint64().value(), 1u);
  EXPECT_GT(j["run"]["quotes"].get_uint64().value(), 20u);
}

TEST(CliRun, EvalScoresTheStoriesOfRunOnGiveme) {
  REQUIRE_SHARED();
  TempDir dir;
  const std::string giveme = testing::shared_dir() + "/data/giveme5w1h-news-cluster-dev";
  const CliRun r = run("run --no-report --no-db -o " + dir.path() + " " + giveme);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const CliRun e = run("--json eval --gold " + giveme + " --pred " + dir.path() + "/stories.jsonl");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  simdjson::dom::parser parser;
  simdjson::dom::element j;
  ASSERT_EQ(parser.parse(e.out).get(j), simdjson::SUCCESS) << e.err;
  EXPECT_EQ(j["eval"]["articles"].get_uint64().value(), 247u);
  EXPECT_GE(j["eval"]["ari"].get_double().value(), 0.92);
  EXPECT_GE(j["eval"]["bcubed_f1"].get_double().value(), 0.95);
}

TEST(CliRun, AnUnwritableOutputFolderIsAnIoFailure) {
  const CliRun r = run("run -o /proc/samestory-cannot-be-here " + kExamples);
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("/proc/samestory-cannot-be-here"), std::string::npos) << r.err;
}

TEST(CliCluster, StoriesAreTheSameForAnyThreadCountAndEvalScoresThem) {
  if (!testing::have_shared()) GTEST_SKIP() << "no ../shared";
  TempDir dir;
  const std::string giveme = testing::shared_dir() + "/data/giveme5w1h-news-cluster-dev";
  const CliRun one = run("cluster --threads 1 -o " + dir.path() + "/one.jsonl " + giveme);
  const CliRun two = run("cluster --threads 2 -o " + dir.path() + "/two.jsonl --assignments " + dir.path() +
                         "/assign.jsonl " + giveme);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(slurp(dir.path() + "/one.jsonl"), slurp(dir.path() + "/two.jsonl"));

  simdjson::dom::parser parser;
  simdjson::dom::element j;
  for (const char* pred : {"/one.jsonl", "/assign.jsonl"}) {
    const CliRun eval = run("eval --json --gold " + giveme + " --pred " + dir.path() + pred);
    ASSERT_EQ(eval.exit_code, 0) << eval.err;
    ASSERT_EQ(parser.parse(eval.out).get(j), simdjson::SUCCESS) << eval.out;
    EXPECT_EQ(j["eval"]["articles"].get_uint64().value(), 247u);
    EXPECT_EQ(j["eval"]["gold_stories"].get_uint64().value(), 45u);
    EXPECT_GE(j["eval"]["ari"].get_double().value(), 0.92);
    EXPECT_GE(j["eval"]["bcubed_f1"].get_double().value(), 0.95);
  }
  const CliRun human = run("eval --gold " + giveme + " --pred " + dir.path() + "/one.jsonl");
  EXPECT_NE(human.out.find("B-cubed  P / R / F1"), std::string::npos) << human.out;
}

TEST(CliCluster, BadPredictionsAndMissingLabelsAreExplained) {
  TempDir dir;
  const std::string pred = dir.write("pred.jsonl", "{\"id\":\"a\",\"story\":1}\n{\"id\":\"b\",\"story\"\n");
  const CliRun truncated = run("eval --gold " + std::string(kExamples) + " --pred " + pred);
  EXPECT_EQ(truncated.exit_code, 2);
  EXPECT_NE(truncated.err.find("pred.jsonl:2: not a JSON object"), std::string::npos) << truncated.err;
  const std::string ok = dir.write("ok.jsonl", "{\"id\":\"nope\",\"story\":1}\n");
  const CliRun unlabelled = run("eval --gold " + std::string(kExamples) + " --pred " + ok);
  EXPECT_EQ(unlabelled.exit_code, 2);
  EXPECT_NE(unlabelled.err.find("no article has both a gold label and a prediction"), std::string::npos) << unlabelled.err;
  const CliRun missing = run("eval --gold " + std::string(kExamples) + " --pred " + dir.path() + "/absent.jsonl");
  EXPECT_EQ(missing.exit_code, 3) << missing.err;
  const CliRun window = run("cluster --threshold 2 " + std::string(kExamples));
  EXPECT_EQ(window.exit_code, 2);
}

TEST(CliClean, ExplainsSavesAndReusesTheModelAndIsTheSameForAnyThreadCount) {
  TempDir dir;
  const std::string model = dir.path() + "/model.tsv";
  const CliRun learned = run("clean --explain --threads 1 --model " + model + " -o " + dir.path() + "/a.jsonl " + kExamples);
  ASSERT_EQ(learned.exit_code, 0) << learned.err;
  EXPECT_NE(learned.err.find("learned from the input, saved to " + model), std::string::npos) << learned.err;
  ASSERT_TRUE(std::filesystem::exists(model));
  const CliRun loaded = run("clean --explain --threads 2 --model " + model + " -o " + dir.path() + "/b.jsonl " + kExamples);
  ASSERT_EQ(loaded.exit_code, 0) << loaded.err;
  EXPECT_NE(loaded.err.find("loaded from " + model), std::string::npos) << loaded.err;
  EXPECT_EQ(slurp(dir.path() + "/a.jsonl"), slurp(dir.path() + "/b.jsonl"));

  // Every removed span has offsets into the original text, its text, a category and a reason.
  simdjson::dom::parser parser;
  std::istringstream in(slurp(dir.path() + "/a.jsonl"));
  std::string line;
  size_t spans = 0;
  while (std::getline(in, line)) {
    simdjson::dom::element d;
    ASSERT_EQ(parser.parse(line).get(d), simdjson::SUCCESS);
    for (auto r : d["removed"].get_array()) {
      ++spans;
      EXPECT_LT(r["begin"].get_uint64().value(), r["end"].get_uint64().value());
      EXPECT_FALSE(std::string_view(r["category"]).empty());
      EXPECT_TRUE(r["rule"].error() == simdjson::SUCCESS || r["evidence"].error() == simdjson::SUCCESS);
    }
  }
  EXPECT_GT(spans, 0u);
}

TEST(CliClean, RulesFilesAndModelsWithErrorsAreUsageErrors) {
  TempDir dir;
  const std::string rules = dir.write("my.rules", "ok line ad (?i)buy now\nbroken line ad (unclosed\n");
  const CliRun bad_rules = run("clean --rules " + rules + " " + kExamples);
  EXPECT_EQ(bad_rules.exit_code, 2);
  EXPECT_NE(bad_rules.err.find(rules + ":2: rule 'broken': bad pattern"), std::string::npos) << bad_rules.err;
  const std::string model = dir.write("model.tsv", "not a model\n");
  const CliRun bad_model = run("clean --model " + model + " " + kExamples);
  EXPECT_EQ(bad_model.exit_code, 2);
  EXPECT_NE(bad_model.err.find(model + ":1: not a samestory boilerplate model"), std::string::npos) << bad_model.err;
  const CliRun listed = run("clean --list-rules");
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_NE(listed.out.find("newsletter-prompt"), std::string::npos);
  EXPECT_EQ(run("clean").exit_code, 2);  // no input
}

TEST(CliAccounting, EveryCommandOnTheExampleCorpus) { check_accounting(kExamples); }

TEST(CliAccounting, EveryCommandOnReuters) {
  REQUIRE_SHARED();
  check_accounting(testing::shared_dir() + "/data/reuters21578");
}

}  // namespace
}  // namespace samestory

namespace samestory {
namespace {

TEST(CliCompare, SeedsAsJsonTerminalAndHtml) {
  REQUIRE_SHARED();
  const std::string seeds = testing::shared_dir() + "/seeds/";
  const std::string a = seeds + "000_87ac6df4963aa302.txt", b = seeds + "004_70fe69c53f983c99.txt";
  const CliRun j = run("--json compare " + a + " " + b);
  ASSERT_EQ(j.exit_code, 0) << j.err;
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(j.out).get(doc), simdjson::SUCCESS) << j.out;
  ASSERT_EQ(doc["passages"].get_array().size(), 5u);
  // Offsets point at the passage text in the original file's text.
  const std::string text_a = std::string(doc["passages"].at(1)["a"]["text"].get_string().value());
  EXPECT_EQ(text_a.rfind("decisions made", 0), 0u) << text_a;
  EXPECT_EQ(doc["passages"].at(4)["b"]["inserted_lines"].get_array().size(), 1u);

  testing::TempDir dir;
  const CliRun t = run("compare --width 80 --color never --html " + dir.path() + "/cmp.html " + a + " " + b);
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const std::string html = testing::slurp(dir.path() + "/cmp.html");
  for (int n = 1; n <= 5; ++n) {
    EXPECT_NE(html.find("id=\"a" + std::to_string(n) + "\" data-other=\"b" + std::to_string(n) + "\""), std::string::npos);
    EXPECT_NE(html.find("id=\"b" + std::to_string(n) + "\" data-other=\"a" + std::to_string(n) + "\""), std::string::npos);
  }
  const CliRun terminal = run("compare --width 80 --color never " + a + " " + b);
  EXPECT_NE(terminal.out.find("5 shared passages"), std::string::npos) << terminal.out;
  EXPECT_EQ(terminal.out.find("\x1b["), std::string::npos);
}

TEST(CliCompare, PicksDocumentsFromACorpusById) {
  const std::string corpus = kExamples + "/articles.jsonl";
  const CliRun ok = run("--json compare " + corpus + "#mp-2025-0303-bridge " + corpus + "#lantern-1041");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("\"id\":\"lantern-1041\""), std::string::npos);
  const CliRun ambiguous = run("compare " + corpus + " " + corpus + "#lantern-1041");
  EXPECT_EQ(ambiguous.exit_code, 2);
  EXPECT_NE(ambiguous.err.find("holds 28 documents: pick one with"), std::string::npos) << ambiguous.err;
  const CliRun missing = run("compare " + corpus + "#no-such-id " + corpus + "#lantern-1041");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no document with id 'no-such-id'"), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace samestory
