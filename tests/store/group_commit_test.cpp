// GroupCommitWriter: every caller's event is committed exactly once, callers
// return only after their commit, and a failed batch fails all of its callers.
#include "store/group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "store_backends.hpp"

namespace hookline::testing {
namespace {

class GroupCommitTest : public BackendStoreTest {};
HOOKLINE_STORE_BACKENDS(GroupCommitTest);

TEST_P(GroupCommitTest, ConcurrentWritersAllCommittedNoneDuplicated) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 200;
  store().put_endpoint(make_endpoint("we_a", "acct_p", true, false));
  std::atomic<int> visible_after_return{0};
  {
    GroupCommitWriter writer(store());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          const std::string id = "evt_" + std::to_string(t) + "_" + std::to_string(i);
          writer.write(make_event(id, "acct_c", 1000 + i, {"we_a"}));
          // Durable before write() returns: readable from another connection.
          if (store().get_event(id)) ++visible_after_return;
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  EXPECT_EQ(visible_after_return.load(), kThreads * kPerThread);

  reopen();
  EventFilter filter;
  filter.account_id = "acct_c";
  std::set<std::string> seen;
  int listed = 0;
  PageRequest request{100, "", ""};
  for (;;) {
    const Page<StoredEvent> page = store().list_events(filter, request);
    for (const StoredEvent& event : page.items) {
      seen.insert(event.id);
      ++listed;
    }
    if (!page.has_more) break;
    request.starting_after = page.items.back().id;
  }
  EXPECT_EQ(listed, kThreads * kPerThread);
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(store().count_pending_deliveries(), kThreads * kPerThread);
}

TEST_P(GroupCommitTest, AFailedBatchThrowsToItsCallersAndWritesNothingOfIt) {
  store().insert_events({make_event("evt_taken", "acct_c", 1)});
  GroupCommitWriter writer(store());
  EXPECT_THROW(writer.write(make_event("evt_taken", "acct_c", 2)), StoreError);
  EXPECT_EQ(store().get_event("evt_taken")->created, 1);
  // The writer goes on with the next batches.
  writer.write(make_event("evt_next", "acct_c", 3));
  EXPECT_TRUE(store().get_event("evt_next"));
}

TEST_P(GroupCommitTest, EveryCallerOfAFailedBatchGetsTheError) {
  // Many threads write at once; one event collides. Whatever the batching,
  // each caller either committed (its event is there) or got StoreError (its
  // batch, with the collision, wrote nothing) — never a silent loss.
  store().insert_events({make_event("evt_taken", "acct_c", 1)});
  constexpr int kThreads = 32;
  std::atomic<int> failed{0};
  std::vector<int> outcome(kThreads, -1);
  {
    GroupCommitWriter writer(store());
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        const std::string id = t == kThreads / 2 ? "evt_taken" : "evt_" + std::to_string(t);
        try {
          writer.write(make_event(id, "acct_c", 2));
          outcome[static_cast<std::size_t>(t)] = 1;
        } catch (const StoreError&) {
          outcome[static_cast<std::size_t>(t)] = 0;
          ++failed;
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  }
  EXPECT_GE(failed.load(), 1);
  EXPECT_EQ(outcome[kThreads / 2], 0);
  for (int t = 0; t < kThreads; ++t) {
    if (t == kThreads / 2) continue;
    const bool present = store().get_event("evt_" + std::to_string(t)).has_value();
    EXPECT_EQ(present, outcome[static_cast<std::size_t>(t)] == 1) << "thread " << t;
  }
}

// Records what the writer reserves, releases and hands over.
class RecordingHandoff : public DeliveryHandoff {
 public:
  explicit RecordingHandoff(std::optional<int64_t> lease) : lease_(lease) {}

  std::optional<int64_t> reserve(std::size_t count) override {
    std::lock_guard lock(mutex_);
    if (lease_) reserved_ += count;
    return lease_;
  }
  void release(std::size_t count) override {
    std::lock_guard lock(mutex_);
    released_ += count;
  }
  void hand_over(std::vector<DueDelivery> deliveries, std::size_t reserved) override {
    std::lock_guard lock(mutex_);
    handed_reserved_ += reserved;
    for (DueDelivery& item : deliveries) handed_.push_back(std::move(item));
  }

  std::size_t reserved() {
    std::lock_guard lock(mutex_);
    return reserved_;
  }
  std::size_t released() {
    std::lock_guard lock(mutex_);
    return released_;
  }
  std::size_t handed_reserved() {
    std::lock_guard lock(mutex_);
    return handed_reserved_;
  }
  std::vector<DueDelivery> handed() {
    std::lock_guard lock(mutex_);
    return handed_;
  }

 private:
  const std::optional<int64_t> lease_;
  std::mutex mutex_;
  std::size_t reserved_ = 0;         // guarded by mutex_
  std::size_t released_ = 0;         // guarded by mutex_
  std::size_t handed_reserved_ = 0;  // guarded by mutex_
  std::vector<DueDelivery> handed_;  // guarded by mutex_
};

TEST_P(GroupCommitTest, DeliveriesWrittenWithTheirEndpointsAreHandedOverLeased) {
  const WebhookEndpoint a = make_endpoint("we_a", "acct_p", true, false);
  const WebhookEndpoint b = make_endpoint("we_b", "acct_p", true, false);
  store().put_endpoint(a);
  store().put_endpoint(b);
  RecordingHandoff handoff(int64_t{5'000});
  int batches = 0;
  {
    GroupCommitWriter writer(store(), [&] { ++batches; }, &handoff);
    writer.write(make_event("evt_1", "acct_c", 1, {"we_a", "we_b"}, "charge.failed", true, 100),
                 {a, b});
    // Without its endpoints: inserted due, to be claimed.
    writer.write(make_event("evt_2", "acct_c", 1, {"we_a"}, "charge.failed", false, 100));
  }
  EXPECT_EQ(batches, 1);  // only the second left a delivery to be claimed
  EXPECT_EQ(handoff.reserved(), 2u);
  EXPECT_EQ(handoff.handed_reserved(), 2u);
  EXPECT_EQ(handoff.released(), 0u);
  const std::vector<DueDelivery> handed = handoff.handed();
  ASSERT_EQ(handed.size(), 2u);
  const std::vector<Delivery> rows = store().list_deliveries("evt_1");
  ASSERT_EQ(rows.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(handed[i].delivery.id, rows[i].id);
    EXPECT_EQ(handed[i].delivery.event_id, "evt_1");
    EXPECT_EQ(handed[i].delivery.endpoint_id, rows[i].endpoint_id);
    EXPECT_EQ(handed[i].delivery.next_attempt_ms, 5'000);
    EXPECT_EQ(rows[i].next_attempt_ms, 5'000);  // leased in the same transaction
    EXPECT_EQ(handed[i].delivery.created_ms, 100);
    EXPECT_EQ(handed[i].delivery.attempt_count, 0);
    EXPECT_EQ(handed[i].event_body, store().get_event("evt_1")->body);
    EXPECT_TRUE(handed[i].event_livemode);
    EXPECT_EQ(handed[i].event_type, "charge.failed");
    EXPECT_EQ(handed[i].event_account_id, "acct_c");
    ASSERT_TRUE(handed[i].endpoint);
    EXPECT_EQ(handed[i].endpoint->id, rows[i].endpoint_id);
  }
  EXPECT_EQ(store().list_deliveries("evt_2").at(0).next_attempt_ms, 100);
}

TEST_P(GroupCommitTest, WithoutRoomTheDeliveriesAreInsertedDue) {
  const WebhookEndpoint a = make_endpoint("we_a", "acct_p", true, false);
  store().put_endpoint(a);
  RecordingHandoff handoff(std::nullopt);
  {
    GroupCommitWriter writer(store(), {}, &handoff);
    writer.write(make_event("evt_1", "acct_c", 1, {"we_a"}, "charge.failed", false, 100), {a});
  }
  EXPECT_TRUE(handoff.handed().empty());
  EXPECT_EQ(store().list_deliveries("evt_1").at(0).next_attempt_ms, 100);
}

TEST_P(GroupCommitTest, AFailedBatchReleasesItsRoomAndHandsNothingOver) {
  const WebhookEndpoint a = make_endpoint("we_a", "acct_p", true, false);
  store().put_endpoint(a);
  store().insert_events({make_event("evt_taken", "acct_c", 1)});
  RecordingHandoff handoff(int64_t{5'000});
  int batches = 0;
  {
    GroupCommitWriter writer(store(), [&] { ++batches; }, &handoff);
    EXPECT_THROW(writer.write(make_event("evt_taken", "acct_c", 2, {"we_a"}), {a}), StoreError);
  }
  EXPECT_EQ(batches, 0);
  EXPECT_EQ(handoff.reserved(), 1u);
  EXPECT_EQ(handoff.released(), 1u);
  EXPECT_TRUE(handoff.handed().empty());
}

}  // namespace
}  // namespace hookline::testing
