#include "delivery/delivery_outcome.hpp"

#include <gtest/gtest.h>

namespace hookline::delivery {
namespace {

constexpr int64_t kNow = 1'767'225'600'000;

RetryPolicy policy() { return RetryPolicy({60'000, 300'000}, {1'800'000}, 0.0, [] { return 0.5; }); }

Delivery delivery(int attempts_before, bool manual = false) {
  Delivery d;
  d.id = 7;
  d.event_id = "evt_1";
  d.endpoint_id = "we_1";
  d.manual = manual;
  d.attempt_count = attempts_before;
  return d;
}

Attempt attempt(int status, std::string error = "") {
  Attempt a;
  a.at_ms = kNow;
  a.http_status = status;
  a.error = std::move(error);
  return a;
}

TEST(DeliveryOutcomeTest, EveryAnswerIn2xxSucceeds) {
  for (int status : {200, 201, 202, 204, 299}) {
    const DeliveryOutcome outcome =
        outcome_after_attempt(delivery(0), true, attempt(status), policy(), kNow);
    EXPECT_EQ(outcome.new_state, DeliveryState::kSucceeded) << status;
    ASSERT_TRUE(outcome.attempt);
    EXPECT_TRUE(outcome.attempt->success);
    EXPECT_EQ(outcome.delivery_id, 7);
    EXPECT_EQ(outcome.event_id, "evt_1");
    EXPECT_EQ(outcome.endpoint_id, "we_1");
  }
}

TEST(DeliveryOutcomeTest, AnythingElseIsRetriedByTheEndpointsSchedule) {
  struct Case {
    int status;
    const char* error;
  };
  const Case cases[] = {{0, "timeout"}, {0, "connection_refused"}, {100, ""}, {199, ""},
                        {300, ""},      {302, ""},                 {400, ""}, {404, ""},
                        {500, ""},      {503, ""}};
  for (const Case& c : cases) {
    const DeliveryOutcome live =
        outcome_after_attempt(delivery(0), true, attempt(c.status, c.error), policy(), kNow);
    EXPECT_EQ(live.new_state, DeliveryState::kPending) << c.status << c.error;
    EXPECT_EQ(live.next_attempt_ms, kNow + 60'000);
    EXPECT_FALSE(live.attempt->success);
    const DeliveryOutcome test =
        outcome_after_attempt(delivery(0), false, attempt(c.status, c.error), policy(), kNow);
    EXPECT_EQ(test.next_attempt_ms, kNow + 1'800'000);
  }
}

TEST(DeliveryOutcomeTest, TheAttemptNumberFollowsTheAttemptsMadeBefore) {
  const DeliveryOutcome second =
      outcome_after_attempt(delivery(1), true, attempt(500), policy(), kNow);
  EXPECT_EQ(second.new_state, DeliveryState::kPending);
  EXPECT_EQ(second.next_attempt_ms, kNow + 300'000);
  const DeliveryOutcome last = outcome_after_attempt(delivery(2), true, attempt(500), policy(), kNow);
  EXPECT_EQ(last.new_state, DeliveryState::kFailed);
  const DeliveryOutcome test_last =
      outcome_after_attempt(delivery(1), false, attempt(500), policy(), kNow);
  EXPECT_EQ(test_last.new_state, DeliveryState::kFailed);
}

TEST(DeliveryOutcomeTest, AManualResendIsTriedOnce) {
  const DeliveryOutcome failed =
      outcome_after_attempt(delivery(0, true), true, attempt(500), policy(), kNow);
  EXPECT_EQ(failed.new_state, DeliveryState::kFailed);
  EXPECT_TRUE(failed.manual);
  const DeliveryOutcome ok =
      outcome_after_attempt(delivery(0, true), true, attempt(200), policy(), kNow);
  EXPECT_EQ(ok.new_state, DeliveryState::kSucceeded);
}

TEST(DeliveryOutcomeTest, NoEndpointNoAttemptAndRetriesStop) {
  const DeliveryOutcome outcome = outcome_without_endpoint(delivery(3));
  EXPECT_EQ(outcome.new_state, DeliveryState::kFailed);
  EXPECT_FALSE(outcome.attempt);
}

TEST(DeliveryOutcomeTest, DeferredGoesBackPendingWithoutAnAttempt) {
  const DeliveryOutcome outcome = outcome_deferred(delivery(0), kNow + 5);
  EXPECT_EQ(outcome.new_state, DeliveryState::kPending);
  EXPECT_EQ(outcome.next_attempt_ms, kNow + 5);
  EXPECT_FALSE(outcome.attempt);
}

TEST(DeliveryOutcomeTest, EndpointAccepts) {
  DueDelivery due;
  EXPECT_FALSE(endpoint_accepts(due));  // deleted
  due.endpoint = WebhookEndpoint{};
  EXPECT_TRUE(endpoint_accepts(due));
  due.endpoint->status = EndpointStatus::kDisabled;
  EXPECT_FALSE(endpoint_accepts(due));
}

TEST(DeliveryOutcomeTest, ActiveSecretsAreTheCurrentAndUnexpiredRolledOnes) {
  WebhookEndpoint endpoint;
  endpoint.secrets = {{"whsec_current", 0}, {"whsec_rolled", kNow + 1}, {"whsec_old", kNow}};
  EXPECT_EQ(active_secrets(endpoint, kNow),
            (std::vector<std::string>{"whsec_current", "whsec_rolled"}));
  EXPECT_EQ(active_secrets(endpoint, kNow + 1), (std::vector<std::string>{"whsec_current"}));
}

}  // namespace
}  // namespace hookline::delivery
