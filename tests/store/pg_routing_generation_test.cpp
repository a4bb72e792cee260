// Issue 15 (h16g): the PostgreSQL store reads its routing generation once for
// a burst of callers (SharedGenerationRead). What must hold: every caller gets
// a value read by a statement sent after it called (a write committed before
// the call is counted), whatever the callers that share the read.
#include "store/postgres/pg_routing_generation.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

namespace hookline::postgres {
namespace {

TEST(SharedGenerationReadTest, ACallAfterAReadCompletedReadsAgain) {
  uint64_t database = 7;
  SharedGenerationRead generation([&] { return database; });
  EXPECT_EQ(generation.get(), 7U);
  database = 8;  // committed after the first read, before the second call
  EXPECT_EQ(generation.get(), 8U);
  EXPECT_EQ(generation.reads(), 2U);
}

// The first read is held in flight; callers arriving meanwhile must not take
// its value (it may have been read before they called): the next read, sent
// after all of them, answers them all at once.
TEST(SharedGenerationReadTest, CallersDuringAReadShareTheNextRead) {
  std::mutex mutex;
  std::condition_variable changed;
  bool release = false;
  int started = 0;
  uint64_t database = 1;
  SharedGenerationRead generation([&] {
    std::unique_lock lock(mutex);
    const uint64_t value = database;  // the statement's snapshot
    ++started;
    changed.notify_all();
    if (started == 1) changed.wait(lock, [&] { return release; });
    return value;
  });
  uint64_t first = 0;
  std::thread reader([&] { first = generation.get(); });
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return started == 1; });
    database = 2;  // a write commits after the first read's snapshot
  }
  constexpr int kCallers = 8;
  std::vector<uint64_t> seen(kCallers);
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&, i] { seen[static_cast<std::size_t>(i)] = generation.get(); });
  }
  while (generation.calls() < kCallers + 1) std::this_thread::yield();
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  reader.join();
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(first, 1U);
  for (uint64_t value : seen) EXPECT_EQ(value, 2U);
  EXPECT_EQ(generation.reads(), 2U) << "callers waiting together share one read";
}

TEST(SharedGenerationReadTest, AFailedReadFailsItsCallerAndTheNextCallReadsAgain) {
  bool fail = true;
  SharedGenerationRead generation([&]() -> uint64_t {
    if (fail) throw std::runtime_error("lost");
    return 3;
  });
  EXPECT_THROW(generation.get(), std::runtime_error);
  fail = false;
  EXPECT_EQ(generation.get(), 3U);
}

}  // namespace
}  // namespace hookline::postgres
