// Issue 15: publishing keeps each account's routing (the account and its
// routing candidates) while the store says nothing changed. What must hold:
// an endpoint or account written after a publish (through the API of this
// node or, on PostgreSQL, of another node) is seen by the next publish.
// Every test runs on SQLite (one server per data dir: the writes go through
// the same store) and on PostgreSQL (the writes go through another node's store).
#include <gtest/gtest.h>

#include <memory>

#include "core/clock.hpp"
#include "events/event_publisher.hpp"
#include "events/routing_cache.hpp"
#include "store/group_commit.hpp"
#include "store/store_backends.hpp"

namespace hookline::testing {
namespace {

constexpr const char* kPlatform = "acct_platform";
constexpr const char* kConnected = "acct_connected";

class RoutingCacheTest : public BackendStoreTest {
 protected:
  RoutingCacheTest() {
    store().put_account(make_account(kPlatform, AccountType::kPlatform));
    store().put_account(make_account(kConnected, AccountType::kCustom));
    // Another node on the same database; on SQLite (one server per data
    // directory) every write goes through the server's own store.
    if (postgres()) other_ = open();
  }
  ~RoutingCacheTest() override {
    publisher_.reset();
    writer_.reset();
    other_.reset();
  }

  Store& writes() { return other_ ? *other_ : store(); }

  int publish(const std::string& account_id) {
    PublishRequest request;
    request.account_id = account_id;
    request.type = "payment_intent.succeeded";
    request.data_object = boost::json::object{{"id", "pi_1"}, {"object", "payment_intent"}};
    return publisher_->publish(request).pending_webhooks;
  }

  ManualClock clock_;
  std::unique_ptr<Store> other_;
  std::unique_ptr<GroupCommitWriter> writer_ = std::make_unique<GroupCommitWriter>(store());
  std::unique_ptr<EventPublisher> publisher_ =
      std::make_unique<EventPublisher>(store(), clock_, *writer_, kPlatform, "2026-10-28.endive");
};
HOOKLINE_STORE_BACKENDS(RoutingCacheTest);

TEST_P(RoutingCacheTest, AnEndpointCreatedAfterAPublishGetsTheNextEvent) {
  EXPECT_EQ(publish(kPlatform), 0);
  EXPECT_EQ(publish(kConnected), 0);
  writes().put_endpoint(make_endpoint("we_account", kPlatform, false, false));
  EXPECT_EQ(publish(kPlatform), 1);
  writes().put_endpoint(make_endpoint("we_connect", kPlatform, true, false));
  EXPECT_EQ(publish(kConnected), 1);
  EXPECT_EQ(publish(kPlatform), 1);
}

TEST_P(RoutingCacheTest, ADisabledOrDeletedEndpointGetsNoMoreEvents) {
  WebhookEndpoint endpoint = make_endpoint("we_account", kPlatform, false, false);
  writes().put_endpoint(endpoint);
  writes().put_endpoint(make_endpoint("we_other", kPlatform, false, false));
  EXPECT_EQ(publish(kPlatform), 2);
  endpoint.status = EndpointStatus::kDisabled;
  writes().put_endpoint(endpoint);
  EXPECT_EQ(publish(kPlatform), 1);
  ASSERT_TRUE(writes().delete_endpoint("we_other"));
  EXPECT_EQ(publish(kPlatform), 0);
}

TEST_P(RoutingCacheTest, AnAccountChangeIsSeenByTheNextPublish) {
  EXPECT_EQ(publish(kConnected), 0);
  Account account = make_account(kConnected, AccountType::kCustom);
  account.deauthorized = true;
  writes().put_account(account);
  EXPECT_THROW(publish(kConnected), PublishError);
  ASSERT_TRUE(writes().delete_account(kConnected));
  EXPECT_THROW(publish(kConnected), PublishError);
  writes().put_account(make_account("acct_new", AccountType::kCustom));
  EXPECT_EQ(publish("acct_new"), 0);
}

// The cache pays only if publishing itself does not invalidate it. On
// PostgreSQL the generation is the database's (issue 15, h16g): another node's
// write moves it for this node, and an outcome batch's failing_since_ms (no
// routing in it) does not.
TEST_P(RoutingCacheTest, EventWritesKeepTheGenerationEndpointWritesMoveIt) {
  const std::optional<uint64_t> before = store().routing_generation();
  ASSERT_TRUE(before);
  publish(kPlatform);
  publish(kConnected);
  EXPECT_EQ(store().routing_generation(), before);
  writes().put_endpoint(make_endpoint("we_account", kPlatform, false, false));
  const std::optional<uint64_t> after = store().routing_generation();
  ASSERT_TRUE(after);
  EXPECT_GT(*after, *before);
  if (!postgres()) return;
  WebhookEndpoint described = make_endpoint("we_account", kPlatform, false, false);
  described.description = "any column of a put";
  writes().put_endpoint(described);
  const std::optional<uint64_t> put = store().routing_generation();
  ASSERT_TRUE(put);
  EXPECT_GT(*put, *after);
  // A failed attempt recorded on the other node sets failing_since_ms only.
  constexpr int64_t kNow = 1'000'000;
  writes().insert_events({make_event("evt_1", kPlatform, 1000, {"we_account"})});
  const std::vector<DueDelivery> due = writes().claim_due(kNow, kNow + 60'000, 10);
  ASSERT_EQ(due.size(), 1U);
  DeliveryOutcome outcome;
  outcome.delivery_id = due[0].delivery.id;
  outcome.event_id = due[0].delivery.event_id;
  outcome.endpoint_id = due[0].delivery.endpoint_id;
  Attempt attempt;
  attempt.at_ms = kNow;
  attempt.http_status = 500;
  outcome.attempt = attempt;
  outcome.next_attempt_ms = kNow + 1000;
  writes().record_outcomes({outcome}, kNow, 3 * 86'400'000LL);
  ASSERT_GT(writes().get_endpoint("we_account")->failing_since_ms, 0);
  EXPECT_EQ(store().routing_generation(), put);
  ASSERT_TRUE(writes().delete_endpoint("we_account"));
  EXPECT_GT(*store().routing_generation(), *put);
}

TEST_P(RoutingCacheTest, TheCacheAnswersWhatTheStoreHolds) {
  RoutingCache cache(store());
  EXPECT_EQ(cache.get("acct_missing"), nullptr);
  std::shared_ptr<const AccountRouting> first = cache.get(kPlatform);
  ASSERT_NE(first, nullptr);
  EXPECT_TRUE(first->candidates.empty());
  store().put_endpoint(make_endpoint("we_account", kPlatform, false, false));
  std::shared_ptr<const AccountRouting> second = cache.get(kPlatform);
  ASSERT_NE(second, nullptr);
  ASSERT_EQ(second->candidates.size(), 1U);
  EXPECT_EQ(second->candidates[0].id, "we_account");
  EXPECT_EQ(cache.get(kPlatform), second) << "kept while nothing changed";
}

}  // namespace
}  // namespace hookline::testing
