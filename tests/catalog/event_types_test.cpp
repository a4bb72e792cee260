// The catalog holds every type stripe-node 23.1.0 knows, sorted, and suggests
// the nearest ones for a typo.
#include "catalog/event_types.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace hookline::catalog {
namespace {

TEST(EventTypesTest, HoldsEveryTypeOfTheSdkSortedAndUniqueWithoutTheWildcard) {
  const std::vector<std::string>& types = all_event_types();
  // stripe-node 23.1.0: 275 types in WebhookEndpointCreateParams.EnabledEvent, besides '*'.
  EXPECT_EQ(types.size(), 275u);
  EXPECT_TRUE(std::is_sorted(types.begin(), types.end()));
  EXPECT_EQ(std::adjacent_find(types.begin(), types.end()), types.end());
  EXPECT_EQ(std::find(types.begin(), types.end(), "*"), types.end());
  EXPECT_EQ(types.front(), "account.application.authorized");
  EXPECT_EQ(types.back(), "treasury.received_debit.created");
}

TEST(EventTypesTest, KnowsTheTypesConnectPlatformsUse) {
  for (const char* type :
       {"account.updated", "account.application.deauthorized", "account.external_account.updated",
        "person.updated", "payment_intent.succeeded", "charge.dispute.created", "payout.paid",
        "capability.updated", "checkout.session.completed"}) {
    EXPECT_TRUE(is_known_event_type(type)) << type;
  }
}

TEST(EventTypesTest, RejectsUnknownTypesPatternsAndTheWildcard) {
  for (const char* type : {"", "*", "payment_intent.*", "payment_intent.succeded",
                           "Payment_Intent.Succeeded", "payment_intent.succeeded "}) {
    EXPECT_FALSE(is_known_event_type(type)) << '"' << type << '"';
  }
}

TEST(EventTypesTest, NearestTypesPutTheIntendedOneFirst) {
  EXPECT_EQ(nearest_event_types("payment_intent.succeded", 1),
            (std::vector<std::string>{"payment_intent.succeeded"}));
  EXPECT_EQ(nearest_event_types("acount.updated", 1),
            (std::vector<std::string>{"account.updated"}));
  EXPECT_EQ(nearest_event_types("charge.faild", 3).front(), "charge.failed");
}

TEST(EventTypesTest, NearestTypesReturnsAtMostCountAndAnExactMatchFirst) {
  EXPECT_EQ(nearest_event_types("payout.paid", 5).size(), 5u);
  EXPECT_EQ(nearest_event_types("payout.paid", 5).front(), "payout.paid");
  EXPECT_TRUE(nearest_event_types("payout.paid", 0).empty());
  EXPECT_EQ(nearest_event_types("x", 1000).size(), all_event_types().size());
}

}  // namespace
}  // namespace hookline::catalog
