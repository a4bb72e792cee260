// Issue 15: a claim reads what it leases, not the backlog. The claim statement
// is planned against a backlog of due and finished deliveries: it walks the
// deliveries_due index in order (no scan of deliveries, no sort) and finds the
// event and its body by key.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "postgres_server.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_queue_sql.hpp"
#include "store/postgres/pg_schema.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_queue_sql.hpp"
#include "store/sqlite/sqlite_schema.hpp"
#include "store_backends.hpp"
#include "store_test_support.hpp"

namespace hookline::testing {
namespace {

constexpr int kBacklog = 20'000;  // due deliveries, and as many finished ones
constexpr int kLimit = 100;
constexpr int64_t kNow = 10'000'000;

// kBacklog events, each with a body, one pending due delivery and one
// succeeded one (same SQL on both stores).
const std::vector<std::string>& backlog_sql() {
  static const std::vector<std::string> statements = {
      "INSERT INTO events (id, account_id, livemode, type, created, pending_webhooks) "
      "SELECT 'evt_' || i, 'acct_1', 0, 'customer.created', i, 1 FROM n",
      "INSERT INTO event_bodies (event_seq, body) SELECT seq, '{\"id\":\"' || id || '\"}' "
      "FROM events",
      "INSERT INTO deliveries (event_id, event_seq, endpoint_id, state, manual, attempt_count, "
      "next_attempt_ms, created_ms, last_http_status, last_error) "
      "SELECT id, seq, 'we_' || (seq % 10), 'pending', 0, 0, seq, seq, 0, '' FROM events",
      "INSERT INTO deliveries (event_id, event_seq, endpoint_id, state, manual, attempt_count, "
      "next_attempt_ms, created_ms, last_http_status, last_error) "
      "SELECT id, seq, 'we_' || (seq % 10), 'succeeded', 0, 1, 0, seq, 200, '' FROM events",
  };
  return statements;
}

void check_sqlite_claim() {
  TempDir dir;
  sqlite::SqliteConnection db(dir.file("hookline.db"));
  sqlite::migrate(db);
  const std::string rows =
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
      "WHERE i < " +
      std::to_string(kBacklog) + ") ";
  db.exec(rows + backlog_sql()[0]);
  for (std::size_t i = 1; i < backlog_sql().size(); ++i) db.exec(backlog_sql()[i]);

  // The walk over deliveries_due, then each claimed delivery with its event
  // and body by key.
  std::string plan;
  {
    sqlite::Query explain(db, "EXPLAIN QUERY PLAN " + sqlite::claim_due_sql());
    explain.bind(1, kNow).bind(2, int64_t{kLimit});
    while (explain.step()) plan += explain.text(3) + "\n";
    sqlite::Query rows(db, "EXPLAIN QUERY PLAN " + sqlite::claimed_delivery_sql());
    rows.bind(1, int64_t{1});
    while (rows.step()) plan += rows.text(3) + "\n";
  }
  EXPECT_NE(plan.find("SEARCH deliveries USING INDEX deliveries_due (next_attempt_ms<?)"),
            std::string::npos)
      << plan;
  EXPECT_NE(plan.find("SEARCH d USING INTEGER PRIMARY KEY"), std::string::npos) << plan;
  EXPECT_NE(plan.find("SEARCH e USING INTEGER PRIMARY KEY"), std::string::npos) << plan;
  EXPECT_NE(plan.find("SEARCH b USING INTEGER PRIMARY KEY"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("SCAN"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;

  // Run, it steps through about `limit` index entries, not the backlog.
  sqlite3_stmt* statement = db.prepare(sqlite::claim_due_sql());
  sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_VM_STEP, 1);
  int claimed = 0;
  {
    sqlite::Query claim(db, sqlite::claim_due_sql());
    claim.bind(1, kNow).bind(2, int64_t{kLimit});
    while (claim.step()) ++claimed;
  }
  EXPECT_EQ(claimed, kLimit);
  EXPECT_EQ(sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0), 0);
  // Tens of VM instructions per row read; a walk over the backlog would be
  // at least one step per row of it.
  EXPECT_LT(sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_VM_STEP, 0), kBacklog / 2);
}

void check_postgres_claim() {
  TestDatabase database;
  postgres::PgConnection db(database.conninfo());
  postgres::migrate(db);
  const std::string rows =
      "WITH n(i) AS (SELECT generate_series(1, " + std::to_string(kBacklog) + ")) ";
  db.exec(rows + backlog_sql()[0]);
  for (std::size_t i = 1; i < backlog_sql().size(); ++i) db.exec(backlog_sql()[i]);
  db.exec("ANALYZE");

  postgres::Query explain(db, "EXPLAIN " + postgres::claim_oldest_sql());
  explain.bind(1, kNow)
      .bind(2, "node_1")
      .bind(3, int64_t{kLimit})
      .bind(4, kNow + 60'000)
      .bind(5, kNow + 60'000)
      .run();
  std::string plan;
  for (int row = 0; row < explain.rows(); ++row) plan += explain.text(row, 0) + "\n";
  EXPECT_NE(plan.find("Index Scan using deliveries_due on deliveries q"), std::string::npos)
      << plan;
  EXPECT_EQ(plan.find("Seq Scan on deliveries"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Seq Scan on events"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Seq Scan on event_bodies"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Sort"), std::string::npos) << plan;
}

class ClaimPlanTest : public ::testing::TestWithParam<Backend> {};
HOOKLINE_STORE_BACKENDS(ClaimPlanTest);

TEST_P(ClaimPlanTest, ClaimWalksTheDueIndexAndReadsOnlyWhatItLeases) {
  if (GetParam() == Backend::kSqlite) {
    check_sqlite_claim();
  } else {
    check_postgres_claim();
  }
}

}  // namespace
}  // namespace hookline::testing
