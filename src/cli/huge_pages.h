// Transparent huge pages for batch commands, on request (SAMESTORY_HUGE_PAGES=1).
//
// Why on request only: 2 MiB pages make 512 times fewer page faults and fewer TLB misses on the
// large tables (signatures, buckets), and where memory is plentiful and already backed they can
// help. But on the virtual machines samestory is developed and benchmarked on (Firecracker, with
// free page reporting of 8 MiB blocks), a huge page is carved from a block the host has taken
// back, and the host must fault in all 512 of its pages: a one-thread dedup of 1 GB spent 1.6 s
// of system time with them and 0.5 s without, 7.9 s against 6.6 s in all. Small pages are
// reused from the guest's own free lists instead.
//
// How: glibc (2.35 and later) backs malloc's heap and large blocks with huge pages when the
// tunable glibc.malloc.hugetlb=1 is set, but reads tunables only at start-up, from the
// GLIBC_TUNABLES environment variable. So a batch command re-executes its own binary once, with
// the tunable added, before it does any work. The kernel must allow huge pages on request
// (/sys/kernel/mm/transparent_hugepage/enabled is "madvise"); with "always" they are on already
// and with "never" they cannot be had, and in both cases nothing is done.
//
// Guarantees: at most one re-execution; the command, and any process it starts, sees the
// environment the user gave it (the variables used on the way are removed again); when anything
// fails, the command simply runs as it is. Done only when SAMESTORY_HUGE_PAGES=1, and never for
// `serve` (a long-running process should hand memory back in small pieces) or under sanitizers
// (their allocator ignores the tunable).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace samestory::cli {

// What decides whether to re-execute; `tunables` and `request` are the values of GLIBC_TUNABLES
// and SAMESTORY_HUGE_PAGES (nullopt when unset), `thp_enabled` the contents of the kernel's
// transparent_hugepage/enabled file.
struct HugePageContext {
  std::string_view glibc_version;  // gnu_get_libc_version(), e.g. "2.36"
  std::string_view thp_enabled;    // e.g. "always [madvise] never"
  std::optional<std::string_view> tunables;
  std::optional<std::string_view> request;
};

// The GLIBC_TUNABLES value to re-execute with, or nullopt when the process should run as it is.
std::optional<std::string> huge_page_tunables(const HugePageContext& context);

// Call first thing in main(): undoes the environment changes of a re-execution, and remembers
// that this process is the re-executed one.
void restore_environment_after_huge_page_reexec();

// Re-executes the binary with huge pages when huge_page_tunables() says so for this process and
// it was not re-executed already. Returns only when it did not (or could not) re-execute.
void reexec_with_huge_pages(char** argv);

}  // namespace samestory::cli
