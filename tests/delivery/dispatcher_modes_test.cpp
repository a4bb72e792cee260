// The dispatcher's two mode rules, over the four combinations of an event's
// mode and its Connect endpoint's mode (a live Connect endpoint also gets the
// test events of accounts connected in live mode):
//   - the fake `v0=` signature follows the event: present exactly on test events;
//   - the retry schedule follows the event too (issue 12 item 6, as Stripe's):
//     a test event is retried on the test schedule even by a live endpoint.
// (Routing never sends a live event to a test endpoint; the dispatcher's rules
// are pinned for that pair too, so that neither rule can swap sides unseen.)
#include <gtest/gtest.h>

#include <ostream>
#include <sstream>

#include "dispatcher_fixture.hpp"

namespace hookline::testing {
namespace {

struct ModeCase {
  const char* name;
  bool event_livemode;
  bool endpoint_livemode;
  bool has_v0;            // the event's mode decides
  bool live_schedule;     // the event's mode decides too
};

const ModeCase kModeCases[] = {
    {"TestEventToTestEndpoint", false, false, true, false},
    {"TestEventToLiveEndpoint", false, true, true, false},
    {"LiveEventToLiveEndpoint", true, true, false, true},
    {"LiveEventToTestEndpoint", true, false, false, true},
};

// Test names and failure messages show the case's name.
void PrintTo(const ModeCase& mode, std::ostream* out) { *out << mode.name; }

// The keys of a Stripe-Signature header, in order ("t", "v1", "v0").
std::vector<std::string> keys_of(const std::string& header) {
  std::vector<std::string> keys;
  std::istringstream parts(header);
  for (std::string part; std::getline(parts, part, ',');) {
    keys.push_back(part.substr(0, part.find('=')));
  }
  return keys;
}

class DispatcherModeTest : public DispatcherTest,
                           public ::testing::WithParamInterface<ModeCase> {};

TEST_P(DispatcherModeTest, Issue12Item6V0AndTheRetryScheduleFollowTheEvent) {
  const ModeCase& mode = GetParam();
  options_.private_targets.allow_all = true;  // the receiver is on 127.0.0.1
  WebhookEndpoint endpoint = make_endpoint("we_connect", kPlatform, /*connect=*/true,
                                           mode.endpoint_livemode);
  endpoint.url = receiver_.url("/connect");
  store_->put_endpoint(endpoint);
  receiver_.script("/connect", {Reply::with_status(500), Reply::with_status(200)});
  const std::string event = publish({"we_connect"}, mode.event_livemode);
  const int64_t first_at = clock_.now_ms();
  start();

  ASSERT_TRUE(attempts_reach(event, "we_connect", 1));
  const Delivery failed = delivery_of(event, "we_connect");
  EXPECT_EQ(failed.state, DeliveryState::kPending);
  const std::vector<int64_t>& schedule =
      mode.live_schedule ? options_.live_schedule_ms : options_.test_schedule_ms;
  ASSERT_NE(options_.live_schedule_ms[0], options_.test_schedule_ms[0]);
  EXPECT_EQ(failed.next_attempt_ms, first_at + schedule[0]);
  EXPECT_EQ(store_->get_event(event)->pending_webhooks, 1);

  advance(schedule[0]);
  ASSERT_TRUE(state_is(event, "we_connect", DeliveryState::kSucceeded));
  EXPECT_EQ(store_->get_event(event)->pending_webhooks, 0);

  // Every attempt, the first and the retry, has the same shape and verifies.
  const std::vector<std::string> expected_keys =
      mode.has_v0 ? std::vector<std::string>{"t", "v1", "v0"} : std::vector<std::string>{"t", "v1"};
  const std::vector<ReceivedRequest> requests = receiver_.requests("/connect");
  ASSERT_EQ(requests.size(), 2u);
  for (const ReceivedRequest& request : requests) {
    const std::string signature = request.header("Stripe-Signature");
    EXPECT_EQ(keys_of(signature), expected_keys) << signature;
    EXPECT_TRUE(signature_verifies(request.body, signature, endpoint.secrets[0].secret,
                                   timestamp_of(signature) * 1000));
  }
}

INSTANTIATE_TEST_SUITE_P(EventModeByEndpointMode, DispatcherModeTest,
                         ::testing::ValuesIn(kModeCases),
                         [](const ::testing::TestParamInfo<ModeCase>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace hookline::testing
