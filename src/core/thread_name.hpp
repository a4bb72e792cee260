#pragma once
// Thread names say which stage of the pipeline a thread serves: `top -H` shows
// them, and the benchmark's per-event cost table (bench/report/cost_table.mjs)
// adds up CPU time by name from /proc/PID/task/*/stat. A name has at most 15
// characters (the kernel's limit).
#include <pthread.h>

namespace hookline {

// Names the calling thread, once per thread: later calls on a thread already
// named here cost one thread-local test (for pool threads, named by the first
// task they run).
inline void name_this_thread(const char* name) {
  thread_local bool named = false;
  if (named) return;
  pthread_setname_np(pthread_self(), name);
  named = true;
}

}  // namespace hookline
