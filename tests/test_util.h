// Helpers shared by samestory's tests: temporary directories, compressed fixtures, reading a
// whole corpus, and the location of ../shared.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/corpus_reader.h"

namespace samestory::testing {

// A fresh directory under the system temp dir, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "samestory-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes `bytes` to path()/name (creating directories) and returns the full path.
  std::string write(const std::string& name, std::string_view bytes) const {
    const std::filesystem::path p = std::filesystem::path(path_) / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return p.string();
  }

 private:
  std::string path_;
};

inline std::string gzip(std::string_view bytes) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, bytes.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

inline std::string zstd(std::string_view bytes, int level = 3) {
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  out.resize(ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), level));
  return out;
}

struct ReadResult {
  std::vector<Document> docs;
  ReadCounts counts;
  std::array<uint64_t, kReasonCount> problems{};
  uint64_t rejected = 0;
  std::string messages;  // what the ProblemLog printed (up to 100 per reason)

  uint64_t count(Reason r) const { return problems[static_cast<size_t>(r)]; }
};

// Reads every document of `inputs`, capturing the problem messages; checks the accounting
// invariant on the way out.
inline ReadResult read_all(const std::vector<std::string>& inputs, ReadOptions options = {}) {
  char* buf = nullptr;
  size_t len = 0;
  std::FILE* sink = open_memstream(&buf, &len);
  ProblemLogOptions log_options;
  log_options.sink = sink;
  log_options.max_messages_per_reason = 100;
  ReadResult result;
  {
    ProblemLog log(log_options);
    CorpusReader reader(inputs, std::move(options), &log);
    Document doc;
    while (reader.next(&doc)) result.docs.push_back(doc);
    result.counts = reader.counts();
    for (size_t r = 0; r < kReasonCount; ++r) result.problems[r] = log.count(static_cast<Reason>(r));
    result.rejected = log.rejected();
  }
  std::fclose(sink);
  result.messages.assign(buf, len);
  std::free(buf);
  EXPECT_EQ(result.counts.read, result.counts.accepted + result.rejected) << "accounting invariant";
  EXPECT_EQ(result.counts.accepted, result.docs.size());
  return result;
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct CliRun {
  int exit_code;
  std::string out;
  std::string err;
};

#ifdef SAMESTORY_BINARY
// Runs the samestory binary with `args` (a shell fragment), standard input from `stdin_path`.
inline CliRun run_samestory(const std::string& args, const std::string& stdin_path = "/dev/null") {
  TempDir dir;
  const std::string out = dir.path() + "/out", err = dir.path() + "/err";
  const std::string cmd = std::string(SAMESTORY_BINARY) + " " + args + " <" + stdin_path + " >" + out + " 2>" + err;
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}
#endif

// ../shared beside the repository (set by CMake); tests that need it skip when it is absent, which
// happens only outside CI.
inline std::string shared_dir() { return SAMESTORY_SHARED_DIR; }
inline bool have_shared() { return std::filesystem::exists(std::filesystem::path(SAMESTORY_SHARED_DIR) / "seeds"); }
#define REQUIRE_SHARED()                                              \
  do {                                                                \
    if (!::samestory::testing::have_shared()) GTEST_SKIP() << "no ../shared"; \
  } while (0)

}  // namespace samestory::testing
