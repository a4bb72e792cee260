// GroupCommitWriter: every caller's event is committed exactly once, callers
// return only after their commit, and a failed batch fails all of its callers.
#include "store/group_commit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "store_test_support.hpp"

namespace hookline::testing {
namespace {

using GroupCommitTest = StoreTest;

TEST_F(GroupCommitTest, ConcurrentWritersAllCommittedNoneDuplicated) {
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

TEST_F(GroupCommitTest, AFailedBatchThrowsToItsCallersAndWritesNothingOfIt) {
  store().insert_events({make_event("evt_taken", "acct_c", 1)});
  GroupCommitWriter writer(store());
  EXPECT_THROW(writer.write(make_event("evt_taken", "acct_c", 2)), StoreError);
  EXPECT_EQ(store().get_event("evt_taken")->created, 1);
  // The writer goes on with the next batches.
  writer.write(make_event("evt_next", "acct_c", 3));
  EXPECT_TRUE(store().get_event("evt_next"));
}

TEST_F(GroupCommitTest, EveryCallerOfAFailedBatchGetsTheError) {
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

}  // namespace
}  // namespace hookline::testing
