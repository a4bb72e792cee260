// SQLite only: what the embedded store refuses to open.
#include <gtest/gtest.h>

#include "store_test_support.hpp"

namespace hookline::testing {
namespace {

TEST(SqliteOpenTest, RefusesInMemoryDatabases) {
  EXPECT_THROW(open_sqlite_store(":memory:"), StoreError);
  EXPECT_THROW(open_sqlite_store(""), StoreError);
}

TEST(SqliteOpenTest, FailsWithStoreErrorOnAnUnwritablePath) {
  TempDir dir;
  EXPECT_THROW(open_sqlite_store(dir.file("no/such/dir/hookline.db")), StoreError);
}

}  // namespace
}  // namespace hookline::testing
