#include "cli/huge_pages.h"

#include <gnu/libc-version.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace samestory::cli {

namespace {

// Set in the re-executed process: "=" and the user's GLIBC_TUNABLES, or "" if there was none.
constexpr const char* kSavedTunables = "SAMESTORY_SAVED_GLIBC_TUNABLES";
constexpr std::string_view kTunable = "glibc.malloc.hugetlb=1";

bool reexecuted = false;

bool glibc_at_least(std::string_view version, int major, int minor) {
  int got_major = 0, got_minor = 0;
  const char* end = version.data() + version.size();
  auto [p, ec] = std::from_chars(version.data(), end, got_major);
  if (ec != std::errc() || p == end || *p != '.') return false;
  if (std::from_chars(p + 1, end, got_minor).ec != std::errc()) return false;
  return got_major > major || (got_major == major && got_minor >= minor);
}

std::optional<std::string_view> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string_view(value);
}

}  // namespace

std::optional<std::string> huge_page_tunables(const HugePageContext& context) {
  if (!context.request || *context.request != "1") return std::nullopt;
  if (context.thp_enabled.find("[madvise]") == std::string_view::npos) return std::nullopt;
  if (!glibc_at_least(context.glibc_version, 2, 35)) return std::nullopt;
  if (!context.tunables || context.tunables->empty()) return std::string(kTunable);
  // The user's own setting wins.
  if (context.tunables->find("glibc.malloc.hugetlb") != std::string_view::npos) return std::nullopt;
  return std::string(*context.tunables) + ":" + std::string(kTunable);
}

void restore_environment_after_huge_page_reexec() {
  const char* saved = std::getenv(kSavedTunables);
  if (saved == nullptr) return;
  reexecuted = true;
  if (saved[0] == '=') {
    setenv("GLIBC_TUNABLES", saved + 1, 1);
  } else {
    unsetenv("GLIBC_TUNABLES");
  }
  unsetenv(kSavedTunables);
}

void reexec_with_huge_pages(char** argv) {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  (void)argv;
  return;
#else
  if (reexecuted) return;
  std::ifstream thp_file("/sys/kernel/mm/transparent_hugepage/enabled");
  std::stringstream thp;
  thp << thp_file.rdbuf();
  const std::string thp_enabled = thp.str();
  const auto tunables = env("GLIBC_TUNABLES");
  const auto value =
      huge_page_tunables({gnu_get_libc_version(), thp_enabled, tunables, env("SAMESTORY_HUGE_PAGES")});
  if (!value) return;
  std::string saved;
  if (tunables) saved.append("=").append(*tunables);
  if (setenv(kSavedTunables, saved.c_str(), 1) != 0) return;
  if (setenv("GLIBC_TUNABLES", value->c_str(), 1) == 0) execv("/proc/self/exe", argv);
  // The exec failed (no /proc, say): run as we are, with the environment as it was.
  restore_environment_after_huge_page_reexec();
  reexecuted = false;
#endif
}

}  // namespace samestory::cli
