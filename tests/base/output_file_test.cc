#include "base/output_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace samestory {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(OutputFile, AppearsOnlyWhenCommitted) {
  const fs::path dir = fs::temp_directory_path() / "samestory-output-test";
  fs::create_directories(dir);
  const fs::path target = dir / "out.jsonl";
  std::ofstream(target) << "previous complete content\n";
  {
    auto f = OutputFile::open(target.string());
    ASSERT_TRUE(f.is_ok());
    ASSERT_TRUE((*f)->write("half of the new ").is_ok());
    // Interrupted here: the old file must still be whole, and no temporary may be left behind.
  }
  EXPECT_EQ(slurp(target), "previous complete content\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  {
    auto f = OutputFile::open(target.string());
    ASSERT_TRUE(f.is_ok());
    ASSERT_TRUE((*f)->write("new content\n").is_ok());
    ASSERT_TRUE((*f)->commit().is_ok());
  }
  EXPECT_EQ(slurp(target), "new content\n");
  fs::remove_all(dir);
}

TEST(OutputFile, ReportsAnUnwritableLocation) {
  auto f = OutputFile::open("/nonexistent-dir/out.jsonl");
  ASSERT_FALSE(f.is_ok());
  EXPECT_EQ(f.status().code(), StatusCode::kIoError);
  EXPECT_NE(f.status().message().find("/nonexistent-dir/out.jsonl"), std::string::npos);
}

}  // namespace
}  // namespace samestory
