// WalCheckpointer: commits past the threshold get a checkpoint on its thread;
// the store keeps working with it in place.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "store/sqlite/sqlite_checkpointer.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store_test_support.hpp"

namespace hookline::testing {
namespace {

void write_rows(sqlite::SqliteConnection& writer, int count) {
  for (int i = 0; i < count; ++i) {
    sqlite::Transaction transaction(writer, sqlite::Durability::kNormal);
    sqlite::Query(writer, "INSERT INTO t (v) VALUES (?)").bind(1, std::string(2000, 'x')).run();
    transaction.commit();
  }
}

TEST(WalCheckpointerTest, CommitsPastTheThresholdAreCheckpointedOnItsThread) {
  TempDir dir;
  const std::string path = dir.file("wal.db");
  sqlite::SqliteConnection writer(path);
  writer.exec("PRAGMA journal_mode=WAL");
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  {
    sqlite::WalCheckpointer checkpointer(path, 2, 1'000'000);
    checkpointer.attach(writer.handle());
    write_rows(writer, 20);
    EXPECT_TRUE(eventually([&] { return checkpointer.checkpoints() > 0; }));
  }
  // Detached: the writer goes on alone.
  write_rows(writer, 3);
  sqlite::Query count(writer, "SELECT COUNT(*) FROM t");
  ASSERT_TRUE(count.step());
  EXPECT_EQ(count.int64(0), 23);
}

TEST(WalCheckpointerTest, PastTheHardLimitTheWriterCheckpointsItself) {
  TempDir dir;
  const std::string path = dir.file("wal.db");
  sqlite::SqliteConnection writer(path);
  writer.exec("PRAGMA journal_mode=WAL");
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  sqlite::WalCheckpointer checkpointer(path, 1'000'000, 1);
  checkpointer.attach(writer.handle());
  write_rows(writer, 5);
  EXPECT_EQ(checkpointer.checkpoints(), 0);
  // Everything in the WAL was copied back after each commit: a checkpoint
  // now has nothing left to copy.
  sqlite::Query checkpoint(writer, "PRAGMA wal_checkpoint(PASSIVE)");
  ASSERT_TRUE(checkpoint.step());
  EXPECT_EQ(checkpoint.int64(1), checkpoint.int64(2));  // log frames == checkpointed frames
}

// Issue 10 item 8 (the WAL filled a small disk before any checkpoint): the
// thread's connection had read nothing, so SQLite did not know the database
// was in WAL mode and every one of its checkpoints did nothing.
TEST(Issue10WalCheckpointer, CheckpointsOnItsThreadCopyTheWalIntoTheDatabase) {
  TempDir dir;
  const std::string path = dir.file("wal.db");
  sqlite::SqliteConnection writer(path);
  writer.exec("PRAGMA journal_mode=WAL");
  writer.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
  sqlite::WalCheckpointer checkpointer(path, 2, 1'000'000);
  checkpointer.attach(writer.handle());
  write_rows(writer, 1000);  // about 2 MB, all of it in the WAL at first
  EXPECT_TRUE(eventually([&] { return std::filesystem::file_size(path) > (1u << 20); }))
      << std::filesystem::file_size(path);
}

}  // namespace
}  // namespace hookline::testing
