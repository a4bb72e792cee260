// Issue 15 (h16c): how often WalCheckpointer checkpoints under constant writes.
// It used to checkpoint again after every commit past the threshold until the
// WAL happened to start over: about 90 checkpoints (two fsyncs each) a second
// during P1, most of them copying a few pages. Now one per step of WAL, and
// past the catch-up mark a last pass under the writer's lock makes the WAL
// start over at the next write.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite/sqlite_checkpointer.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store_test_support.hpp"

namespace hookline::testing {
namespace {

constexpr int kUnreached = 1'000'000;

void write_row(sqlite::SqliteConnection& writer) {
  sqlite::Transaction transaction(writer, sqlite::Durability::kNormal);
  sqlite::Query(writer, "INSERT INTO t (v) VALUES (?)").bind(1, std::string(2000, 'x')).run();
  transaction.commit();
}

// Frames in the WAL (log) and copied into the database (checkpointed), from a
// PASSIVE checkpoint run on `connection`.
struct WalState {
  int64_t log = 0;
  int64_t checkpointed = 0;
};
WalState checkpoint_now(sqlite::SqliteConnection& connection) {
  sqlite::Query checkpoint(connection, "PRAGMA wal_checkpoint(PASSIVE)");
  EXPECT_TRUE(checkpoint.step());
  return WalState{checkpoint.int64(1), checkpoint.int64(2)};
}

TEST(WalCheckpointPacingTest, PastTheThresholdOneCheckpointPerStepNotPerCommit) {
  TempDir dir;
  const std::string path = dir.file("wal.db");
  sqlite::SqliteConnection writer(path);
  writer.exec("PRAGMA journal_mode=WAL");
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  // A reader that keeps its snapshot: no checkpoint can empty the WAL, so it
  // only grows, as under constant writes.
  sqlite::SqliteConnection reader(path);
  sqlite::ReadSnapshot snapshot(reader);
  sqlite::Query(reader, "SELECT COUNT(*) FROM t").step();

  constexpr int kStep = 40;
  sqlite::WalCheckpointer checkpointer(
      path, sqlite::WalCheckpointLimits{10, kStep, kUnreached, kUnreached});
  checkpointer.attach(writer.handle());
  constexpr int kCommits = 200;
  for (int i = 0; i < kCommits; ++i) {
    write_row(writer);
    checkpointer.wait_until_idle();  // each commit's request (if any) is served before the next
  }
  const auto wal_bytes = std::filesystem::file_size(path + "-wal");
  const auto frames = static_cast<int64_t>((wal_bytes - 32) / (4096 + 24));
  ASSERT_GT(frames, 10 + 2 * kStep) << wal_bytes;  // the WAL never started over
  // Every commit past the threshold used to ask for one (about kCommits - 5).
  EXPECT_GE(checkpointer.checkpoints(), (frames - 10) / kStep - 1) << frames;
  EXPECT_LE(checkpointer.checkpoints(), (frames - 10) / kStep + 1) << frames;
  EXPECT_EQ(checkpointer.catch_ups(), 0);
}

TEST(WalCheckpointPacingTest, PastTheCatchUpMarkACheckpointEndsUnderTheWritersLock) {
  TempDir dir;
  const std::string path = dir.file("wal.db");
  sqlite::SqliteConnection writer(path);
  writer.exec("PRAGMA journal_mode=WAL");
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  std::mutex writer_lock;
  sqlite::WalCheckpointer checkpointer(path, sqlite::WalCheckpointLimits{4, 4, 4, kUnreached});
  checkpointer.attach(writer.handle(), &writer_lock);
  const auto database_bytes = std::filesystem::file_size(path);
  {
    // The writer is "in a transaction" for as long as this holds the lock:
    // the catch-up's last pass waits for it, its first pass does not.
    std::unique_lock held(writer_lock);
    for (int i = 0; i < 20; ++i) write_row(writer);
    ASSERT_TRUE(eventually([&] { return std::filesystem::file_size(path) > database_bytes; }));
    for (int i = 0; i < 5; ++i) write_row(writer);  // after the first pass
    EXPECT_EQ(checkpointer.checkpoints(), 0);
    EXPECT_EQ(checkpointer.catch_ups(), 0);
  }
  checkpointer.wait_until_idle();
  EXPECT_GE(checkpointer.catch_ups(), 1);
  // Nothing was committed between the last pass and now: all of the WAL is
  // in the database, and the next write starts it over.
  const WalState before = checkpoint_now(writer);
  EXPECT_GE(before.log, 5);  // at least the rows written after the first pass
  EXPECT_EQ(before.checkpointed, before.log);
  write_row(writer);
  const WalState after = checkpoint_now(writer);
  EXPECT_LT(after.log, before.log) << "the WAL did not start over";
}

}  // namespace
}  // namespace hookline::testing
