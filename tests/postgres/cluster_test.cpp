// Issue 11, shared work across nodes, above the store: two "nodes" (each its
// own PostgresStore on one private database, with its own dispatcher or
// idempotency keys) must behave as one.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <thread>

#include "api/api_error.hpp"
#include "api/http/idempotency.hpp"
#include "core/clock.hpp"
#include "delivery/dispatcher.hpp"
#include "postgres_server.hpp"
#include "store/postgres/pg_store.hpp"
#include "store/store_test_support.hpp"
#include "test_receiver.hpp"

namespace hookline::testing {
namespace {

using namespace std::chrono_literals;

class ClusterTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> open_node() {
    PostgresOptions options;
    options.conninfo = database_.conninfo();
    return open_postgres_store(options);
  }

  static bool eventually(const std::function<bool()>& condition,
                         std::chrono::milliseconds timeout = 60s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }

  TestDatabase database_;
  ManualClock clock_;
};

api::IdempotentRequest request(const std::string& key, const std::string& body) {
  return {"scope", key, api::request_fingerprint("POST", "/v1/accounts", false, body), "req_test"};
}

TEST_F(ClusterTest, AnIdempotencyKeyInUseOnOneNodeIsA409OnTheOtherThenReplayed) {
  std::unique_ptr<Store> store_a = open_node();
  std::unique_ptr<Store> store_b = open_node();
  api::IdempotencyKeys node_a(*store_a, clock_);
  api::IdempotencyKeys node_b(*store_b, clock_);

  // Node A's request runs until node B has tried the same key.
  std::promise<void> b_tried;
  auto first = std::async(std::launch::async, [&] {
    return node_a.run(request("k", "a=1"), [&] {
      b_tried.get_future().wait();
      return api::ApiResponse{200, R"({"id":"acct_1"})", {}};
    });
  });
  // B's attempt must come while A's runs: wait until A's reservation is in the store.
  ASSERT_TRUE(eventually([&] { return store_b->get_idempotent("scope", "k").has_value(); }));
  int b_runs = 0;
  try {
    node_b.run(request("k", "a=1"), [&] {
      ++b_runs;
      return api::ApiResponse{200, R"({"id":"acct_2"})", {}};
    });
    ADD_FAILURE() << "node B ran the request while node A was running it";
  } catch (const api::ApiError& error) {
    EXPECT_EQ(error.status(), 409);
    EXPECT_EQ(error.type(), "idempotency_error");
  }
  b_tried.set_value();
  EXPECT_EQ(first.get().body, R"({"id":"acct_1"})");
  EXPECT_EQ(b_runs, 0);

  // Afterwards node B replays node A's response.
  const api::ApiResponse replay = node_b.run(request("k", "a=1"), [&] {
    ++b_runs;
    return api::ApiResponse{200, R"({"id":"acct_2"})", {}};
  });
  EXPECT_EQ(b_runs, 0);
  EXPECT_EQ(replay.body, R"({"id":"acct_1"})");
  ASSERT_EQ(replay.headers.size(), 2u);
  EXPECT_EQ(replay.headers[0].first, "Idempotent-Replayed");
  EXPECT_EQ(replay.headers[1], (std::pair<std::string, std::string>{"Original-Request", "req_test"}));
}

TEST_F(ClusterTest, AKeyLeftByANodeThatDiedIsTakenOverAfterTheReservationWindow) {
  std::unique_ptr<Store> store_a = open_node();
  std::unique_ptr<Store> store_b = open_node();
  // Node A reserved the key and died before answering.
  ASSERT_TRUE(store_a->reserve_idempotent("scope", "k", request("k", "a=1").fingerprint,
                                          clock_.now_ms(), 0));
  api::IdempotencyKeys node_b(*store_b, clock_);
  const auto run = [&] {
    return node_b.run(request("k", "a=1"), [] { return api::ApiResponse{200, "ran", {}}; });
  };
  EXPECT_THROW(run(), api::ApiError);
  clock_.advance_ms(api::kIdempotencyReservationMs + 1);
  EXPECT_EQ(run().body, "ran");
}

// Two nodes drain one endpoint's backlog; each node alone may run as many
// attempts as the ceiling, but together they stay within it.
TEST_F(ClusterTest, TwoDispatchersKeepOneEndpointWithinTheCeiling) {
  constexpr std::size_t kCeiling = 2;
  constexpr int kDeliveries = 30;
  constexpr auto kReplyDelay = 150ms;
  TestReceiver receiver;
  receiver.script("/slow", Reply::delayed(200, kReplyDelay));

  std::unique_ptr<Store> store_a = open_node();
  std::unique_ptr<Store> store_b = open_node();
  store_a->put_account(make_account("acct_platform", AccountType::kPlatform));
  WebhookEndpoint endpoint = make_endpoint("we_slow", "acct_platform", false, false);
  endpoint.url = receiver.url("/slow");
  store_a->put_endpoint(endpoint);
  std::vector<NewEvent> backlog;
  for (int i = 0; i < kDeliveries; ++i) {
    backlog.push_back(make_event("evt_" + std::to_string(i), "acct_platform", 1, {"we_slow"},
                                 "payment_intent.succeeded", false, clock_.now_ms()));
  }
  store_a->insert_events(backlog);

  DispatcherOptions options;
  options.jitter = 0.0;
  options.attempt_timeout_ms = 10'000;
  options.private_targets.allow_test_endpoints = true;
  options.max_in_flight_per_endpoint = kCeiling;
  options.max_in_flight = 2 * kCeiling;  // room for more than the ceiling on each node
  Dispatcher node_a(*store_a, clock_, options);
  Dispatcher node_b(*store_b, clock_, options);
  node_a.start();
  node_b.start();
  ASSERT_TRUE(receiver.wait_for_requests("/slow", kDeliveries, 120s));
  ASSERT_TRUE(eventually([&] { return store_a->count_pending_deliveries() == 0; }));
  node_a.stop();
  node_b.stop();

  // An attempt holds its place until its answer, kReplyDelay after it
  // arrived: any kReplyDelay-long window that sees n arrivals saw n attempts
  // in flight together at its end.
  std::vector<std::chrono::steady_clock::time_point> arrivals;
  for (const ReceivedRequest& request : receiver.requests("/slow")) {
    arrivals.push_back(request.received_at);
  }
  std::sort(arrivals.begin(), arrivals.end());
  std::size_t most = 0;
  for (std::size_t i = 0; i < arrivals.size(); ++i) {
    std::size_t j = i;
    while (j < arrivals.size() && arrivals[j] < arrivals[i] + kReplyDelay) ++j;
    most = std::max(most, j - i);
  }
  EXPECT_LE(most, kCeiling);
  EXPECT_EQ(arrivals.size(), static_cast<std::size_t>(kDeliveries));
}

}  // namespace
}  // namespace hookline::testing
