// Issue 15 (h17s): SQLite migration 5 rebuilds the deliveries and attempts
// indexes (deliveries_due over pending rows only; attempts by delivery instead
// of by event id; one endpoint index that also covers the stats). A database
// written at version 4 is opened by this build: every event, delivery and
// attempt reads back through the reads that now use the new indexes, the
// pending deliveries are claimed as before, and retention still deletes the
// attempts with their events.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_schema.hpp"
#include "store_test_support.hpp"

namespace hookline::testing {
namespace {

constexpr const char* kAccount = "acct_platform";

// At version 4: three events; deliveries 1 (evt_a → we_1, succeeded), 2 (evt_a
// → we_2, failed twice, due at 5000), 3 (evt_b → we_1, due at 4000), 4 (evt_c
// → we_1, succeeded); five attempts.
void write_version_4_database(const std::string& path) {
  sqlite::SqliteConnection db(path);
  sqlite::migrate(db, 4);
  db.exec(
      "INSERT INTO events (id, account_id, livemode, type, created, pending_webhooks) VALUES "
      "('evt_a', 'acct_platform', 0, 'payment_intent.succeeded', 100, 1), "
      "('evt_b', 'acct_platform', 0, 'customer.created', 200, 1), "
      "('evt_c', 'acct_platform', 0, 'customer.created', 300, 0);"
      "INSERT INTO event_bodies (event_seq, body) SELECT seq, '{\"id\":\"' || id || '\"}' "
      "FROM events;"
      "INSERT INTO deliveries (id, event_id, event_seq, endpoint_id, state, manual, "
      "attempt_count, next_attempt_ms, created_ms, last_http_status, last_error) VALUES "
      "(1, 'evt_a', 1, 'we_1', 'succeeded', 0, 1, 900, 900, 200, ''), "
      "(2, 'evt_a', 1, 'we_2', 'pending', 0, 2, 5000, 900, 500, ''), "
      "(3, 'evt_b', 2, 'we_1', 'pending', 0, 0, 4000, 1900, 0, ''), "
      "(4, 'evt_c', 3, 'we_1', 'succeeded', 0, 1, 2900, 2900, 200, '');"
      "INSERT INTO attempts (id, delivery_id, event_id, endpoint_id, at_ms, http_status, error, "
      "latency_us, response_excerpt, success, event_type) VALUES "
      "(1, 1, 'evt_a', 'we_1', 1000, 200, '', 1200, '', 1, 'payment_intent.succeeded'), "
      "(2, 2, 'evt_a', 'we_2', 1100, 500, '', 3400, 'oops', 0, 'payment_intent.succeeded'), "
      "(3, 2, 'evt_a', 'we_2', 2100, 500, '', 3400, 'oops', 0, 'payment_intent.succeeded'), "
      "(4, 4, 'evt_c', 'we_1', 3000, 200, '', 1200, '', 1, 'customer.created'), "
      "(5, 4, 'evt_c', 'we_1', 3000, 200, '', 56000, '', 1, 'customer.created');");
}

std::vector<int64_t> attempt_ids(const Page<Attempt>& page) {
  std::vector<int64_t> ids;
  for (const Attempt& attempt : page.items) ids.push_back(attempt.id);
  return ids;
}

TEST(SqliteIndexMigrationTest, AVersion4DatabaseReadsBackThroughTheNewIndexes) {
  TempDir dir;
  const std::string path = dir.file("hookline.db");
  write_version_4_database(path);
  std::unique_ptr<Store> store = open_sqlite_store(path);

  // An event's attempts, newest first, whole and one by one in both directions.
  EXPECT_EQ(attempt_ids(store->list_attempts_for_event("evt_a", {})),
            (std::vector<int64_t>{3, 2, 1}));
  PageRequest one;
  one.limit = 1;
  std::vector<int64_t> walked;
  for (;;) {
    const Page<Attempt> page = store->list_attempts_for_event("evt_a", one);
    ASSERT_EQ(page.items.size(), 1u);
    walked.push_back(page.items[0].id);
    if (!page.has_more) break;
    one.starting_after = std::to_string(page.items[0].id);
  }
  EXPECT_EQ(walked, (std::vector<int64_t>{3, 2, 1}));
  PageRequest before;
  before.ending_before = "1";
  EXPECT_EQ(attempt_ids(store->list_attempts_for_event("evt_a", before)),
            (std::vector<int64_t>{3, 2}));
  const Page<Attempt> failed = store->list_attempts_for_event("evt_a", {});
  EXPECT_EQ(failed.items[0].response_excerpt, "oops");
  EXPECT_EQ(failed.items[0].endpoint_id, "we_2");
  EXPECT_EQ(attempt_ids(store->list_attempts_for_event("evt_b", {})), std::vector<int64_t>{});

  // An endpoint's attempts, every type and one prefix; ties on at_ms by id.
  EXPECT_EQ(attempt_ids(store->list_attempts_for_endpoint("we_1", {})),
            (std::vector<int64_t>{5, 4, 1}));
  EXPECT_EQ(attempt_ids(store->list_attempts_for_endpoint("we_1", {}, {"customer.*"})),
            (std::vector<int64_t>{5, 4}));
  PageRequest after_5;
  after_5.starting_after = "5";
  EXPECT_EQ(attempt_ids(store->list_attempts_for_endpoint("we_1", after_5)),
            (std::vector<int64_t>{4, 1}));

  // The stats of 1-second buckets from 500 ms (not hour-aligned: read from attempts).
  std::multiset<std::tuple<int, int64_t, int64_t, int64_t>> cells;
  for (const AttemptHistogramCell& cell : store->attempt_histogram("we_1", 500, 1000, 4)) {
    cells.insert({cell.bucket, cell.latency_class, cell.attempts, cell.succeeded});
  }
  EXPECT_EQ(cells, (std::multiset<std::tuple<int, int64_t, int64_t, int64_t>>{
                       {0, 1200, 1, 1}, {2, 1200, 1, 1}, {2, 56000, 1, 1}}));

  // Deliveries: listed by event; the two pending ones counted, the due one claimed.
  EXPECT_EQ(store->list_deliveries("evt_a").size(), 2u);
  EXPECT_EQ(store->count_pending_deliveries(), 2);
  EXPECT_EQ(store->next_due_ms(), std::optional<int64_t>(4000));
  const std::vector<DueDelivery> due = store->claim_due(4500, 64'500, 10);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].delivery.id, 3);
  EXPECT_EQ(due[0].event_body, R"({"id":"evt_b"})");
  EXPECT_EQ(store->next_due_ms(), std::optional<int64_t>(5000));

  // Retention deletes the old events' attempts with them.
  EXPECT_EQ(store->prune(250, 0), 2);
  EXPECT_EQ(attempt_ids(store->list_attempts_for_endpoint("we_1", {})),
            (std::vector<int64_t>{5, 4}));
  EXPECT_TRUE(store->list_attempts_for_endpoint("we_2", {}).items.empty());
  EXPECT_EQ(store->count_pending_deliveries(), 0);
}

TEST(SqliteIndexMigrationTest, TheMigratedDatabaseHasTheNewIndexes) {
  TempDir dir;
  const std::string path = dir.file("hookline.db");
  write_version_4_database(path);
  open_sqlite_store(path).reset();
  sqlite::SqliteConnection db(path);
  sqlite::Query version(db, "SELECT MAX(version) FROM schema_version");
  ASSERT_TRUE(version.step());
  EXPECT_EQ(version.integer(0), 5);
  std::set<std::string> indexes;
  sqlite::Query list(db,
                     "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN "
                     "('attempts', 'deliveries') AND sql IS NOT NULL");
  while (list.step()) indexes.insert(list.text(0));
  EXPECT_EQ(indexes, (std::set<std::string>{"attempts_by_delivery", "attempts_by_endpoint",
                                            "attempts_by_endpoint_type", "deliveries_by_event",
                                            "deliveries_due"}));
  sqlite::Query integrity(db, "PRAGMA integrity_check");
  ASSERT_TRUE(integrity.step());
  EXPECT_EQ(integrity.text(0), "ok");
}

}  // namespace
}  // namespace hookline::testing
