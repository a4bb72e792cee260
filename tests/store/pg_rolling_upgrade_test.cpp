// Issue 15 (h17p): a rolling upgrade. Another node's migration changes the row
// type a live store's prepared statements return ("cached plan must not change
// result type", SQLSTATE 0A000); the store recovers by itself, without its
// connections being replaced: the next call succeeds, on its own or within a
// transaction.
#include <gtest/gtest.h>

#include "postgres_server.hpp"
#include "store/postgres/pg_connection.hpp"
#include "pg_store_on.hpp"
#include "store/postgres/pg_store.hpp"
#include "store_test_support.hpp"

namespace hookline::testing {
namespace {

// What a later build's migration could run from another node: the same
// columns, of another type (so every statement reading them returns another
// row type).
void migrate_from_another_node(const TestDatabase& database, const std::string& sql) {
  postgres::PgConnection other(database.conninfo());
  other.exec(sql);
}

TEST(PgRollingUpgradeTest, AReadOnItsOwnSucceedsAfterAnotherNodeChangesItsRowType) {
  TestDatabase database;
  std::unique_ptr<Store> store = open_postgres_on(database, 1);
  store->put_setting("a", "1");
  ASSERT_EQ(store->get_setting("a"), "1");
  migrate_from_another_node(database, "ALTER TABLE settings ALTER COLUMN value TYPE VARCHAR(4096)");
  EXPECT_EQ(store->get_setting("a"), "1");
  EXPECT_EQ(store->get_setting("a"), "1");
}

// Each statement ran once before the migration (prepared); after a recovery
// the connection's statements are all prepared afresh, so each case prepares
// its statement again first.
TEST(PgRollingUpgradeTest, ATransactionSucceedsAfterAnotherNodeChangesItsRowType) {
  TestDatabase database;
  std::unique_ptr<Store> store = open_postgres_on(database, 1);
  store->put_endpoint(make_endpoint("we_a", "acct_p", true, false));

  // The publish's INSERT … RETURNING id, seq (events).
  store->insert_events({make_event("evt_1", "acct_c", 1, {"we_a"})});
  migrate_from_another_node(database, "ALTER TABLE events ALTER COLUMN id TYPE VARCHAR(255)");
  EXPECT_EQ(store->insert_events({make_event("evt_2", "acct_c", 2, {"we_a"})}).size(), 1u);

  // The publish's INSERT … RETURNING id (deliveries).
  store->insert_events({make_event("evt_3", "acct_c", 3, {"we_a"})});
  migrate_from_another_node(database, "ALTER TABLE deliveries ALTER COLUMN id TYPE INTEGER");
  EXPECT_EQ(store->insert_events({make_event("evt_4", "acct_c", 4, {"we_a"})}).size(), 1u);

  // The hand-over's lease count (endpoint_id, n).
  NewEvent leased = make_event("evt_5", "acct_c", 5, {"we_a"});
  leased.lease_until_ms = 1;  // over at once: the claim below finds it due
  ASSERT_EQ(store->insert_events_within_ceiling({leased}, 10).leased, std::vector<bool>{true});
  migrate_from_another_node(database,
                            "ALTER TABLE deliveries ALTER COLUMN endpoint_id TYPE VARCHAR(255)");
  leased.event.id = "evt_6";
  EXPECT_EQ(store->insert_events_within_ceiling({leased}, 10).leased, std::vector<bool>{true});

  // The claim's UPDATE … RETURNING the delivery's columns (nothing due at -1).
  ASSERT_TRUE(store->claim_due(-1, 0, 10).empty());
  migrate_from_another_node(database,
                            "ALTER TABLE deliveries ALTER COLUMN last_error TYPE VARCHAR(4096)");
  EXPECT_EQ(store->claim_due(1000, 61000, 10).size(), 6u);

  // put_setting_if_absent's read after its insert.
  ASSERT_EQ(store->put_setting_if_absent("a", "1"), "1");
  migrate_from_another_node(database, "ALTER TABLE settings ALTER COLUMN value TYPE VARCHAR(4096)");
  EXPECT_EQ(store->put_setting_if_absent("a", "2"), "1");
}

}  // namespace
}  // namespace hookline::testing
