// Settings, accounts, endpoints, objects and idempotency keys: write, read,
// list, delete, and everything still there after the store is reopened.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "store_backends.hpp"

namespace hookline::testing {
namespace {

class StoreCrudTest : public BackendStoreTest {};
HOOKLINE_STORE_BACKENDS(StoreCrudTest);

TEST_P(StoreCrudTest, SettingsRoundTripAndOverwrite) {
  EXPECT_FALSE(store().get_setting("platform_account_id"));
  store().put_setting("platform_account_id", "acct_platform");
  EXPECT_EQ(store().get_setting("platform_account_id"), "acct_platform");
  store().put_setting("platform_account_id", "acct_other");
  EXPECT_EQ(store().get_setting("platform_account_id"), "acct_other");
}

// Issue 10 (readiness): /readyz asks the store for a read and a durable write.
TEST_P(StoreCrudTest, Issue10ReadinessProbeReadsAndCommits) {
  store().probe();
  store().probe();
  EXPECT_EQ(store().get_setting("readiness_probe"), "2");
}

TEST_P(StoreCrudTest, AccountRoundTripKeepsEveryField) {
  Account account = make_account("acct_1", AccountType::kStandard, 1234);
  account.platform_controls = true;
  account.connected_live = false;
  account.connected_test = true;
  account.deauthorized = true;
  store().put_account(account);

  const std::optional<Account> read = store().get_account("acct_1");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->type, AccountType::kStandard);
  EXPECT_TRUE(read->platform_controls);
  EXPECT_FALSE(read->connected_live);
  EXPECT_TRUE(read->connected_test);
  EXPECT_TRUE(read->deauthorized);
  EXPECT_EQ(read->created, 1234);
  EXPECT_EQ(read->object_json, account.object_json);
  EXPECT_FALSE(store().get_account("acct_missing"));
}

TEST_P(StoreCrudTest, PutAccountReplacesWithoutMovingItInLists) {
  store().put_account(make_account("acct_a", AccountType::kCustom, 100));
  store().put_account(make_account("acct_b", AccountType::kCustom, 100));
  Account updated = make_account("acct_a", AccountType::kExpress, 100);
  updated.deauthorized = true;
  store().put_account(updated);

  EXPECT_EQ(store().get_account("acct_a")->type, AccountType::kExpress);
  EXPECT_TRUE(store().get_account("acct_a")->deauthorized);
  // Same created: insertion order decides, and an update keeps its place.
  EXPECT_EQ(ids_of(store().list_accounts({})), (std::vector<std::string>{"acct_b", "acct_a"}));
}

TEST_P(StoreCrudTest, ListAccountsLeavesOutThePlatform) {
  store().put_account(make_account("acct_platform", AccountType::kPlatform, 1));
  store().put_account(make_account("acct_c1", AccountType::kCustom, 2));
  store().put_account(make_account("acct_c2", AccountType::kStandard, 3));
  EXPECT_EQ(ids_of(store().list_accounts({})), (std::vector<std::string>{"acct_c2", "acct_c1"}));
}

TEST_P(StoreCrudTest, DeleteAccount) {
  store().put_account(make_account("acct_1", AccountType::kCustom));
  EXPECT_TRUE(store().delete_account("acct_1"));
  EXPECT_FALSE(store().get_account("acct_1"));
  EXPECT_FALSE(store().delete_account("acct_1"));
}

TEST_P(StoreCrudTest, EndpointRoundTripKeepsEveryField) {
  WebhookEndpoint endpoint = make_endpoint("we_1", "acct_platform", true, true, 555);
  endpoint.enabled_events = {"payment_intent.succeeded", "charge.failed"};
  endpoint.status = EndpointStatus::kDisabled;
  endpoint.listen_session = true;
  endpoint.description = "a \"quoted\" description";
  endpoint.metadata_json = R"({"order":"42"})";
  endpoint.secrets = {{"whsec_new", 0}, {"whsec_old", 1'700'000'000'000}};
  endpoint.failing_since_ms = 99;
  store().put_endpoint(endpoint);

  const std::optional<WebhookEndpoint> read = store().get_endpoint("we_1");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->account_id, "acct_platform");
  EXPECT_TRUE(read->connect);
  EXPECT_TRUE(read->livemode);
  EXPECT_EQ(read->url, endpoint.url);
  EXPECT_EQ(read->enabled_events, endpoint.enabled_events);
  EXPECT_EQ(read->status, EndpointStatus::kDisabled);
  EXPECT_TRUE(read->listen_session);
  EXPECT_EQ(read->api_version, endpoint.api_version);
  EXPECT_EQ(read->description, endpoint.description);
  EXPECT_EQ(read->metadata_json, endpoint.metadata_json);
  ASSERT_EQ(read->secrets.size(), 2u);
  EXPECT_EQ(read->secrets[1].secret, "whsec_old");
  EXPECT_EQ(read->secrets[1].expires_at_ms, 1'700'000'000'000);
  EXPECT_EQ(read->created, 555);
  EXPECT_EQ(read->failing_since_ms, 99);
}

TEST_P(StoreCrudTest, ListEndpointsByOwnerAndModeWithoutListenSessions) {
  store().put_endpoint(make_endpoint("we_test", "acct_p", false, false, 1));
  store().put_endpoint(make_endpoint("we_live", "acct_p", false, true, 2));
  store().put_endpoint(make_endpoint("we_connect", "acct_p", true, false, 3));
  store().put_endpoint(make_endpoint("we_other", "acct_other", false, false, 4));
  WebhookEndpoint listen = make_endpoint("we_listen", "acct_p", true, false, 5);
  listen.listen_session = true;
  store().put_endpoint(listen);

  EXPECT_EQ(ids_of(store().list_endpoints("acct_p", std::nullopt, {})),
            (std::vector<std::string>{"we_connect", "we_live", "we_test"}));
  EXPECT_EQ(ids_of(store().list_endpoints("acct_p", false, {})),
            (std::vector<std::string>{"we_connect", "we_test"}));
  EXPECT_EQ(ids_of(store().list_endpoints("acct_p", true, {})),
            (std::vector<std::string>{"we_live"}));
}

TEST_P(StoreCrudTest, RoutingCandidatesAreOwnEndpointsAndEveryConnectEndpoint) {
  store().put_endpoint(make_endpoint("we_own", "acct_c", false, false));
  store().put_endpoint(make_endpoint("we_platform", "acct_p", false, false));
  store().put_endpoint(make_endpoint("we_connect", "acct_p", true, true));
  WebhookEndpoint listen = make_endpoint("we_listen", "acct_p", true, false);
  listen.listen_session = true;
  store().put_endpoint(listen);
  store().put_endpoint(make_endpoint("we_elsewhere", "acct_d", false, false));

  std::vector<std::string> ids;
  for (const WebhookEndpoint& endpoint : store().routing_candidates("acct_c")) {
    ids.push_back(endpoint.id);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"we_own", "we_connect", "we_listen"}));
}

TEST_P(StoreCrudTest, DeleteEndpoint) {
  store().put_endpoint(make_endpoint("we_1", "acct_p", false, false));
  EXPECT_TRUE(store().delete_endpoint("we_1"));
  EXPECT_FALSE(store().get_endpoint("we_1"));
  EXPECT_FALSE(store().delete_endpoint("we_1"));
}

TEST_P(StoreCrudTest, ObjectsKeepTheLatestStatePerId) {
  NewEvent created = make_event("evt_1", "acct_c", 10);
  created.object_type = "payment_intent";
  created.object_id = "pi_1";
  created.object_json = R"({"id":"pi_1","status":"processing"})";
  NewEvent succeeded = make_event("evt_2", "acct_c", 11);
  succeeded.object_type = "payment_intent";
  succeeded.object_id = "pi_1";
  succeeded.object_json = R"({"id":"pi_1","status":"succeeded"})";
  store().insert_events({created});
  store().insert_events({succeeded});

  const std::optional<StoredObject> object = store().get_object("pi_1");
  ASSERT_TRUE(object);
  EXPECT_EQ(object->account_id, "acct_c");
  EXPECT_FALSE(object->livemode);
  EXPECT_EQ(object->object_type, "payment_intent");
  EXPECT_EQ(object->json, succeeded.object_json);
  EXPECT_FALSE(store().get_object("pi_missing"));
}

TEST_P(StoreCrudTest, IdempotencyKeyIsWrittenOnceAndScoped) {
  EXPECT_FALSE(store().get_idempotent("acct_p", "key-1"));
  EXPECT_TRUE(store().put_idempotent("acct_p", "key-1", {"POST /v1/x a=1", 200, "{}", 5}));
  EXPECT_FALSE(store().put_idempotent("acct_p", "key-1", {"POST /v1/x a=2", 400, "{!}", 6}));
  const auto stored = store().get_idempotent("acct_p", "key-1");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->request_hash, "POST /v1/x a=1");
  EXPECT_EQ(stored->status, 200);
  EXPECT_EQ(stored->body, "{}");
  EXPECT_EQ(stored->created_ms, 5);
  EXPECT_FALSE(store().get_idempotent("acct_other", "key-1"));
}

TEST_P(StoreCrudTest, IdempotencyPutRaceHasExactlyOneWinner) {
  constexpr int kThreads = 8;
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      if (store().put_idempotent("acct_p", "raced", {"hash", 200 + i, "body", 1})) ++winners;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(winners.load(), 1);
  const int status = store().get_idempotent("acct_p", "raced")->status;
  EXPECT_GE(status, 200);
  EXPECT_LT(status, 200 + kThreads);
}

TEST_P(StoreCrudTest, EverythingSurvivesCloseAndReopen) {
  store().put_setting("name", "value");
  store().put_account(make_account("acct_c", AccountType::kCustom));
  store().put_endpoint(make_endpoint("we_1", "acct_p", true, false));
  NewEvent event = make_event("evt_1", "acct_c", 10, {"we_1"});
  event.event.body = "{\"exact\":  \"bytes\",\n \"kept\": true}";
  store().insert_events({event});
  store().put_idempotent("acct_p", "key", {"h", 200, "b", 1});

  reopen();

  EXPECT_EQ(store().get_setting("name"), "value");
  EXPECT_TRUE(store().get_account("acct_c"));
  EXPECT_TRUE(store().get_endpoint("we_1"));
  const std::optional<StoredEvent> read = store().get_event("evt_1");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->body, event.event.body);
  EXPECT_EQ(read->pending_webhooks, 1);
  EXPECT_EQ(store().list_deliveries("evt_1").size(), 1u);
  EXPECT_TRUE(store().get_idempotent("acct_p", "key"));
}

}  // namespace
}  // namespace hookline::testing
