// Retention: prune deletes old events with their deliveries and attempts, and
// old idempotency keys; everything newer stays.
#include <gtest/gtest.h>

#include "store_backends.hpp"

namespace hookline::testing {
namespace {

class StoreRetentionTest : public BackendStoreTest {};
HOOKLINE_STORE_BACKENDS(StoreRetentionTest);

TEST_P(StoreRetentionTest, PruneDeletesOldEventsWithTheirDeliveriesAndAttempts) {
  store().put_endpoint(make_endpoint("we_a", "acct_p", true, false));
  store().insert_events(
      {make_event("evt_old", "acct_c", 100, {"we_a"}, "charge.failed", false, 5),
       make_event("evt_edge", "acct_c", 200, {"we_a"}, "charge.failed", false, 5)});
  const std::vector<DueDelivery> due = store().claim_due(5, 10, 10);
  ASSERT_EQ(due.size(), 2u);
  std::vector<DeliveryOutcome> outcomes;
  for (const DueDelivery& item : due) {
    DeliveryOutcome out;
    out.delivery_id = item.delivery.id;
    out.event_id = item.delivery.event_id;
    out.endpoint_id = item.delivery.endpoint_id;
    out.attempt = Attempt{};
    out.attempt->at_ms = 5;
    out.attempt->http_status = 500;
    out.new_state = DeliveryState::kPending;
    out.next_attempt_ms = 1000;
    outcomes.push_back(out);
  }
  store().record_outcomes(outcomes, 5, 1'000'000);

  EXPECT_EQ(store().prune(200, 0), 1);  // strictly before 200
  EXPECT_FALSE(store().get_event("evt_old"));
  EXPECT_TRUE(store().list_deliveries("evt_old").empty());
  EXPECT_TRUE(store().list_attempts_for_event("evt_old", {}).items.empty());
  EXPECT_TRUE(store().get_event("evt_edge"));
  EXPECT_EQ(store().list_deliveries("evt_edge").size(), 1u);
  EXPECT_EQ(store().list_attempts_for_event("evt_edge", {}).items.size(), 1u);
  EXPECT_EQ(store().list_attempts_for_endpoint("we_a", {}).items.size(), 1u);
  EXPECT_EQ(store().count_pending_deliveries(), 1);
  EXPECT_EQ(store().prune(200, 0), 0);
}

TEST_P(StoreRetentionTest, PruneWorksThroughMoreThanOneBatch) {
  std::vector<NewEvent> batch;
  for (int i = 0; i < 4500; ++i)
    batch.push_back(make_event("evt_" + std::to_string(i), "acct_c", 10));
  batch.push_back(make_event("evt_keep", "acct_c", 20));
  store().insert_events(batch);
  EXPECT_EQ(store().prune(20, 0), 4500);
  EventFilter filter;
  filter.account_id = "acct_c";
  EXPECT_EQ(ids_of(store().list_events(filter, {})), (std::vector<std::string>{"evt_keep"}));
}

TEST_P(StoreRetentionTest, PruneDeletesIdempotencyKeysOlderThanTheCutoff) {
  store().put_idempotent("s", "old", {"h", 200, "b", 1000});
  store().put_idempotent("s", "new", {"h", 200, "b", 2000});
  store().prune(0, 2000);
  EXPECT_FALSE(store().get_idempotent("s", "old"));
  EXPECT_TRUE(store().get_idempotent("s", "new"));
  // The key is free again once pruned.
  EXPECT_TRUE(store().put_idempotent("s", "old", {"h2", 201, "b2", 3000}));
}

}  // namespace
}  // namespace hookline::testing
