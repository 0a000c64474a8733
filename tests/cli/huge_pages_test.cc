// When a batch command re-executes itself with huge pages, and that the user sees no difference.

#include "cli/huge_pages.h"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>

#include "test_util.h"

namespace samestory::cli {
namespace {

constexpr std::string_view kMadvise = "always [madvise] never\n";

TEST(HugePages, OnlyWhenAskedForAndTheKernelGivesThemOnRequestAndGlibcKnowsTheTunable) {
  EXPECT_EQ(huge_page_tunables({"2.36", kMadvise, std::nullopt, "1"}), "glibc.malloc.hugetlb=1");
  EXPECT_EQ(huge_page_tunables({"2.35", kMadvise, std::nullopt, "1"}), "glibc.malloc.hugetlb=1");
  EXPECT_EQ(huge_page_tunables({"3.0", kMadvise, std::nullopt, "1"}), "glibc.malloc.hugetlb=1");
  // Not asked for (the default), or asked not to.
  EXPECT_EQ(huge_page_tunables({"2.36", kMadvise, std::nullopt, std::nullopt}), std::nullopt);
  EXPECT_EQ(huge_page_tunables({"2.36", kMadvise, std::nullopt, "0"}), std::nullopt);
  EXPECT_EQ(huge_page_tunables({"2.36", kMadvise, std::nullopt, "yes"}), std::nullopt);
  // Already on for all memory, impossible, or unknown.
  EXPECT_EQ(huge_page_tunables({"2.36", "[always] madvise never", std::nullopt, "1"}), std::nullopt);
  EXPECT_EQ(huge_page_tunables({"2.36", "always madvise [never]", std::nullopt, "1"}), std::nullopt);
  EXPECT_EQ(huge_page_tunables({"2.36", "", std::nullopt, "1"}), std::nullopt);
  // A glibc without the tunable, or a version string that cannot be read.
  EXPECT_EQ(huge_page_tunables({"2.31", kMadvise, std::nullopt, "1"}), std::nullopt);
  EXPECT_EQ(huge_page_tunables({"1.99", kMadvise, std::nullopt, "1"}), std::nullopt);
  EXPECT_EQ(huge_page_tunables({"unknown", kMadvise, std::nullopt, "1"}), std::nullopt);
}

TEST(HugePages, TheUsersSettingsAreKeptAndWin) {
  EXPECT_EQ(huge_page_tunables({"2.36", kMadvise, "glibc.malloc.check=3", "1"}),
            "glibc.malloc.check=3:glibc.malloc.hugetlb=1");
  EXPECT_EQ(huge_page_tunables({"2.36", kMadvise, "", "1"}), "glibc.malloc.hugetlb=1");
  EXPECT_EQ(huge_page_tunables({"2.36", kMadvise, "glibc.malloc.hugetlb=0", "1"}), std::nullopt);
}

TEST(HugePages, TheReexecutedProcessGetsTheUsersEnvironmentBack) {
  setenv("SAMESTORY_SAVED_GLIBC_TUNABLES", "=glibc.malloc.check=3", 1);
  setenv("GLIBC_TUNABLES", "glibc.malloc.check=3:glibc.malloc.hugetlb=1", 1);
  restore_environment_after_huge_page_reexec();
  ASSERT_NE(std::getenv("GLIBC_TUNABLES"), nullptr);
  EXPECT_STREQ(std::getenv("GLIBC_TUNABLES"), "glibc.malloc.check=3");
  EXPECT_EQ(std::getenv("SAMESTORY_SAVED_GLIBC_TUNABLES"), nullptr);

  setenv("SAMESTORY_SAVED_GLIBC_TUNABLES", "", 1);
  setenv("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1", 1);
  restore_environment_after_huge_page_reexec();
  EXPECT_EQ(std::getenv("GLIBC_TUNABLES"), nullptr);
  EXPECT_EQ(std::getenv("SAMESTORY_SAVED_GLIBC_TUNABLES"), nullptr);
}

// Runs the binary with `env` before it in the shell command line.
testing::CliRun run_with(const std::string& env, const std::string& args, const std::string& stdin_path) {
  testing::TempDir dir;
  const std::string out = dir.path() + "/out", err = dir.path() + "/err";
  const std::string cmd =
      env + " " + SAMESTORY_BINARY + " " + args + " <" + stdin_path + " >" + out + " 2>" + err;
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, testing::slurp(out), testing::slurp(err)};
}

// The same bytes out, the same exit status, and standard input still readable, whether or not the
// command re-executes itself (asked to, it does on a machine with THP on request).
TEST(HugePages, CommandsGiveTheSameResultsWithAndWithout) {
  const std::string corpus = std::string(SAMESTORY_SOURCE_DIR) + "/examples/articles.jsonl";
  const std::string readme = std::string(SAMESTORY_SOURCE_DIR) + "/examples/README.md";
  struct Case {
    std::string args, stdin_path;
  };
  for (const Case& c : {Case{"dedup -q -o - " + corpus, "/dev/null"},
                        Case{"read -j1 - ", corpus},
                        Case{"read --strict --format jsonl -", readme}}) {
    const testing::CliRun with = run_with("SAMESTORY_HUGE_PAGES=1", c.args, c.stdin_path);
    const testing::CliRun without = run_with("", c.args, c.stdin_path);
    EXPECT_EQ(with.exit_code, without.exit_code) << c.args;
    EXPECT_EQ(with.out, without.out) << c.args;
    EXPECT_FALSE(with.out.empty() && with.exit_code == 0) << c.args;
  }
}

}  // namespace
}  // namespace samestory::cli
