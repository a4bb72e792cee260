// Issue 14: the migration that gives attempts their event type and creates
// the hourly rollup (SQLite 4, PostgreSQL 5) fills both from the attempts
// already stored. The same test body on both stores.
#include <gtest/gtest.h>

#include "store/postgres/pg_connection.hpp"
#include "store/sqlite/sqlite_connection.hpp"
#include "store_backends.hpp"
#include "store_test_support.hpp"

namespace hookline::testing {
namespace {

constexpr int64_t kHour = 3'600'000;

class AttemptHoursMigrationTest : public BackendStoreTest {
 protected:
  // Back to the schema before the migration: no event type, no rollup.
  void undo_migration() {
    store_.reset();
    if (postgres()) {
      postgres::PgConnection raw(database_->conninfo());
      raw.exec(
          "DROP TRIGGER attempts_event_type ON attempts; DROP FUNCTION attempts_event_type(); "
          "DROP INDEX attempts_by_endpoint_type; ALTER TABLE attempts DROP COLUMN event_type; "
          "DROP TABLE attempt_hours; "
          // Migration 6 (the routing generation) after it, undone too.
          "DROP FUNCTION move_routing_generation() CASCADE; DROP TABLE routing_generation; "
          "DELETE FROM schema_version WHERE version >= 5");
      return;
    }
    sqlite::SqliteConnection raw(dir_.file("hookline.db"));
    raw.exec(
        // Migration 5 (the deliveries and attempts indexes) after it, undone too.
        "DROP INDEX deliveries_due; DROP INDEX attempts_by_delivery; "
        "DROP INDEX attempts_by_endpoint; "
        "CREATE INDEX deliveries_due ON deliveries (state, next_attempt_ms); "
        "CREATE INDEX attempts_by_event ON attempts (event_id, at_ms, id); "
        "CREATE INDEX attempts_by_endpoint ON attempts (endpoint_id, at_ms, id); "
        "CREATE INDEX attempts_for_stats ON attempts (endpoint_id, at_ms, latency_us, success); "
        "DROP TRIGGER attempts_event_type; DROP INDEX attempts_by_endpoint_type; "
        "ALTER TABLE attempts DROP COLUMN event_type; DROP TABLE attempt_hours; "
        "DELETE FROM schema_version WHERE version >= 4");
  }
};

TEST_P(AttemptHoursMigrationTest, FillsEventTypesAndTheRollupFromExistingAttempts) {
  const int64_t day = 20'000 * 24 * kHour;
  {
    Store* store = store_.get();
    store->put_endpoint(make_endpoint("we_a", "acct_p", true, false));
    store->insert_events({make_event("evt_pi", "acct_c", 1, {}, "payment_intent.succeeded"),
                          make_event("evt_cus", "acct_c", 2, {}, "customer.created")});
    std::vector<DeliveryOutcome> outcomes;
    const std::pair<const char*, int64_t> made[] = {
        {"evt_pi", day}, {"evt_cus", day + 1}, {"evt_pi", day + kHour}};
    for (const auto& [event_id, at_ms] : made) {
      DeliveryOutcome outcome;
      outcome.delivery_id = store->add_manual_delivery(event_id, "we_a", at_ms);
      outcome.event_id = event_id;
      outcome.endpoint_id = "we_a";
      outcome.manual = true;
      Attempt attempt;
      attempt.at_ms = at_ms;
      attempt.http_status = 200;
      attempt.latency_us = 1'234;
      attempt.success = true;
      outcome.attempt = attempt;
      outcome.new_state = DeliveryState::kSucceeded;
      outcomes.push_back(outcome);
    }
    ASSERT_EQ(store->claim_due(day + kHour, day + 2 * kHour, 10).size(), 3u);
    store->record_outcomes(outcomes, day + kHour, 1'000'000'000);
  }
  undo_migration();
  std::unique_ptr<Store> store = open();
  const Page<Attempt> intents = store->list_attempts_for_endpoint("we_a", {}, {"payment_intent.*"});
  ASSERT_EQ(intents.items.size(), 2u);
  EXPECT_EQ(intents.items[0].event_id, "evt_pi");
  EXPECT_EQ(intents.items[1].event_id, "evt_pi");
  std::vector<AttemptHistogramCell> hours = store->attempt_histogram("we_a", day, kHour, 2);
  ASSERT_EQ(hours.size(), 2u);
  int64_t attempts = 0;
  for (const AttemptHistogramCell& cell : hours) {
    EXPECT_EQ(cell.latency_class, 1'200);
    attempts += cell.attempts;
  }
  EXPECT_EQ(attempts, 3);
}

HOOKLINE_STORE_BACKENDS(AttemptHoursMigrationTest);

}  // namespace
}  // namespace hookline::testing
