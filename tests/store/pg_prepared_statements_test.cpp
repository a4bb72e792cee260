// Issue 15 (h16g): PgConnection prepares each statement once per connection
// and executes it by name afterwards; statements with many parameters (a
// multi-row INSERT whose text changes with its row count) are sent unnamed.
#include <gtest/gtest.h>

#include "postgres_server.hpp"
#include "store/postgres/pg_connection.hpp"

namespace hookline::testing {
namespace {

using postgres::PgConnection;
using postgres::Query;
using postgres::StalePreparedStatement;
using postgres::Transaction;

int64_t prepared_count(PgConnection& db) {
  Query count(db, "SELECT COUNT(*) FROM pg_prepared_statements");
  count.run();
  return count.int64(0, 0);
}

// Table t with one row; `db` prepares its INSERT and a `SELECT *`, then
// another connection (a node running a later build's migration) adds a
// column, so that the prepared `SELECT *` now returns another row type.
void prepare_then_change_row_type(TestDatabase& database, PgConnection& db) {
  db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL)");
  Query(db, "INSERT INTO t (id, name) VALUES (?, ?)").bind(1, 1).bind(2, "a").run();
  Query(db, "SELECT * FROM t WHERE id = ?").bind(1, 1).run();
  PgConnection(database.conninfo()).exec("ALTER TABLE t ADD COLUMN extra TEXT NOT NULL DEFAULT 'x'");
}

TEST(PgPreparedStatementsTest, AStatementIsPreparedOnceAndRunByNameAfterwards) {
  TestDatabase database;
  PgConnection db(database.conninfo());
  db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL)");
  for (int i = 1; i <= 3; ++i) {
    Query(db, "INSERT INTO t (id, name) VALUES (?, ?)").bind(1, i).bind(2, "n").run();
  }
  // The INSERT and the count itself.
  EXPECT_EQ(prepared_count(db), 2);
  Query read(db, "SELECT name FROM t WHERE id = ?");
  read.bind(1, 2).run();
  ASSERT_EQ(read.rows(), 1);
  EXPECT_EQ(read.text(0, 0), "n");
  EXPECT_EQ(prepared_count(db), 3);
}

TEST(PgPreparedStatementsTest, StatementsWithManyParametersAreNotKept) {
  TestDatabase database;
  PgConnection db(database.conninfo());
  db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY)");
  std::string sql = "INSERT INTO t (id) VALUES (?)";
  for (int i = 1; i < PgConnection::kMaxPreparedParameters + 1; ++i) sql += ", (?)";
  Query insert(db, sql);
  for (int i = 1; i <= PgConnection::kMaxPreparedParameters + 1; ++i) insert.bind(i, i);
  insert.run();
  EXPECT_EQ(insert.changes(), PgConnection::kMaxPreparedParameters + 1);
  EXPECT_EQ(prepared_count(db), 1) << "only the count";
}

// A prepared statement outlives a schema change: the server plans it again.
TEST(PgPreparedStatementsTest, APreparedStatementStillRunsAfterTheTableChanges) {
  TestDatabase database;
  PgConnection db(database.conninfo());
  db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL)");
  Query(db, "INSERT INTO t (id, name) VALUES (?, ?)").bind(1, 1).bind(2, "a").run();
  db.exec("ALTER TABLE t ADD COLUMN extra TEXT NOT NULL DEFAULT ''; CREATE INDEX t_name ON t (name)");
  Query(db, "INSERT INTO t (id, name) VALUES (?, ?)").bind(1, 2).bind(2, "b").run();
  Query read(db, "SELECT COUNT(*) FROM t WHERE name IN (?, ?)");
  read.bind(1, "a").bind(2, "b").run();
  EXPECT_EQ(read.int64(0, 0), 2);
}

// Issue 15 (h17p): another connection (a node running a later build's
// migration) adds a column: a prepared `SELECT *` now returns another row
// type, which the server refuses (SQLSTATE 0A000) until the statement is
// deallocated. On its own, the statement runs again, prepared afresh.
TEST(PgPreparedStatementsTest, AStatementWhoseRowTypeChangedElsewhereRunsAgain) {
  TestDatabase database;
  PgConnection db(database.conninfo());
  prepare_then_change_row_type(database, db);
  Query read(db, "SELECT * FROM t WHERE id = ?");
  read.bind(1, 1).run();
  ASSERT_EQ(read.rows(), 1);
  EXPECT_EQ(read.text(0, 2), "x");
  Query(db, "INSERT INTO t (id, name) VALUES (?, ?)").bind(1, 2).bind(2, "b").run();
  // The stale statements are gone from the server too: the three above.
  EXPECT_EQ(prepared_count(db), 3);
}

// Within a transaction the failure aborts it: the statement cannot run again
// there. The caller learns it was a stale statement (and retries the
// transaction: PostgresStore::write); the next transaction runs it afresh.
TEST(PgPreparedStatementsTest, WithinATransactionAStaleStatementFailsOnceThenRunsAgain) {
  TestDatabase database;
  PgConnection db(database.conninfo());
  prepare_then_change_row_type(database, db);
  {
    Transaction transaction(db, postgres::Durability::kFull);
    EXPECT_THROW(Query(db, "SELECT * FROM t WHERE id = ?").bind(1, 1).run(),
                 StalePreparedStatement);
  }
  Transaction transaction(db, postgres::Durability::kFull);
  Query read(db, "SELECT * FROM t WHERE id = ?");
  read.bind(1, 1).run();
  EXPECT_EQ(read.text(0, 2), "x");
  transaction.commit();
}

}  // namespace
}  // namespace hookline::testing
