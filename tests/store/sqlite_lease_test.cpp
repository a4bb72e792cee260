// Issue 15 (h18s): the SQLite store keeps its leases in memory. A claim
// commits nothing (no page of the deliveries table or of deliveries_due is
// written for it), every store of the process on the same file sees the
// others' leases, and a store opened anew (after a crash) finds what was
// claimed and never settled due at once.
#include <gtest/gtest.h>

#include "store/sqlite/sqlite_connection.hpp"
#include "store_test_support.hpp"

namespace hookline::testing {
namespace {

constexpr int64_t kNow = 1'767'225'600'000;
constexpr int64_t kLease = 60'000;

// PRAGMA data_version as another connection sees it: it changes when a
// connection other than this one commits a change to the database.
int64_t data_version(sqlite::SqliteConnection& db) {
  sqlite::Query query(db, "PRAGMA data_version");
  query.step();
  return query.int64(0);
}

class SqliteLeaseTest : public ::testing::Test {
 protected:
  SqliteLeaseTest() : path_(dir_.file("hookline.db")) {}

  std::unique_ptr<Store> open_with_backlog(int events) {
    std::unique_ptr<Store> store = open_sqlite_store(path_);
    store->put_endpoint(make_endpoint("we_a", "acct_p", true, false));
    std::vector<NewEvent> batch;
    for (int i = 0; i < events; ++i) {
      batch.push_back(make_event("evt_" + std::to_string(i), "acct_c", i, {"we_a"},
                                 "charge.failed", false, kNow - events + i));
    }
    store->insert_events(batch);
    return store;
  }

  TempDir dir_;
  std::string path_;
};

TEST_F(SqliteLeaseTest, AClaimCommitsNoChange) {
  std::unique_ptr<Store> store = open_with_backlog(300);
  sqlite::SqliteConnection observer(path_);
  const int64_t before = data_version(observer);
  ASSERT_EQ(store->claim_due(kNow, kNow + kLease, 200).size(), 200u);
  EXPECT_EQ(data_version(observer), before);
  // The observer does see a write: an outcome.
  const std::vector<DueDelivery> due = store->claim_due(kNow, kNow + kLease, 1);
  ASSERT_EQ(due.size(), 1u);
  DeliveryOutcome outcome;
  outcome.delivery_id = due[0].delivery.id;
  outcome.event_id = due[0].delivery.event_id;
  outcome.endpoint_id = "we_a";
  outcome.new_state = DeliveryState::kFailed;
  store->record_outcomes({outcome}, kNow, 86'400'000);
  EXPECT_NE(data_version(observer), before);
}

TEST_F(SqliteLeaseTest, ClaimsSkipLeasedDeliveriesAndNextDueIsTheEarliestLeaseEnd) {
  std::unique_ptr<Store> store = open_with_backlog(10);
  // The 4 oldest are leased until kNow + kLease, the next 4 until kNow + 1000:
  // each claim takes the oldest ones not leased, past those that are.
  const std::vector<DueDelivery> first = store->claim_due(kNow, kNow + kLease, 4);
  const std::vector<DueDelivery> second = store->claim_due(kNow, kNow + 1000, 4);
  ASSERT_EQ(first.size(), 4u);
  ASSERT_EQ(second.size(), 4u);
  EXPECT_EQ(first[0].delivery.event_id, "evt_0");
  EXPECT_EQ(second[0].delivery.event_id, "evt_4");
  EXPECT_EQ(second[0].delivery.next_attempt_ms, kNow + 1000);
  EXPECT_EQ(store->next_due_ms(), kNow - 2);  // evt_8, never claimed
  EXPECT_EQ(store->claim_due(kNow, kNow + 1000, 10).size(), 2u);
  EXPECT_EQ(store->next_due_ms(), kNow + 1000);
  EXPECT_EQ(store->list_deliveries("evt_0").at(0).next_attempt_ms, kNow + kLease);
  // The leases until kNow + 1000 end first: those six, and only those, are due then.
  const std::vector<DueDelivery> again = store->claim_due(kNow + 1000, kNow + kLease, 10);
  ASSERT_EQ(again.size(), 6u);
  EXPECT_EQ(again[0].delivery.event_id, "evt_4");
  EXPECT_EQ(again[5].delivery.event_id, "evt_9");
}

TEST_F(SqliteLeaseTest, AnotherStoreOnTheSameFileSeesTheLeases) {
  std::unique_ptr<Store> store = open_with_backlog(6);
  std::unique_ptr<Store> other = open_sqlite_store(path_);
  ASSERT_EQ(store->claim_due(kNow, kNow + kLease, 4).size(), 4u);
  const std::vector<DueDelivery> rest = other->claim_due(kNow, kNow + kLease, 10);
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0].delivery.event_id, "evt_4");
  EXPECT_EQ(other->next_due_ms(), kNow + kLease);
}

TEST_F(SqliteLeaseTest, AStoreOpenedAnewFindsWhatWasClaimedAndNotSettledDueAtOnce) {
  {
    std::unique_ptr<Store> store = open_with_backlog(5);
    ASSERT_EQ(store->claim_due(kNow, kNow + kLease, 5).size(), 5u);
    EXPECT_TRUE(store->claim_due(kNow, kNow + kLease, 5).empty());
  }  // the process that held the leases is gone
  std::unique_ptr<Store> store = open_sqlite_store(path_);
  EXPECT_EQ(store->count_pending_deliveries(), 5);
  EXPECT_EQ(store->next_due_ms(), kNow - 5);
  EXPECT_EQ(store->claim_due(kNow, kNow + kLease, 10).size(), 5u);
}

}  // namespace
}  // namespace hookline::testing
