// `--database-wait`: start_when_database_answers retries a start that finds
// the database unreachable, with a growing pause, until it starts, the time is
// spent, or a stop signal interrupts the wait; other failures are not retried.
#include "server/database_wait.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "store/store.hpp"

namespace hookline {
namespace {

// A start that fails `failures` times with StoreUnavailable, and a clock that
// moves only when the fake sleep is called.
struct FakeStart {
  int failures = 0;
  int calls = 0;
  int64_t now = 1000;
  std::vector<int64_t> pauses;

  WaitOutcome run(int64_t wait_ms, bool interrupt_at_first_pause = false) {
    return start_when_database_answers(
        [this] {
          ++calls;
          if (calls <= failures) throw StoreUnavailable("connection refused");
        },
        wait_ms, "host=db port=5432",
        [this, interrupt_at_first_pause](int64_t ms) {
          pauses.push_back(ms);
          now += ms;
          return !interrupt_at_first_pause;
        },
        [this] { return now; });
  }
};

TEST(DatabaseWait, StartsAtOnceWhenTheDatabaseAnswers) {
  FakeStart start;
  EXPECT_EQ(start.run(300'000), WaitOutcome::kStarted);
  EXPECT_EQ(start.calls, 1);
  EXPECT_TRUE(start.pauses.empty());
}

TEST(DatabaseWait, RetriesWithADoublingPauseCappedAtFiveSeconds) {
  FakeStart start;
  start.failures = 6;
  EXPECT_EQ(start.run(300'000), WaitOutcome::kStarted);
  EXPECT_EQ(start.calls, 7);
  EXPECT_EQ(start.pauses, (std::vector<int64_t>{500, 1000, 2000, 4000, 5000, 5000}));
}

TEST(DatabaseWait, ZeroMeansFailAtOnce) {
  FakeStart start;
  start.failures = 1;
  EXPECT_THROW(start.run(0), StoreUnavailable);
  EXPECT_EQ(start.calls, 1);
  EXPECT_TRUE(start.pauses.empty());
}

TEST(DatabaseWait, GivesUpWhenTheTimeIsSpentWithoutSleepingPastIt) {
  FakeStart start;
  start.failures = 1000;
  EXPECT_THROW(start.run(4'000), StoreUnavailable);
  // 0.5 + 1 + 2 s, then the 0.5 s left, then no time left.
  EXPECT_EQ(start.pauses, (std::vector<int64_t>{500, 1000, 2000, 500}));
  EXPECT_EQ(start.calls, 5);
}

TEST(DatabaseWait, AStopSignalEndsTheWait) {
  FakeStart start;
  start.failures = 1000;
  EXPECT_EQ(start.run(300'000, /*interrupt_at_first_pause=*/true), WaitOutcome::kInterrupted);
  EXPECT_EQ(start.calls, 1);
}

TEST(DatabaseWait, OtherFailuresAreNotRetried) {
  int calls = 0;
  EXPECT_THROW(start_when_database_answers(
                   [&] {
                     ++calls;
                     throw StoreError("the schema is newer than this hookline");
                   },
                   300'000, "host=db", [](int64_t) { return true; }, [] { return int64_t{0}; }),
               StoreError);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace hookline
