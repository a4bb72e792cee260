// Concurrent claimers (threads here; nodes in production) never hold the same
// delivery at once: every due delivery is claimed exactly once while its
// lease holds.
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "store_backends.hpp"

namespace hookline::testing {
namespace {

class StoreClaimRaceTest : public BackendStoreTest {};
HOOKLINE_STORE_BACKENDS(StoreClaimRaceTest);

TEST_P(StoreClaimRaceTest, ConcurrentClaimersTakeDisjointDeliveries) {
  constexpr int64_t kNow = 1'767'225'600'000;
  constexpr int kEvents = 400;
  constexpr int kClaimers = 4;
  store().put_endpoint(make_endpoint("we_a", "acct_p", true, false));
  std::vector<NewEvent> batch;
  for (int i = 0; i < kEvents; ++i) {
    batch.push_back(make_event("evt_" + std::to_string(i), "acct_c", 1, {"we_a"},
                               "charge.failed", false, kNow - kEvents + i));
  }
  store().insert_events(batch);

  // Each claimer has a store of its own, as a second node would.
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < kClaimers; ++i) stores.push_back(open());
  std::mutex mutex;
  std::multiset<int64_t> claimed;
  std::vector<std::thread> threads;
  for (int i = 0; i < kClaimers; ++i) {
    threads.emplace_back([&, i] {
      for (;;) {
        const std::vector<DueDelivery> due = stores[i]->claim_due(kNow, kNow + 60'000, 7);
        if (due.empty()) return;
        std::lock_guard lock(mutex);
        for (const DueDelivery& item : due) claimed.insert(item.delivery.id);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kEvents));
  EXPECT_EQ(std::set<int64_t>(claimed.begin(), claimed.end()).size(),
            static_cast<std::size_t>(kEvents));
  EXPECT_TRUE(store().claim_due(kNow, kNow + 60'000, 100).empty());
}

}  // namespace
}  // namespace hookline::testing
