#include "base/output_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

// A path that is not a regular file (a FIFO here; /dev/null is the common case) is written in
// place: renaming a temporary over it would replace it with a regular file.
TEST(OutputFile, WritesIntoAFifoWithoutReplacingIt) {
  const fs::path dir = fs::temp_directory_path() / "samestory-output-fifo-test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  // The reading end is opened first, without waiting for a writer, so that nothing blocks even if
  // the FIFO were replaced.
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  {
    auto f = OutputFile::open(fifo.string());
    ASSERT_TRUE(f.is_ok()) << f.status().message();
    ASSERT_TRUE((*f)->write("through the pipe\n").is_ok());
    ASSERT_TRUE((*f)->commit().is_ok());
  }
  char buffer[64] = {};
  const ssize_t got = ::read(reader, buffer, sizeof buffer);
  ::close(reader);
  EXPECT_EQ(std::string(buffer, got > 0 ? static_cast<size_t>(got) : 0), "through the pipe\n");
  struct stat st {};
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);  // no temporary
  fs::remove_all(dir);
}

TEST(OutputFile, RefusesADirectory) {
  auto f = OutputFile::open(fs::temp_directory_path().string());
  ASSERT_FALSE(f.is_ok());
  EXPECT_NE(f.status().message().find("is a directory"), std::string::npos);
}

TEST(OutputFile, ReportsAnUnwritableLocation) {
  auto f = OutputFile::open("/nonexistent-dir/out.jsonl");
  ASSERT_FALSE(f.is_ok());
  EXPECT_EQ(f.status().code(), StatusCode::kIoError);
  EXPECT_NE(f.status().message().find("/nonexistent-dir/out.jsonl"), std::string::npos);
}

}  // namespace
}  // namespace samestory
