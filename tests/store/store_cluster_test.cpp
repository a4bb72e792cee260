// Issue 11, shared work across nodes: what several stores on one database
// (several nodes) must agree on. Each test opens a second store on the same
// data (open()), as a second node would; on SQLite, where one node is all
// there is, the same calls keep their one-node meaning.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "core/clock.hpp"
#include "store/cluster_job.hpp"
#include "store/platform_identity.hpp"
#include "store_backends.hpp"

namespace hookline::testing {
namespace {

constexpr int64_t kNow = 1'767'225'600'000;
constexpr int64_t kLease = 60'000;

class StoreClusterTest : public BackendStoreTest {
 protected:
  // `count` deliveries to `endpoint_id`, due at kNow.
  void add_backlog(const std::string& endpoint_id, int count) {
    std::vector<NewEvent> batch;
    for (int i = 0; i < count; ++i) {
      batch.push_back(make_event("evt_" + std::to_string(++events_), "acct_c", 1, {endpoint_id},
                                 "charge.failed", false, kNow - count + i));
    }
    store().insert_events(batch);
  }
  int events_ = 0;

  static DeliveryOutcome failed(const DueDelivery& due, int64_t at_ms) {
    DeliveryOutcome out;
    out.delivery_id = due.delivery.id;
    out.event_id = due.delivery.event_id;
    out.endpoint_id = due.delivery.endpoint_id;
    Attempt attempt;
    attempt.at_ms = at_ms;
    attempt.http_status = 500;
    out.attempt = attempt;
    out.new_state = DeliveryState::kPending;
    out.next_attempt_ms = at_ms + 3'600'000;
    return out;
  }
};
HOOKLINE_STORE_BACKENDS(StoreClusterTest);

TEST_P(StoreClusterTest, PutSettingIfAbsentKeepsTheFirstValue) {
  EXPECT_EQ(store().put_setting_if_absent("k", "first"), "first");
  EXPECT_EQ(store().put_setting_if_absent("k", "second"), "first");
  EXPECT_EQ(store().get_setting("k"), "first");
  store().put_setting("k", "replaced");
  EXPECT_EQ(store().put_setting_if_absent("k", "third"), "replaced");
}

TEST_P(StoreClusterTest, PutSettingIfAbsentRaceKeepsOneValueForEveryone) {
  constexpr int kNodes = 6;
  std::vector<std::unique_ptr<Store>> nodes;
  for (int i = 0; i < kNodes; ++i) nodes.push_back(open());
  std::vector<std::string> kept(kNodes);
  std::vector<std::thread> threads;
  for (int i = 0; i < kNodes; ++i) {
    threads.emplace_back(
        [&, i] { kept[i] = nodes[i]->put_setting_if_absent("raced", "v" + std::to_string(i)); });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(std::set<std::string>(kept.begin(), kept.end()).size(), 1u);
  EXPECT_EQ(store().get_setting("raced"), kept[0]);
}

TEST_P(StoreClusterTest, NodesStartingTogetherMakeOnePlatformIdentity) {
  constexpr int kNodes = 6;
  std::vector<std::unique_ptr<Store>> nodes;
  for (int i = 0; i < kNodes; ++i) nodes.push_back(open());
  ManualClock clock(kNow);
  std::vector<PlatformIdentity> identities(kNodes);
  std::vector<std::thread> threads;
  for (int i = 0; i < kNodes; ++i) {
    threads.emplace_back(
        [&, i] { identities[i] = load_platform_identity(*nodes[i], clock, "", ""); });
  }
  for (std::thread& thread : threads) thread.join();
  int generated_test = 0, generated_live = 0;
  for (const PlatformIdentity& identity : identities) {
    EXPECT_EQ(identity.account_id, identities[0].account_id);
    EXPECT_EQ(identity.test_secret_key, identities[0].test_secret_key);
    EXPECT_EQ(identity.live_secret_key, identities[0].live_secret_key);
    generated_test += identity.generated_test_key ? 1 : 0;
    generated_live += identity.generated_live_key ? 1 : 0;
  }
  EXPECT_EQ(generated_test, 1);  // printed by one node only
  EXPECT_EQ(generated_live, 1);
  const std::optional<Account> platform = store().get_account(identities[0].account_id);
  ASSERT_TRUE(platform);
  EXPECT_TRUE(platform->is_platform());
  // The losers' platform accounts are gone; a later start finds the same identity.
  const PlatformIdentity again = load_platform_identity(store(), clock, "", "");
  EXPECT_EQ(again.account_id, identities[0].account_id);
  EXPECT_EQ(again.test_secret_key, identities[0].test_secret_key);
  EXPECT_FALSE(again.generated_test_key);
}

TEST_P(StoreClusterTest, IdempotencyReservationAcrossStores) {
  std::unique_ptr<Store> other = open();
  EXPECT_TRUE(store().reserve_idempotent("s", "k", "h1", 1'000, 0));
  // Another node: the key is taken while the first request runs.
  EXPECT_FALSE(other->reserve_idempotent("s", "k", "h1", 1'500, 500));
  const std::optional<IdempotentResponse> reserved = other->get_idempotent("s", "k");
  ASSERT_TRUE(reserved);
  EXPECT_EQ(reserved->status, 0);
  EXPECT_EQ(reserved->request_hash, "h1");
  // The first request's response takes the reservation's place; later
  // reservations see it.
  EXPECT_TRUE(store().put_idempotent("s", "k", {"h1", 200, "body", 2'000}));
  EXPECT_FALSE(other->reserve_idempotent("s", "k", "h1", 3'000, 2'500));
  EXPECT_EQ(other->get_idempotent("s", "k")->status, 200);
  EXPECT_FALSE(other->put_idempotent("s", "k", {"h1", 201, "other", 3'000}));
  store().release_idempotent("s", "k");  // a kept response stays
  EXPECT_EQ(other->get_idempotent("s", "k")->body, "body");
}

TEST_P(StoreClusterTest, IdempotencyReservationIsReleasedOrTakenOverWhenStale) {
  std::unique_ptr<Store> other = open();
  EXPECT_TRUE(store().reserve_idempotent("s", "released", "h", 1'000, 0));
  store().release_idempotent("s", "released");
  EXPECT_FALSE(other->get_idempotent("s", "released"));
  EXPECT_TRUE(other->reserve_idempotent("s", "released", "h", 1'100, 0));

  // A node died holding "stale" (reserved at 1'000): taken over once older than the cutoff.
  EXPECT_TRUE(store().reserve_idempotent("s", "stale", "h", 1'000, 0));
  EXPECT_FALSE(other->reserve_idempotent("s", "stale", "h2", 5'000, 1'000));
  EXPECT_TRUE(other->reserve_idempotent("s", "stale", "h2", 5'000, 1'001));
  EXPECT_EQ(store().get_idempotent("s", "stale")->request_hash, "h2");
}

TEST_P(StoreClusterTest, AutoDisableIsReportedByOneStoreOnly) {
  constexpr int kNodes = 4;
  store().put_endpoint(make_endpoint("we_failing", "acct_p", true, false));
  add_backlog("we_failing", kNodes * 3);
  // Failing since long ago: the next failure recorded disables it.
  std::optional<WebhookEndpoint> endpoint = store().get_endpoint("we_failing");
  endpoint->failing_since_ms = kNow - 10'000;
  store().put_endpoint(*endpoint);

  std::vector<std::unique_ptr<Store>> nodes;
  std::vector<std::vector<DueDelivery>> claimed;
  for (int i = 0; i < kNodes; ++i) {
    nodes.push_back(open());
    claimed.push_back(nodes.back()->claim_due(kNow, kNow + kLease, 3));
    ASSERT_EQ(claimed.back().size(), 3u);
  }
  std::mutex mutex;
  std::vector<std::string> disabled;
  std::vector<std::thread> threads;
  for (int i = 0; i < kNodes; ++i) {
    threads.emplace_back([&, i] {
      std::vector<DeliveryOutcome> outcomes;
      for (const DueDelivery& due : claimed[i]) outcomes.push_back(failed(due, kNow + 1));
      const std::vector<std::string> ids = nodes[i]->record_outcomes(outcomes, kNow + 1, 1'000);
      std::lock_guard lock(mutex);
      disabled.insert(disabled.end(), ids.begin(), ids.end());
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(disabled, std::vector<std::string>{"we_failing"});
  EXPECT_EQ(store().get_endpoint("we_failing")->status, EndpointStatus::kDisabled);
}

TEST_P(StoreClusterTest, ClusterJobRunsOncePerInterval) {
  std::unique_ptr<Store> other = open();
  int runs = 0;
  const auto work = [&] { ++runs; };
  EXPECT_TRUE(run_cluster_job(store(), "retention", kNow, 1'000, work));
  EXPECT_FALSE(run_cluster_job(*other, "retention", kNow + 999, 1'000, work));
  EXPECT_TRUE(run_cluster_job(*other, "other-job", kNow + 999, 1'000, work));
  EXPECT_TRUE(run_cluster_job(*other, "retention", kNow + 1'000, 1'000, work));
  EXPECT_EQ(runs, 3);
  // A pass that fails is not noted: the next node tries again.
  EXPECT_THROW(
      run_cluster_job(store(), "failing", kNow, 1'000, [] { throw StoreError("prune failed"); }),
      StoreError);
  EXPECT_TRUE(run_cluster_job(*other, "failing", kNow, 1'000, work));
}

// --- several nodes only (PostgreSQL)

TEST_P(StoreClusterTest, ConcurrentNodesRunAJobOnce) {
  if (!postgres()) GTEST_SKIP() << "one node: nothing runs concurrently";
  constexpr int kNodes = 4;
  std::vector<std::unique_ptr<Store>> nodes;
  for (int i = 0; i < kNodes; ++i) nodes.push_back(open());
  // The first node in holds the job until every other one has tried.
  std::atomic<int> tried{0};
  std::atomic<int> runs{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kNodes; ++i) {
    threads.emplace_back([&, i] {
      const bool ran = run_cluster_job(*nodes[i], "retention", kNow, 3'600'000, [&] {
        ++runs;
        while (tried.load() < kNodes - 1) std::this_thread::yield();
      });
      if (!ran) ++tried;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(tried.load(), kNodes - 1);
}

TEST_P(StoreClusterTest, JobLockIsHeldByOneStoreAtATime) {
  std::unique_ptr<Store> other = open();
  std::unique_ptr<Store::JobLock> held = store().try_lock_job("retention");
  ASSERT_TRUE(held);
  if (postgres()) {
    EXPECT_FALSE(other->try_lock_job("retention"));
    EXPECT_TRUE(other->try_lock_job("another"));
    held.reset();
  }
  EXPECT_TRUE(other->try_lock_job("retention"));
}

TEST_P(StoreClusterTest, ListenDeliveriesAreClaimedByTheHoldingNodeOnly) {
  if (!postgres()) GTEST_SKIP() << "one node holds every session";
  WebhookEndpoint listen = make_endpoint("we_listen", "acct_p", false, false);
  listen.listen_session = true;
  store().put_endpoint(listen);
  store().put_endpoint(make_endpoint("we_http", "acct_p", false, false));
  std::unique_ptr<Store> holder = open();
  holder->hold_listen_endpoints({"we_listen"});
  add_backlog("we_listen", 2);
  add_backlog("we_http", 1);

  // Another node sees (and claims) only the HTTP delivery.
  std::vector<DueDelivery> elsewhere = store().claim_due(kNow, kNow + kLease, 10);
  ASSERT_EQ(elsewhere.size(), 1u);
  EXPECT_EQ(elsewhere[0].delivery.endpoint_id, "we_http");
  // Nothing else is due for it (its dispatcher does not spin): only the lease it holds.
  EXPECT_EQ(store().next_due_ms(), kNow + kLease);
  // The holder claims the session's deliveries.
  EXPECT_EQ(holder->next_due_ms(), kNow - 2);
  EXPECT_EQ(holder->claim_due(kNow, kNow + kLease, 10).size(), 2u);

  // Released (the session closed): anyone claims them.
  add_backlog("we_listen", 1);
  holder->release_listen_endpoints({"we_listen"});
  EXPECT_EQ(store().claim_due(kNow, kNow + kLease, 10).size(), 1u);
}

TEST_P(StoreClusterTest, ADeadHoldersListenDeliveriesAreNotStuck) {
  if (!postgres()) GTEST_SKIP() << "one node holds every session";
  WebhookEndpoint listen = make_endpoint("we_listen", "acct_p", false, false);
  listen.listen_session = true;
  store().put_endpoint(listen);
  std::unique_ptr<Store> holder = open();
  holder->hold_listen_endpoints({"we_listen"});
  add_backlog("we_listen", 1);
  EXPECT_TRUE(store().claim_due(kNow, kNow + kLease, 10).empty());
  // The holder stopped renewing (its process died): its hold runs out.
  holder.reset();
  shared_postgres().admin("UPDATE listen_holders SET alive_until_ms = 0", database_->name());
  EXPECT_EQ(store().claim_due(kNow, kNow + kLease, 10).size(), 1u);
}

TEST_P(StoreClusterTest, ClaimsKeepAnEndpointWithinTheCeilingAcrossNodes) {
  if (!postgres()) GTEST_SKIP() << "one node: its dispatcher limits itself";
  store().put_endpoint(make_endpoint("we_slow", "acct_p", true, false));
  store().put_endpoint(make_endpoint("we_other", "acct_p", true, false));
  add_backlog("we_slow", 20);
  add_backlog("we_other", 2);
  std::unique_ptr<Store> node_b = open();

  std::vector<DueDelivery> a = store().claim_due(kNow, kNow + kLease, 100, 3);
  std::multiset<std::string> endpoints;
  for (const DueDelivery& due : a) endpoints.insert(due.delivery.endpoint_id);
  EXPECT_EQ(endpoints.count("we_slow"), 3u);
  EXPECT_EQ(endpoints.count("we_other"), 2u);
  // Node B: we_slow has 3 leased elsewhere, so none for it.
  EXPECT_TRUE(node_b->claim_due(kNow, kNow + kLease, 100, 3).empty());
  // One outcome recorded frees one place.
  ASSERT_EQ(a[0].delivery.endpoint_id, "we_slow");  // the oldest due
  node_b->record_outcomes({failed(a[0], kNow)}, kNow, 1'000'000'000);
  EXPECT_EQ(node_b->claim_due(kNow, kNow + kLease, 100, 3).size(), 1u);
  // Leases that ran out (a node died) free their places.
  std::size_t slow = 0;
  for (const DueDelivery& due : node_b->claim_due(kNow + kLease + 1, kNow + 2 * kLease, 100, 3)) {
    if (due.delivery.endpoint_id == "we_slow") ++slow;
  }
  EXPECT_EQ(slow, 3u);
}

TEST_P(StoreClusterTest, ConcurrentClaimersNeverLeaseMoreThanTheCeiling) {
  if (!postgres()) GTEST_SKIP() << "one node: its dispatcher limits itself";
  constexpr int kNodes = 4;
  constexpr std::size_t kCeiling = 5;
  store().put_endpoint(make_endpoint("we_hot", "acct_p", true, false));
  add_backlog("we_hot", 200);
  std::vector<std::unique_ptr<Store>> nodes;
  for (int i = 0; i < kNodes; ++i) nodes.push_back(open());
  std::atomic<std::size_t> claimed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kNodes; ++i) {
    threads.emplace_back([&, i] {
      for (int round = 0; round < 20; ++round) {
        claimed += nodes[i]->claim_due(kNow, kNow + kLease, 2, kCeiling).size();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(claimed.load(), kCeiling);
}

TEST_P(StoreClusterTest, PendingGaugeIsCountedAtMostOncePerMaxAge) {
  if (!postgres()) GTEST_SKIP() << "SQLite keeps the figure in memory";
  store().put_endpoint(make_endpoint("we_a", "acct_p", true, false));
  PostgresOptions options;
  options.conninfo = database_->conninfo();
  options.pending_gauge_max_age_ms = 3'600'000;
  std::unique_ptr<Store> cached = open_postgres_store(options);
  options.pending_gauge_max_age_ms = 0;
  std::unique_ptr<Store> fresh = open_postgres_store(options);
  EXPECT_EQ(cached->pending_deliveries_gauge(), 0);
  add_backlog("we_a", 2);
  EXPECT_EQ(cached->pending_deliveries_gauge(), 0);  // the last count, not a query
  EXPECT_EQ(cached->count_pending_deliveries(), 2);  // the exact figure still counts
  EXPECT_EQ(fresh->pending_deliveries_gauge(), 2);
}

}  // namespace
}  // namespace hookline::testing
