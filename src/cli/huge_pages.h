// Transparent huge pages for batch commands.
//
// Why: on the virtual machines this tool is run and benchmarked on, touching a fresh 4 KiB page
// costs about 12 µs (the guest's page tables are shadowed by the host), so a dedup of 1 GB, which
// touches ~190,000 pages, spent over a second in page faults; 2 MiB pages make 512 times fewer
// faults and fewer TLB misses on the large tables (signatures, buckets, hash sets). Measured with
// `bench/dedup.sh` (see README): about 10% of a one-thread dedup.
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
// fails, the command simply runs as it is. Not done for `serve` (a long-running process should
// hand memory back in small pieces), under sanitizers (their allocator ignores the tunable), or
// when SAMESTORY_HUGE_PAGES=0.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace samestory::cli {

// What decides whether to re-execute; `tunables` and `opt_out` are the values of GLIBC_TUNABLES
// and SAMESTORY_HUGE_PAGES (nullopt when unset), `thp_enabled` the contents of the kernel's
// transparent_hugepage/enabled file.
struct HugePageContext {
  std::string_view glibc_version;  // gnu_get_libc_version(), e.g. "2.36"
  std::string_view thp_enabled;    // e.g. "always [madvise] never"
  std::optional<std::string_view> tunables;
  std::optional<std::string_view> opt_out;
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
