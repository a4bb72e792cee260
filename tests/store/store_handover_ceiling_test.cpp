// Issue 11, the per-endpoint ceiling for the group commit's hand-over: what a
// node inserts leased to its own dispatcher counts against the same
// cluster-wide ceiling as claims, under the same lock, so that nodes that all
// publish to one endpoint at once do not each reach it with their own limit.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "store/group_commit.hpp"
#include "store_backends.hpp"

namespace hookline::testing {
namespace {

constexpr int64_t kNow = 1'767'225'600'000;
constexpr int64_t kLease = 60'000;

class HandOverCeilingTest : public BackendStoreTest {
 protected:
  // `count` events to `endpoint_id`, each asked leased (as the group commit
  // asks) when `leased`.
  std::vector<NewEvent> batch(const std::string& endpoint_id, int count, bool leased) {
    std::vector<NewEvent> events;
    for (int i = 0; i < count; ++i) {
      events.push_back(make_event("evt_" + std::to_string(++events_), "acct_c", 1, {endpoint_id},
                                  "charge.failed", false, kNow));
      if (leased) events.back().lease_until_ms = kNow + kLease;
    }
    return events;
  }

  // The deliveries to `endpoint_id` leased now, as the rows say (a leased
  // row's next_attempt_ms is its lease end), over every event written.
  std::size_t leased_rows(const std::string& endpoint_id) {
    std::size_t leased = 0;
    for (int i = 1; i <= events_; ++i) {
      for (const Delivery& delivery : store().list_deliveries("evt_" + std::to_string(i))) {
        if (delivery.endpoint_id == endpoint_id && delivery.next_attempt_ms > kNow) ++leased;
      }
    }
    return leased;
  }

  static std::size_t count_leased(const Store::InsertedDeliveries& inserted) {
    return static_cast<std::size_t>(
        std::count(inserted.leased.begin(), inserted.leased.end(), true));
  }

  std::atomic<int> events_{0};
};
HOOKLINE_STORE_BACKENDS(HandOverCeilingTest);

TEST_P(HandOverCeilingTest, WithoutACeilingEveryDeliveryAskedIsInsertedLeased) {
  store().put_endpoint(make_endpoint("we_a", "acct_p", true, false));
  std::vector<NewEvent> events = batch("we_a", 3, true);
  events.push_back(batch("we_a", 1, false).front());
  const Store::InsertedDeliveries inserted = store().insert_events_within_ceiling(events, 0);
  ASSERT_EQ(inserted.ids.size(), 4u);
  EXPECT_EQ(inserted.leased, (std::vector<bool>{true, true, true, false}));
  EXPECT_EQ(leased_rows("we_a"), 3u);
}

TEST_P(HandOverCeilingTest, OneNodeLeasesEveryDeliveryAskedWhateverTheCeiling) {
  if (postgres()) GTEST_SKIP() << "several nodes: the ceiling holds (below)";
  store().put_endpoint(make_endpoint("we_a", "acct_p", true, false));
  const Store::InsertedDeliveries inserted =
      store().insert_events_within_ceiling(batch("we_a", 5, true), 2);
  EXPECT_EQ(count_leased(inserted), 5u);
  EXPECT_EQ(leased_rows("we_a"), 5u);
}

// Two nodes insert, at the same time, deliveries to one endpoint that already
// has leases: together they lease no more than the ceiling minus those; the
// rest is inserted due, to be claimed. (Nothing here ends a lease, so the
// count at the end is the most there ever was.)
TEST_P(HandOverCeilingTest, TwoNodesHandingOverLeaseNoMoreThanTheCeiling) {
  if (!postgres()) GTEST_SKIP() << "one node: its dispatcher limits itself";
  constexpr std::size_t kCeiling = 5;
  constexpr int kRounds = 10;
  constexpr int kPerBatch = 3;
  store().put_endpoint(make_endpoint("we_hot", "acct_p", true, false));
  store().put_endpoint(make_endpoint("we_cold", "acct_p", true, false));
  store().insert_events(batch("we_hot", 2, false));
  ASSERT_EQ(store().claim_due(kNow, kNow + kLease, 10, kCeiling).size(), 2u);  // leases exist

  std::unique_ptr<Store> node_b = open();
  std::vector<Store*> nodes = {&store(), node_b.get()};
  std::atomic<std::size_t> handed{0};
  std::vector<std::thread> threads;
  for (Store* node : nodes) {
    threads.emplace_back([&, node] {
      for (int round = 0; round < kRounds; ++round) {
        std::vector<NewEvent> events = batch("we_hot", kPerBatch, true);
        events.push_back(batch("we_cold", 1, true).front());  // another endpoint: its own room
        const Store::InsertedDeliveries inserted =
            node->insert_events_within_ceiling(events, kCeiling);
        ASSERT_EQ(inserted.ids.size(), events.size());
        ASSERT_EQ(inserted.leased.size(), events.size());
        for (std::size_t i = 0; i < kPerBatch; ++i) handed += inserted.leased[i] ? 1 : 0;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(handed.load(), kCeiling - 2);
  EXPECT_EQ(leased_rows("we_hot"), kCeiling);
  EXPECT_EQ(leased_rows("we_cold"), kCeiling);
  // What was not leased is due now, but the endpoint is at its ceiling: a
  // claim takes none of it; once the leases end, the ceiling's worth.
  EXPECT_EQ(store().count_pending_deliveries(), 2 + 2 * kRounds * (kPerBatch + 1));
  std::unique_ptr<Store> node_c = open();
  EXPECT_TRUE(node_c->claim_due(kNow, kNow + kLease, 100, kCeiling).empty());
  std::size_t hot = 0;
  for (const DueDelivery& due :
       node_c->claim_due(kNow + kLease + 1, kNow + 2 * kLease, 100, kCeiling)) {
    if (due.delivery.endpoint_id == "we_hot") ++hot;
  }
  EXPECT_EQ(hot, kCeiling);
}

// Claims and hand-overs of one endpoint, racing on two nodes, count each
// other's leases: together they never lease more than the ceiling.
TEST_P(HandOverCeilingTest, ClaimsAndHandOversRacingShareOneCeiling) {
  if (!postgres()) GTEST_SKIP() << "one node: its dispatcher limits itself";
  constexpr std::size_t kCeiling = 4;
  store().put_endpoint(make_endpoint("we_hot", "acct_p", true, false));
  store().insert_events(batch("we_hot", 50, false));
  std::unique_ptr<Store> node_b = open();
  std::atomic<std::size_t> leased{0};
  std::thread claimer([&] {
    for (int round = 0; round < 30; ++round) {
      leased += node_b->claim_due(kNow, kNow + kLease, 1, kCeiling).size();
    }
  });
  std::thread writer([&] {
    for (int round = 0; round < 30; ++round) {
      leased +=
          count_leased(store().insert_events_within_ceiling(batch("we_hot", 1, true), kCeiling));
    }
  });
  claimer.join();
  writer.join();
  EXPECT_EQ(leased.load(), kCeiling);
  EXPECT_EQ(leased_rows("we_hot"), kCeiling);
}

// Records what the writer reserves and hands over.
class CeilingHandoff : public DeliveryHandoff {
 public:
  explicit CeilingHandoff(std::size_t ceiling) : ceiling_(ceiling) {}
  std::optional<int64_t> reserve(std::size_t count) override {
    std::lock_guard lock(mutex_);
    reserved_ += count;
    return kNow + kLease;
  }
  void release(std::size_t count) override {
    std::lock_guard lock(mutex_);
    reserved_ -= count;
  }
  void hand_over(std::vector<DueDelivery> deliveries, std::size_t reserved) override {
    std::lock_guard lock(mutex_);
    reserved_ -= reserved;
    for (DueDelivery& item : deliveries) handed_.push_back(std::move(item));
  }
  std::size_t per_endpoint_ceiling() const override { return ceiling_; }

  std::vector<DueDelivery> handed() {
    std::lock_guard lock(mutex_);
    return handed_;
  }
  std::size_t reserved() {
    std::lock_guard lock(mutex_);
    return reserved_;
  }

 private:
  const std::size_t ceiling_;
  std::mutex mutex_;
  std::size_t reserved_ = 0;         // guarded by mutex_
  std::vector<DueDelivery> handed_;  // guarded by mutex_
};

// The group commit hands its dispatcher only what the store inserted leased,
// and wakes it to claim the rest.
TEST_P(HandOverCeilingTest, GroupCommitHandsOverOnlyWhatWasLeased) {
  constexpr std::size_t kCeiling = 3;
  const WebhookEndpoint hot = make_endpoint("we_hot", "acct_p", true, false);
  store().put_endpoint(hot);
  store().insert_events(batch("we_hot", 1, false));
  ASSERT_EQ(store().claim_due(kNow, kNow + kLease, 10, kCeiling).size(), 1u);  // another node's

  CeilingHandoff handoff(kCeiling);
  int hooks = 0;
  {
    GroupCommitWriter writer(store(), [&] { ++hooks; }, &handoff);
    std::vector<NewEvent> events = batch("we_hot", 4, false);
    std::vector<std::thread> callers;
    for (NewEvent& event : events) {
      callers.emplace_back([&writer, &hot, event = std::move(event)]() mutable {
        writer.write(std::move(event), {hot});
      });
    }
    for (std::thread& caller : callers) caller.join();
  }
  EXPECT_EQ(handoff.reserved(), 0u);  // every reservation handed over or given back
  const std::vector<DueDelivery> handed = handoff.handed();
  // One node (SQLite): every one, as before. Several: the ceiling's room.
  const std::size_t expected = postgres() ? kCeiling - 1 : 4;
  EXPECT_EQ(handed.size(), expected);
  EXPECT_EQ(leased_rows("we_hot"), expected + 1);
  for (const DueDelivery& due : handed) {
    const std::vector<Delivery> rows = store().list_deliveries(due.delivery.event_id);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].id, due.delivery.id);
    EXPECT_EQ(rows[0].next_attempt_ms, kNow + kLease);  // handed over: leased
  }
  // Deliveries left due: the dispatcher was woken to claim them.
  if (postgres()) {
    EXPECT_GE(hooks, 1);
  } else {
    EXPECT_EQ(hooks, 0);
  }
}

}  // namespace
}  // namespace hookline::testing
