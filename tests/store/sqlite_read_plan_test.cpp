// Issue 15 (h17s): the SQLite store keeps only the indexes its reads need, and
// every read that lists, pages, filters or sums events, deliveries or attempts
// still finds its rows through an index: EXPLAIN QUERY PLAN of each of the
// store's statements (built by the store's own functions) names the index it
// needs and scans none of those tables. Dropping any one of those indexes
// makes the check fail (the second test), so the check cannot pass vacuously.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "store/activity_sql.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store/sqlite/sqlite_pagination.hpp"
#include "store/sqlite/sqlite_queue_sql.hpp"
#include "store/sqlite/sqlite_schema.hpp"
#include "store_test_support.hpp"

namespace hookline::testing {
namespace {

struct PlannedRead {
  std::string name;
  std::string sql;
  std::vector<std::string> expected;  // fragments the plan must contain
};

PageRequest page_after(const std::string& id) {
  PageRequest request;
  request.starting_after = id;
  return request;
}

PageRequest page_before(const std::string& id) {
  PageRequest request;
  request.ending_before = id;
  return request;
}

std::vector<PlannedRead> store_reads() {
  std::vector<PlannedRead> reads;
  auto add_pages = [&reads](const std::string& name, const sqlite::PageQuery& query,
                            const std::string& cursor, const std::vector<std::string>& expected) {
    reads.push_back({name, sqlite::build_page_statement(query, {}).sql, expected});
    reads.push_back(
        {name + ", starting_after", sqlite::build_page_statement(query, page_after(cursor)).sql,
         expected});
    reads.push_back(
        {name + ", ending_before", sqlite::build_page_statement(query, page_before(cursor)).sql,
         expected});
  };

  EventFilter events;
  events.account_id = "acct_1";
  add_pages("list_events", sqlite::event_list_query(events), "evt_1",
            {"events_by_account (account_id=?"});
  events.livemode = false;
  events.types = {"customer.created", "payment_intent.*"};
  events.created_gte = 100;
  events.delivery_success = false;
  add_pages("list_events, filtered", sqlite::event_list_query(events), "evt_1",
            {"events_by_account (account_id=?"});

  add_pages("list_attempts_for_event", sqlite::attempts_for_event_query("evt_1"), "7",
            {"attempts_by_delivery (delivery_id=?)", "deliveries_by_event (event_seq=?)",
             "sqlite_autoindex_events_1 (id=?)"});
  add_pages("list_attempts_for_endpoint", sqlite::attempts_for_endpoint_query("we_1", {"*"}), "7",
            {"attempts_by_endpoint (endpoint_id=?"});
  add_pages("list_attempts_for_endpoint, one type",
            sqlite::attempts_for_endpoint_query("we_1", {"customer.created"}), "7",
            {"attempts_by_endpoint_type (endpoint_id=? AND event_type=?"});
  add_pages("list_attempts_for_endpoint, prefix",
            sqlite::attempts_for_endpoint_query("we_1", {"customer.*", "charge.failed"}), "7",
            {"attempts_by_endpoint (endpoint_id=?"});

  EventActivityQuery activity;
  activity.livemode = false;
  reads.push_back({"event_activity", event_activity_sql(activity),
                   {"events_by_created (created>? AND created<?)"}});
  activity.account_id = "acct_1";
  reads.push_back(
      {"event_activity, one account", event_activity_sql(activity),
       {"events_by_account (account_id=? AND livemode=? AND created>? AND created<?)"}});
  reads.push_back({"attempt_histogram, hourly", attempt_histogram_sql(0, 3'600'000),
                   {"attempt_hours USING PRIMARY KEY (endpoint_id=? AND hour_ms>? AND hour_ms<?)"}});
  reads.push_back(
      {"attempt_histogram, 5 minutes", attempt_histogram_sql(60'000, 300'000),
       {"USING COVERING INDEX attempts_by_endpoint (endpoint_id=? AND at_ms>? AND at_ms<?)"}});

  reads.push_back({"claim_due", sqlite::claim_due_sql(), {"deliveries_due (next_attempt_ms<?)"}});
  reads.push_back({"claim_due: a claimed delivery", sqlite::claimed_delivery_sql(),
                   {"SEARCH d USING INTEGER PRIMARY KEY", "SEARCH e USING INTEGER PRIMARY KEY",
                    "SEARCH b USING INTEGER PRIMARY KEY"}});
  reads.push_back({"list_deliveries", sqlite::deliveries_of_event_sql(),
                   {"deliveries_by_event (event_seq=?)", "sqlite_autoindex_events_1 (id=?)"}});
  reads.push_back({"prune: old events", sqlite::prune_events_sql(), {"events_by_created (created<?)"}});
  reads.push_back({"prune: their attempts", sqlite::prune_attempts_sql(),
                   {"attempts_by_delivery (delivery_id=?)", "deliveries_by_event (event_seq=?)"}});
  return reads;
}

// What is wrong with the plans of the store's reads on `db`: an expected index
// not used, or a scan of events, deliveries or attempts. Empty when all is well.
std::vector<std::string> plan_problems(sqlite::SqliteConnection& db) {
  static const std::set<std::string> large_tables = {"events", "deliveries", "attempts",
                                                     "e",      "d",          "b"};
  std::vector<std::string> problems;
  for (const PlannedRead& read : store_reads()) {
    std::string plan;
    sqlite::Query explain(db, "EXPLAIN QUERY PLAN " + read.sql);
    while (explain.step()) {
      const std::string line = explain.text(3);
      plan += line + "\n";
      if (line.rfind("SCAN ", 0) == 0) {
        const std::string table = line.substr(5, line.find(' ', 5) - 5);
        if (large_tables.count(table) != 0) problems.push_back(read.name + ": " + line);
      }
    }
    for (const std::string& fragment : read.expected) {
      if (plan.find(fragment) == std::string::npos) {
        problems.push_back(read.name + ": no \"" + fragment + "\" in\n" + plan);
      }
    }
  }
  return problems;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

TEST(SqliteReadPlanTest, EveryListFilterAndStatsReadUsesAnIndex) {
  TempDir dir;
  sqlite::SqliteConnection db(dir.file("hookline.db"));
  sqlite::migrate(db);
  const std::vector<std::string> problems = plan_problems(db);
  EXPECT_TRUE(problems.empty()) << joined(problems);
}

TEST(SqliteReadPlanTest, DroppingAnyIndexTheReadsNeedIsCaught) {
  for (const char* index :
       {"events_by_account", "events_by_created", "deliveries_due", "deliveries_by_event",
        "attempts_by_delivery", "attempts_by_endpoint", "attempts_by_endpoint_type"}) {
    TempDir dir;
    sqlite::SqliteConnection db(dir.file("hookline.db"));
    sqlite::migrate(db);
    db.exec(std::string("DROP INDEX ") + index);
    EXPECT_FALSE(plan_problems(db).empty()) << "nothing needs " << index;
  }
}

// The indexes each write maintains: an attempt goes into three attempts
// indexes (none keyed by the random event id), and deliveries_due holds
// pending deliveries only, so settling a delivery removes its entry rather
// than moving it.
TEST(SqliteReadPlanTest, AttemptsHaveThreeIndexesAndDeliveriesDueOnlyPendingRows) {
  TempDir dir;
  sqlite::SqliteConnection db(dir.file("hookline.db"));
  sqlite::migrate(db);
  std::set<std::string> attempts_indexes;
  {
    sqlite::Query list(db, "PRAGMA index_list(attempts)");
    while (list.step()) attempts_indexes.insert(list.text(1));
  }
  EXPECT_EQ(attempts_indexes, (std::set<std::string>{"attempts_by_delivery", "attempts_by_endpoint",
                                                     "attempts_by_endpoint_type"}));
  bool due_is_partial = false;
  {
    sqlite::Query list(db, "PRAGMA index_list(deliveries)");
    while (list.step()) {
      if (list.text(1) == "deliveries_due") due_is_partial = list.boolean(4);
    }
  }
  EXPECT_TRUE(due_is_partial);
}

// Settled deliveries leave deliveries_due: its entries are the pending rows
// (read from the index's own pages), whatever the table holds besides.
TEST(SqliteReadPlanTest, ASettledDeliveryLeavesTheDueIndex) {
  TempDir dir;
  const std::string path = dir.file("hookline.db");
  {
    std::unique_ptr<Store> store = open_sqlite_store(path);
    store->put_endpoint(make_endpoint("we_1", "acct_1", false, false));
    std::vector<NewEvent> events;
    for (int i = 0; i < 50; ++i) {
      events.push_back(make_event("evt_" + std::to_string(i), "acct_1", i, {"we_1"}));
    }
    store->insert_events(events);
    std::vector<DeliveryOutcome> outcomes;
    for (const DueDelivery& due : store->claim_due(1000, 61'000, 40)) {
      DeliveryOutcome outcome;
      outcome.delivery_id = due.delivery.id;
      outcome.event_id = due.delivery.event_id;
      outcome.endpoint_id = "we_1";
      outcome.attempt = Attempt{};
      outcome.attempt->at_ms = 1000;
      outcome.attempt->http_status = 200;
      outcome.attempt->success = true;
      outcome.new_state = DeliveryState::kSucceeded;
      outcomes.push_back(outcome);
    }
    ASSERT_EQ(outcomes.size(), 40u);
    store->record_outcomes(outcomes, 1000, 86'400'000);
    EXPECT_EQ(store->count_pending_deliveries(), 10);
  }
  sqlite::SqliteConnection db(path);
  sqlite::Query entries(db,
                        "SELECT SUM(ncell) FROM dbstat WHERE name = 'deliveries_due' AND "
                        "pagetype = 'leaf'");
  ASSERT_TRUE(entries.step());
  EXPECT_EQ(entries.int64(0), 10);
}

}  // namespace
}  // namespace hookline::testing
