#include "cli/dask_handoff.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "cli/exit_codes.h"

namespace samestory::cli {

int hand_to_dask(const std::string& scheduler, const GlobalOptions& global, const InputArgs& input,
                 std::string_view command, std::vector<std::string> command_args) {
  auto usage = [&](const std::string& why) {
    fmt::print(stderr, "samestory {} --dask: {}\n", command, why);
    return kExitUsage;
  };
  if (input.strict) return usage("--strict is not supported on a cluster");
  std::vector<std::string> argv;
  const char* python = std::getenv("SAMESTORY_PYTHON");
#ifdef SAMESTORY_PYTHON_EXECUTABLE
  if (python == nullptr) python = SAMESTORY_PYTHON_EXECUTABLE;
#endif
  if (python == nullptr) python = "python3";
  argv = {python, "-m", "samestory.dask", "--scheduler", scheduler};
  if (global.json) argv.emplace_back("--json");
  if (global.quiet) argv.emplace_back("--quiet");
  for (const std::string& f : input.fields) argv.insert(argv.end(), {"--field", f});
  if (input.format != "auto") argv.insert(argv.end(), {"--format", input.format});
  if (!input.outlet.empty()) argv.insert(argv.end(), {"--outlet", input.outlet});
  argv.emplace_back(command);
  for (std::string& a : command_args) argv.push_back(std::move(a));
  for (const std::string& in : input.inputs) {
    if (in == "-") return usage("standard input cannot be read by workers: give files");
    if (in.starts_with("@")) {
      argv.push_back("@" + std::filesystem::absolute(in.substr(1)).string());
    } else {
      argv.push_back(std::filesystem::absolute(in).string());
    }
  }
#ifdef SAMESTORY_PYTHON_DIR
  // The package in the build folder, unless one is installed (pip install .) and found first.
  if (std::filesystem::exists(SAMESTORY_PYTHON_DIR)) {
    const char* old = std::getenv("PYTHONPATH");
    const std::string path = old && *old ? std::string(SAMESTORY_PYTHON_DIR) + ":" + old : SAMESTORY_PYTHON_DIR;
    setenv("PYTHONPATH", path.c_str(), 1);
  }
#endif
  std::vector<char*> raw;
  for (std::string& a : argv) raw.push_back(a.data());
  raw.push_back(nullptr);
  std::fflush(nullptr);
  execvp(raw[0], raw.data());
  fmt::print(stderr, "samestory {} --dask: cannot run {}: {}\n", command, python, std::strerror(errno));
  return kExitIoFailure;
}

}  // namespace samestory::cli
