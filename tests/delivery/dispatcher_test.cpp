// The dispatcher, one attempt at a time: what an answer (or its absence) does
// to a delivery, and what goes over the wire.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "dispatcher_fixture.hpp"

namespace hookline::testing {
namespace {

using namespace std::chrono_literals;

TEST_F(DispatcherTest, A2xxSucceedsAndPendingWebhooksReachesZero) {
  add_endpoint("we_a", receiver_.url("/a"), false);
  add_endpoint("we_b", receiver_.url("/b"), false);
  receiver_.script("/b", Reply::with_status(204, ""));
  const std::string event = publish({"we_a", "we_b"});
  ASSERT_EQ(store_->get_event(event)->pending_webhooks, 2);
  start();
  ASSERT_TRUE(eventually([&] { return store_->get_event(event)->pending_webhooks == 0; }));
  EXPECT_EQ(delivery_of(event, "we_a").state, DeliveryState::kSucceeded);
  EXPECT_EQ(delivery_of(event, "we_b").state, DeliveryState::kSucceeded);
  EXPECT_EQ(delivery_of(event, "we_a").last_http_status, 200);
  EXPECT_EQ(receiver_.request_count("/a"), 1u);
  EXPECT_EQ(receiver_.request_count("/b"), 1u);
  EXPECT_EQ(store_->count_pending_deliveries(), 0);

  const std::vector<Attempt> attempts = attempts_of(event);
  ASSERT_EQ(attempts.size(), 2u);
  for (const Attempt& attempt : attempts) {
    EXPECT_TRUE(attempt.success);
    EXPECT_EQ(attempt.at_ms, clock_.now_ms());
    EXPECT_GT(attempt.latency_us, 0);
    EXPECT_EQ(attempt.error, "");
  }
  EXPECT_EQ(metrics_.attempts(), 2u);
}

TEST_F(DispatcherTest, TheRequestCarriesTheExactBodyAndAVerifiableSignature) {
  const WebhookEndpoint endpoint = add_endpoint("we_a", receiver_.url("/hook"), false);
  const std::string event = publish({"we_a"});
  start();
  ASSERT_TRUE(receiver_.wait_for_requests("/hook", 1));
  const ReceivedRequest request = receiver_.requests("/hook")[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.body, store_->get_event(event)->body);
  EXPECT_EQ(request.header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(request.header("User-Agent"), options_.user_agent);
  EXPECT_EQ(request.header("Expect"), "");
  const std::string signature = request.header("Stripe-Signature");
  EXPECT_EQ(timestamp_of(signature), clock_.now_seconds());
  EXPECT_NE(signature.find(",v0="), std::string::npos) << "test events carry a fake v0";
  std::string why;
  EXPECT_EQ(construct_event_id(request.body, signature, endpoint.secrets[0].secret,
                               clock_.now_ms(), &why),
            event)
      << why;
  EXPECT_EQ(construct_event_id(request.body, signature, "whsec_other", clock_.now_ms()), "");
}

// Issue 12 item 2: each endpoint gets the event in its pinned API version (or
// the stored one); the stored event, which the API serves, is unchanged.
TEST_F(DispatcherTest, Issue12Item2EachEndpointReceivesItsPinnedApiVersion) {
  struct Case {
    const char* id;
    const char* path;
    const char* pinned;    // empty: none
    const char* received;  // the api_version the receiver sees
  };
  const Case cases[] = {
      {"we_none", "/none", "", "2026-10-28.endive"},
      {"we_basil", "/basil", "2025-03-31.basil", "2025-03-31.basil"},
      {"we_basil2", "/basil2", "2025-03-31.basil", "2025-03-31.basil"},
      {"we_old", "/old", "2020-08-27", "2020-08-27"},
  };
  std::vector<std::string> ids;
  for (const Case& c : cases) {
    WebhookEndpoint endpoint = make_endpoint(c.id, kPlatform, false, false);
    endpoint.url = receiver_.url(c.path);
    endpoint.api_version = c.pinned;
    store_->put_endpoint(endpoint);
    ids.emplace_back(c.id);
  }
  const std::string event = publish(ids);
  const std::string stored = store_->get_event(event)->body;
  start();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.id);
    ASSERT_TRUE(receiver_.wait_for_requests(c.path, 1));
    const ReceivedRequest request = receiver_.requests(c.path)[0];
    const boost::json::object body = boost::json::parse(request.body).as_object();
    EXPECT_EQ(body.at("api_version"), c.received);
    boost::json::object as_stored = boost::json::parse(stored).as_object();
    as_stored["api_version"] = c.received;
    EXPECT_EQ(body, as_stored);
    const std::string secret = store_->get_endpoint(c.id)->secrets[0].secret;
    std::string why;
    EXPECT_EQ(construct_event_id(request.body, request.header("Stripe-Signature"), secret,
                                 clock_.now_ms(), &why),
              event)
        << why;
  }
  EXPECT_EQ(store_->get_event(event)->body, stored);
}

TEST_F(DispatcherTest, LiveEventsHaveNoFakeV0AndEveryActiveSecretSigns) {
  options_.private_targets.allow_all = true;
  WebhookEndpoint endpoint = add_endpoint("we_live", receiver_.url("/live"), true);
  endpoint.secrets = {{"whsec_new", 0},
                      {"whsec_rolling", clock_.now_ms() + 3'600'000},
                      {"whsec_expired", clock_.now_ms() - 1}};
  store_->put_endpoint(endpoint);
  publish({"we_live"}, /*livemode=*/true);
  start();
  ASSERT_TRUE(receiver_.wait_for_requests("/live", 1));
  const ReceivedRequest request = receiver_.requests("/live")[0];
  const std::string signature = request.header("Stripe-Signature");
  EXPECT_EQ(signature.find("v0="), std::string::npos);
  EXPECT_TRUE(signature_verifies(request.body, signature, "whsec_new", clock_.now_ms()));
  EXPECT_TRUE(signature_verifies(request.body, signature, "whsec_rolling", clock_.now_ms()));
  EXPECT_FALSE(signature_verifies(request.body, signature, "whsec_expired", clock_.now_ms()));
}

TEST_F(DispatcherTest, AFailureIsRetriedAfterTheScheduleDelayAndSignedAfresh) {
  const WebhookEndpoint endpoint = add_endpoint("we_a", receiver_.url("/hook"), false);
  receiver_.script("/hook", {Reply::with_status(500, "try later"), Reply::with_status(200)});
  const std::string event = publish({"we_a"});
  const int64_t first_at = clock_.now_ms();
  start();
  ASSERT_TRUE(attempts_reach(event, "we_a", 1));
  Delivery delivery = delivery_of(event, "we_a");
  EXPECT_EQ(delivery.state, DeliveryState::kPending);
  EXPECT_EQ(delivery.last_http_status, 500);
  const int64_t delay = options_.test_schedule_ms[0];  // a test-mode endpoint
  EXPECT_EQ(delivery.next_attempt_ms, first_at + delay);
  EXPECT_EQ(attempts_of(event)[0].response_excerpt, "try later");
  EXPECT_EQ(store_->get_event(event)->pending_webhooks, 1);

  // Not a millisecond early: a claim at that time leaves it alone (a claim
  // would have leased it, moving its next_attempt_ms).
  advance(delay - 1);
  ASSERT_TRUE(claimed_twice_more());
  EXPECT_EQ(delivery_of(event, "we_a").next_attempt_ms, first_at + delay);
  EXPECT_EQ(delivery_of(event, "we_a").attempt_count, 1);
  EXPECT_EQ(receiver_.request_count("/hook"), 1u);

  advance(1);
  ASSERT_TRUE(state_is(event, "we_a", DeliveryState::kSucceeded));
  EXPECT_EQ(store_->get_event(event)->pending_webhooks, 0);
  const std::vector<ReceivedRequest> requests = receiver_.requests("/hook");
  ASSERT_EQ(requests.size(), 2u);
  const std::string first = requests[0].header("Stripe-Signature");
  const std::string second = requests[1].header("Stripe-Signature");
  EXPECT_EQ(timestamp_of(second) - timestamp_of(first), delay / 1000);
  EXPECT_NE(first, second);
  EXPECT_EQ(requests[0].body, requests[1].body);
  // The retry verifies now; the first signature is by now too old.
  EXPECT_EQ(construct_event_id(requests[1].body, second, endpoint.secrets[0].secret,
                               clock_.now_ms()),
            event);
  EXPECT_EQ(construct_event_id(requests[0].body, first, endpoint.secrets[0].secret,
                               clock_.now_ms()),
            "");
  EXPECT_EQ(delivery_of(event, "we_a").attempt_count, 2);
}

TEST_F(DispatcherTest, ARedirectIsAFailureAndIsNotFollowed) {
  add_endpoint("we_a", receiver_.url("/old"), false);
  receiver_.script("/old", Reply::redirect(receiver_.url("/new")));
  const std::string event = publish({"we_a"});
  start();
  ASSERT_TRUE(attempts_reach(event, "we_a", 1));
  const Delivery delivery = delivery_of(event, "we_a");
  EXPECT_EQ(delivery.state, DeliveryState::kPending);
  EXPECT_EQ(delivery.last_http_status, 302);
  EXPECT_FALSE(attempts_of(event)[0].success);
  // The attempt ended with the 302: a followed redirect would have come first.
  EXPECT_EQ(receiver_.request_count("/new"), 0u);
}

TEST_F(DispatcherTest, ATimeoutIsAFailedAttempt) {
  options_.attempt_timeout_ms = 300;
  add_endpoint("we_a", receiver_.url("/silent"), false);
  receiver_.script("/silent", Reply::never_answer());
  const std::string event = publish({"we_a"});
  start();
  ASSERT_TRUE(attempts_reach(event, "we_a", 1));
  const Delivery delivery = delivery_of(event, "we_a");
  EXPECT_EQ(delivery.state, DeliveryState::kPending);
  EXPECT_EQ(delivery.last_http_status, 0);
  EXPECT_EQ(delivery.last_error, "timeout");
  EXPECT_GE(attempts_of(event)[0].latency_us, 290'000);
}

TEST_F(DispatcherTest, ARefusedConnectionIsAFailedAttempt) {
  const RefusingPort refusing;
  add_endpoint("we_a", refusing.url("/x"), false);
  const std::string event = publish({"we_a"});
  start();
  ASSERT_TRUE(attempts_reach(event, "we_a", 1));
  EXPECT_EQ(delivery_of(event, "we_a").last_error, "connection_refused");
  EXPECT_EQ(delivery_of(event, "we_a").state, DeliveryState::kPending);
}

TEST_F(DispatcherTest, ALiveEndpointMayNotTargetAPrivateAddress) {
  add_endpoint("we_live", receiver_.url("/live"), true);
  const std::string event = publish({"we_live"}, true);
  start();
  ASSERT_TRUE(attempts_reach(event, "we_live", 1));
  const Delivery delivery = delivery_of(event, "we_live");
  EXPECT_EQ(delivery.last_error, "private_address_blocked");
  EXPECT_EQ(delivery.state, DeliveryState::kPending);  // retried: the address may change
  EXPECT_EQ(receiver_.request_count(), 0u);
  EXPECT_EQ(receiver_.connection_count(), 0u);
}

TEST_F(DispatcherTest, AllowPrivateTargetsLetsALiveEndpointReachLocalhost) {
  options_.private_targets.allow_all = true;
  add_endpoint("we_live", receiver_.url("/live"), true);
  const std::string event = publish({"we_live"}, true);
  start();
  ASSERT_TRUE(state_is(event, "we_live", DeliveryState::kSucceeded));
}

TEST_F(DispatcherTest, ATestModeEndpointMayTargetAPrivateAddress) {
  add_endpoint("we_test", receiver_.url("/test"), false);
  // A live Connect endpoint also gets test events; its own mode decides.
  add_endpoint("we_live", receiver_.url("/live"), true);
  const std::string event = publish({"we_test", "we_live"}, false);
  start();
  ASSERT_TRUE(state_is(event, "we_test", DeliveryState::kSucceeded));
  ASSERT_TRUE(attempts_reach(event, "we_live", 1));
  EXPECT_EQ(delivery_of(event, "we_live").last_error, "private_address_blocked");
}

TEST_F(DispatcherTest, ADeletedEndpointGetsNoAttempt) {
  add_endpoint("we_a", receiver_.url("/a"), false);
  const std::string event = publish({"we_a"});
  ASSERT_TRUE(store_->delete_endpoint("we_a"));
  start();
  ASSERT_TRUE(state_is(event, "we_a", DeliveryState::kFailed));
  EXPECT_EQ(delivery_of(event, "we_a").attempt_count, 0);
  EXPECT_EQ(receiver_.request_count(), 0u);
  EXPECT_EQ(metrics_.attempts(), 0u);
}

TEST_F(DispatcherTest, AListenSessionWithoutAHubFails) {
  WebhookEndpoint endpoint = add_endpoint("we_listen", "", false);
  endpoint.listen_session = true;
  store_->put_endpoint(endpoint);
  const std::string event = publish({"we_listen"});
  start();
  ASSERT_TRUE(attempts_reach(event, "we_listen", 1));
  EXPECT_EQ(delivery_of(event, "we_listen").last_error, "listen_session_disconnected");
}

TEST_F(DispatcherTest, EveryAttemptIsCountedInMetrics) {
  add_endpoint("we_ok", receiver_.url("/ok"), false);
  add_endpoint("we_bad", receiver_.url("/bad"), false);
  receiver_.script("/bad", Reply::with_status(503));
  for (int i = 0; i < 5; ++i) publish({"we_ok", "we_bad"});
  start();
  ASSERT_TRUE(eventually([&] { return metrics_.attempts() == 10; }));
  const std::string text = metrics_.render_prometheus(store_->count_pending_deliveries());
  EXPECT_NE(text.find("hookline_delivery_attempts_total{outcome=\"2xx\"} 5"), std::string::npos);
  EXPECT_NE(text.find("hookline_delivery_attempts_total{outcome=\"5xx\"} 5"), std::string::npos);
}

}  // namespace
}  // namespace hookline::testing
