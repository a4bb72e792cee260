// route_event, rule by rule, both sides of each: the tables read like the
// Connect webhooks docs ("a live Connect endpoint gets the test events of an
// account connected in live mode").
#include "routing/router.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace hookline::routing {
namespace {

const std::string kPlatform = "acct_platform";
const std::string kConnected = "acct_connected";

enum class Connection { kLiveOnly, kTestOnly, kBoth, kNeither };

Account connected_account(AccountType type, Connection connection, bool platform_controls = false,
                          bool deauthorized = false) {
  Account account;
  account.id = kConnected;
  account.type = type;
  account.platform_controls = platform_controls;
  account.connected_live = connection == Connection::kLiveOnly || connection == Connection::kBoth;
  account.connected_test = connection == Connection::kTestOnly || connection == Connection::kBoth;
  account.deauthorized = deauthorized;
  return account;
}

Account platform_account() {
  Account account;
  account.id = kPlatform;
  account.type = AccountType::kPlatform;
  return account;
}

WebhookEndpoint endpoint(const std::string& id, const std::string& owner, bool connect,
                         bool livemode, std::vector<std::string> events = {"*"}) {
  WebhookEndpoint e;
  e.id = id;
  e.account_id = owner;
  e.connect = connect;
  e.livemode = livemode;
  e.enabled_events = std::move(events);
  return e;
}

// Every kind of endpoint that could be a candidate, each subscribed to "*".
std::vector<WebhookEndpoint> every_endpoint() {
  return {
      endpoint("platform_test", kPlatform, false, false),
      endpoint("platform_live", kPlatform, false, true),
      endpoint("connect_test", kPlatform, true, false),
      endpoint("connect_live", kPlatform, true, true),
      endpoint("own_test", kConnected, false, false),
      endpoint("own_live", kConnected, false, true),
      endpoint("other_account_test", "acct_other", false, false),
      endpoint("other_account_live", "acct_other", false, true),
  };
}

using Ids = std::set<std::string>;

Ids route(const Account& account, bool livemode, std::string_view type,
          const std::vector<WebhookEndpoint>& candidates = every_endpoint()) {
  const std::vector<std::string> ids = route_event(account, kPlatform, livemode, type, candidates);
  return Ids(ids.begin(), ids.end());
}

constexpr bool kLive = true;
constexpr bool kTest = false;

struct RoutingCase {
  const char* rule;
  Account account;
  bool livemode;
  const char* type;
  Ids delivered_to;
};

void check(const std::vector<RoutingCase>& cases) {
  for (const RoutingCase& c : cases) {
    EXPECT_EQ(route(c.account, c.livemode, c.type), c.delivered_to) << c.rule;
  }
}

TEST(RouterTest, SubscribesToTheListedTypesOrEverythingWithAStar) {
  struct Case {
    std::vector<std::string> enabled_events;
    const char* type;
    bool expected;
  };
  const std::vector<Case> cases = {
      {{"*"}, "customer.created", true},
      {{"customer.created"}, "customer.created", true},
      {{"charge.failed", "customer.created"}, "customer.created", true},
      {{"customer.created"}, "customer.updated", false},
      {{"customer.*"}, "customer.created", false},  // no wildcards but the bare "*"
      {{"customer"}, "customer.created", false},
      {{"Customer.Created"}, "customer.created", false},
      {{}, "customer.created", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(routing::subscribes(c.enabled_events, c.type), c.expected)
        << c.type << " with " << c.enabled_events.size() << " enabled";
  }
}

TEST(RouterTest, PlatformEventsGoToThePlatformsAccountEndpointsOfTheirModeOnly) {
  check({
      {"a test event of the platform: its test account endpoint, never Connect endpoints",
       platform_account(),
       kTest,
       "payment_intent.succeeded",
       {"platform_test"}},
      {"a live event of the platform: its live account endpoint, never Connect endpoints",
       platform_account(),
       kLive,
       "payment_intent.succeeded",
       {"platform_live"}},
      {"the platform's own account.updated stays with the platform",
       platform_account(),
       kTest,
       "account.updated",
       {"platform_test"}},
  });
}

TEST(RouterTest, ConnectedAccountEventsByConnectionMode) {
  const Account live_only = connected_account(AccountType::kCustom, Connection::kLiveOnly);
  const Account test_only = connected_account(AccountType::kCustom, Connection::kTestOnly);
  const Account both = connected_account(AccountType::kCustom, Connection::kBoth);
  check({
      {"connected in live mode only: a live event goes to the live Connect endpoint",
       live_only,
       kLive,
       "payment_intent.succeeded",
       {"connect_live", "own_live"}},
      {"connected in live mode only: a test event goes to the live Connect endpoint too, "
       "not to the test one",
       live_only,
       kTest,
       "payment_intent.succeeded",
       {"connect_live", "own_test"}},
      {"connected in test mode only: a test event goes to the test Connect endpoint",
       test_only,
       kTest,
       "payment_intent.succeeded",
       {"connect_test", "own_test"}},
      {"connected in test mode only: a live event goes to no Connect endpoint",
       test_only,
       kLive,
       "payment_intent.succeeded",
       {"own_live"}},
      {"connected in both modes: a test event goes to both Connect endpoints",
       both,
       kTest,
       "payment_intent.succeeded",
       {"connect_live", "connect_test", "own_test"}},
      {"connected in both modes: a live event goes to the live Connect endpoint only",
       both,
       kLive,
       "payment_intent.succeeded",
       {"connect_live", "own_live"}},
  });
}

TEST(RouterTest, AnAccountConnectedInNeitherModeReachesNoConnectEndpoint) {
  const Account neither = connected_account(AccountType::kCustom, Connection::kNeither);
  check({
      {"connected in neither mode: a test event goes to its own test endpoint only",
       neither,
       kTest,
       "payment_intent.succeeded",
       {"own_test"}},
      {"connected in neither mode: a live event goes to its own live endpoint only",
       neither,
       kLive,
       "payment_intent.succeeded",
       {"own_live"}},
      {"connected in neither mode: an application event goes nowhere",
       neither,
       kLive,
       "account.application.authorized",
       {}},
  });
}

TEST(RouterTest, AccountEndpointsGetTheirOwnAccountsEventsOfTheirModeOnly) {
  const Account account = connected_account(AccountType::kStandard, Connection::kBoth);
  const Ids test = route(account, kTest, "charge.succeeded");
  EXPECT_TRUE(test.count("own_test"));
  EXPECT_FALSE(test.count("own_live"));
  EXPECT_FALSE(test.count("platform_test")) << "the platform's account endpoints: its own events";
  EXPECT_FALSE(test.count("other_account_test")) << "another connected account's endpoint";
  const Ids live = route(account, kLive, "charge.succeeded");
  EXPECT_TRUE(live.count("own_live"));
  EXPECT_FALSE(live.count("own_test"));
  EXPECT_FALSE(live.count("platform_live"));
  EXPECT_FALSE(live.count("other_account_live"));
}

TEST(RouterTest, AvailabilityByAccountType) {
  const Account standard = connected_account(AccountType::kStandard, Connection::kLiveOnly);
  const Account standard_controlled =
      connected_account(AccountType::kStandard, Connection::kLiveOnly, true);
  const Account express = connected_account(AccountType::kExpress, Connection::kLiveOnly);
  const Account custom = connected_account(AccountType::kCustom, Connection::kLiveOnly);
  check({
      {"account.application.deauthorized on Standard: to the platform's Connect endpoints "
       "(sent to the application only)",
       standard,
       kLive,
       "account.application.deauthorized",
       {"connect_live"}},
      {"account.application.deauthorized on Express: never",
       express,
       kLive,
       "account.application.deauthorized",
       {}},
      {"account.application.deauthorized on Custom: never",
       custom,
       kLive,
       "account.application.deauthorized",
       {}},
      {"account.external_account.updated on Standard: never",
       standard,
       kLive,
       "account.external_account.updated",
       {}},
      {"account.external_account.updated on Standard with platform controls",
       standard_controlled,
       kLive,
       "account.external_account.updated",
       {"connect_live", "own_live"}},
      {"account.external_account.updated on Express",
       express,
       kLive,
       "account.external_account.updated",
       {"connect_live", "own_live"}},
      {"account.external_account.updated on Custom",
       custom,
       kLive,
       "account.external_account.updated",
       {"connect_live", "own_live"}},
      {"person.updated on Standard: never", standard, kLive, "person.updated", {}},
      {"person.updated on Standard with platform controls",
       standard_controlled,
       kLive,
       "person.updated",
       {"connect_live", "own_live"}},
      {"person.updated on Express", express, kLive, "person.updated", {"connect_live", "own_live"}},
      {"person.updated on Custom", custom, kLive, "person.updated", {"connect_live", "own_live"}},
      {"other types on Standard", standard, kLive, "account.updated", {"connect_live", "own_live"}},
      {"account.external_account.created on Standard (only .updated is restricted)",
       standard,
       kLive,
       "account.external_account.created",
       {"connect_live", "own_live"}},
  });
}

TEST(RouterTest, ADeauthorizedAccountsEventsGoNowhereButItsDeauthorization) {
  const Account gone =
      connected_account(AccountType::kStandard, Connection::kBoth, false, /*deauthorized=*/true);
  check({
      {"deauthorized: a payment event goes nowhere", gone, kTest, "payment_intent.succeeded", {}},
      {"deauthorized: account.updated goes nowhere", gone, kLive, "account.updated", {}},
      {"deauthorized: its account.application.deauthorized still reaches the Connect endpoints "
       "(test event: both, as it is connected in both modes)",
       gone,
       kTest,
       "account.application.deauthorized",
       {"connect_live", "connect_test"}},
      {"deauthorized: live account.application.deauthorized reaches the live Connect endpoint",
       gone,
       kLive,
       "account.application.deauthorized",
       {"connect_live"}},
      {"deauthorized: another account.application.* event goes nowhere",
       gone,
       kTest,
       "account.application.authorized",
       {}},
  });
}

TEST(RouterTest, ADeauthorizedAccountConnectedInTestModeOnly) {
  const Account gone =
      connected_account(AccountType::kStandard, Connection::kTestOnly, false, /*deauthorized=*/true);
  check({
      {"deauthorized, test mode only: the test deauthorization reaches the test Connect endpoint "
       "only",
       gone,
       kTest,
       "account.application.deauthorized",
       {"connect_test"}},
      {"deauthorized, test mode only: a live deauthorization reaches no Connect endpoint "
       "(nor the account's own endpoints)",
       gone,
       kLive,
       "account.application.deauthorized",
       {}},
      {"deauthorized, test mode only: its other events go nowhere",
       gone,
       kTest,
       "charge.succeeded",
       {}},
  });
}

TEST(RouterTest, OtherApplicationEventsGoToConnectEndpointsOnlyOnEveryAccountType) {
  // account.application.* is "sent to the related application only": never to
  // the account's own endpoints; unlike .deauthorized, .authorized is
  // available on every account type.
  const Account standard = connected_account(AccountType::kStandard, Connection::kBoth);
  const Account express = connected_account(AccountType::kExpress, Connection::kBoth);
  const Account custom = connected_account(AccountType::kCustom, Connection::kLiveOnly);
  check({
      {"account.application.authorized on Standard, test event: both Connect endpoints",
       standard,
       kTest,
       "account.application.authorized",
       {"connect_live", "connect_test"}},
      {"account.application.authorized on Express, live event: the live Connect endpoint",
       express,
       kLive,
       "account.application.authorized",
       {"connect_live"}},
      {"account.application.authorized on Custom connected live only, test event: the live "
       "Connect endpoint",
       custom,
       kTest,
       "account.application.authorized",
       {"connect_live"}},
      {"account.application.authorized of the platform itself: its own account endpoint",
       platform_account(),
       kTest,
       "account.application.authorized",
       {"platform_test"}},
  });
}

TEST(RouterTest, OnlyEnabledEndpoints) {
  const Account account = connected_account(AccountType::kCustom, Connection::kLiveOnly);
  std::vector<WebhookEndpoint> candidates = {endpoint("enabled", kPlatform, true, true),
                                             endpoint("disabled", kPlatform, true, true)};
  candidates[1].status = EndpointStatus::kDisabled;
  EXPECT_EQ(route(account, kLive, "payout.paid", candidates), (Ids{"enabled"}));
}

TEST(RouterTest, OnlyEndpointsSubscribedToTheTypeOrToEverything) {
  const Account account = connected_account(AccountType::kCustom, Connection::kLiveOnly);
  const std::vector<WebhookEndpoint> candidates = {
      endpoint("exact", kPlatform, true, true, {"payout.paid"}),
      endpoint("several", kPlatform, true, true, {"charge.failed", "payout.paid"}),
      endpoint("everything", kPlatform, true, true, {"*"}),
      endpoint("other_type", kPlatform, true, true, {"payout.failed"}),
      endpoint("prefix_is_not_a_pattern", kPlatform, true, true, {"payout.*"}),
      endpoint("nothing", kPlatform, true, true, {}),
  };
  EXPECT_EQ(route(account, kLive, "payout.paid", candidates),
            (Ids{"exact", "several", "everything"}));
}

TEST(RouterTest, ListenSessionsRouteLikeEndpointsOfTheirKind) {
  const Account account = connected_account(AccountType::kCustom, Connection::kTestOnly);
  std::vector<WebhookEndpoint> candidates = {
      endpoint("listen_connect", kPlatform, true, false),
      endpoint("listen_account", kPlatform, false, false),
  };
  for (WebhookEndpoint& e : candidates) e.listen_session = true;
  EXPECT_EQ(route(account, kTest, "charge.succeeded", candidates), (Ids{"listen_connect"}));
  EXPECT_EQ(route(account, kLive, "charge.succeeded", candidates), (Ids{}));
  EXPECT_EQ(route(platform_account(), kTest, "charge.succeeded", candidates),
            (Ids{"listen_account"}));
}

TEST(RouterTest, ConnectEndpointsBelongToThePlatform) {
  const Account account = connected_account(AccountType::kCustom, Connection::kBoth);
  const std::vector<WebhookEndpoint> candidates = {
      endpoint("platforms", kPlatform, true, true),
      endpoint("someone_elses", "acct_other", true, true),
  };
  EXPECT_EQ(route(account, kLive, "charge.succeeded", candidates), (Ids{"platforms"}));
}

TEST(RouterTest, KeepsTheCandidatesOrder) {
  const Account account = connected_account(AccountType::kCustom, Connection::kBoth);
  const std::vector<std::string> ids =
      route_event(account, kPlatform, kTest, "charge.succeeded", every_endpoint());
  EXPECT_EQ(ids, (std::vector<std::string>{"connect_test", "connect_live", "own_test"}));
}

}  // namespace
}  // namespace hookline::routing
