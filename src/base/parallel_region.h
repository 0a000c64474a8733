// ParallelRegion: the fork/join guarantees of a oneTBB parallel call, made visible to
// ThreadSanitizer.
//
// Debian's libtbb is not built with ThreadSanitizer, so the synchronisation inside it (a task
// starts after the caller spawned it; a parallel_for or parallel_pipeline returns only after every
// task finished; a serial pipeline stage runs its items one after another) is invisible, and TSan
// reports the caller's and the tasks' ordinary accesses as races. Construct a ParallelRegion
// before the call and wrap each task body in a `Task` scope: the region releases at the fork and
// acquires at the join, each task acquires at its start and releases at its end. Tasks that
// really overlap in time still race in TSan's eyes, so real races stay visible. In builds without
// TSan all of this compiles to nothing.
//
//   ParallelRegion region;
//   auto body = [&](int i) { ParallelRegion::Task task; ... };
//   region.fork();               // after everything the tasks will read is built
//   tbb::parallel_for(0, n, body);
//   region.join();               // before anything the tasks wrote is read
//
// parallel_for_index() below does this for the common case.
#pragma once

#if defined(__SANITIZE_THREAD__)
#define SAMESTORY_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SAMESTORY_TSAN 1
#endif
#endif

#include <tbb/parallel_for.h>

#ifdef SAMESTORY_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace samestory {

class ParallelRegion {
 public:
  ParallelRegion() = default;
  ParallelRegion(const ParallelRegion&) = delete;
  ParallelRegion& operator=(const ParallelRegion&) = delete;
  void fork() { release(); }
  void join() { acquire(); }

  // Scope of one task body inside a region. It names no region: a task must mark its start before
  // it reads anything the spawning thread wrote, its own closure included.
  class Task {
   public:
    Task() { acquire(); }
    ~Task() { release(); }
    Task(const Task&) = delete;
    Task& operator=(const Task&) = delete;
  };

 private:
  // One process-wide synchronisation address: regions never overlap in samestory (a parallel call
  // returns before the next begins), so sharing it adds no ordering that is not there already.
#ifdef SAMESTORY_TSAN
  static void* token() {
    static char token;
    return &token;
  }
  static void acquire() { __tsan_acquire(token()); }
  static void release() { __tsan_release(token()); }
#else
  static void acquire() {}
  static void release() {}
#endif
};

// tbb::parallel_for over [begin, end) with the region marked.
template <typename Index, typename Body>
void parallel_for_index(Index begin, Index end, const Body& body) {
  ParallelRegion region;
  const auto marked_body = [&](Index i) {
    ParallelRegion::Task task;
    body(i);
  };
  region.fork();
  tbb::parallel_for(begin, end, marked_body);
  region.join();
}

}  // namespace samestory
