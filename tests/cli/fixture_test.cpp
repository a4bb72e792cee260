#include "cli/fixture.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "catalog/event_types.hpp"

namespace hookline::cli {
namespace {

namespace json = boost::json;

// Every string left in a rendering that still looks like a placeholder.
void collect_placeholders(const json::value& value, std::vector<std::string>& found) {
  if (value.is_object()) {
    for (const auto& field : value.as_object()) collect_placeholders(field.value(), found);
  } else if (value.is_array()) {
    for (const auto& item : value.as_array()) collect_placeholders(item, found);
  } else if (value.is_string() && std::string_view(value.as_string()).find("${") != std::string_view::npos) {
    found.emplace_back(value.as_string());
  }
}

TEST(Fixtures, CoverEveryEventTheIssueNames) {
  const std::vector<std::string> required = {
      // the seed's table and customer.created
      "account.application.deauthorized", "account.external_account.updated", "account.updated",
      "balance.available", "payment_intent.succeeded", "payout.failed", "person.updated",
      "customer.created",
      // Connect events the Stripe CLI lacks
      "capability.updated", "person.created", "person.deleted",
      "account.external_account.created", "account.external_account.deleted",
      "application_fee.created", "application_fee.refunded", "payout.created", "payout.paid",
      "payout.updated", "transfer.created",
      // the Stripe CLI's most used
      "payment_intent.created", "payment_intent.payment_failed", "payment_intent.canceled",
      "charge.succeeded", "charge.failed", "charge.refunded", "charge.captured",
      "customer.updated", "customer.deleted", "customer.subscription.created",
      "customer.subscription.updated", "customer.subscription.deleted", "invoice.created",
      "invoice.paid", "invoice.payment_succeeded", "invoice.payment_failed", "invoice.finalized",
      "checkout.session.completed"};
  for (const std::string& type : required) EXPECT_NE(find_fixture(type), nullptr) << type;
}

TEST(Fixtures, EveryFixtureIsAKnownTypeAndWellFormed) {
  ASSERT_FALSE(all_fixtures().empty());
  for (const Fixture& fixture : all_fixtures()) {
    EXPECT_TRUE(catalog::is_known_event_type(fixture.event)) << fixture.event;
    EXPECT_FALSE(fixture.name.empty()) << fixture.event;
    EXPECT_FALSE(fixture.description.empty()) << fixture.event;
    const json::object data = render_fixture(fixture, {1'767'225'600, "acct_1"});
    ASSERT_TRUE(data.at("object").is_object()) << fixture.event;
    std::vector<std::string> left;
    collect_placeholders(data, left);
    EXPECT_TRUE(left.empty()) << fixture.event << ": " << (left.empty() ? "" : left.front());
  }
}

TEST(RenderFixture, ReplacesPlaceholdersWithTypedValues) {
  const Fixture* fixture = find_fixture("payment_intent.succeeded");
  ASSERT_NE(fixture, nullptr);
  const json::object data = render_fixture(*fixture, {1'767'225'600, ""});
  const json::object& object = data.at("object").as_object();
  EXPECT_EQ(object.at("object"), json::value("payment_intent"));
  EXPECT_EQ(object.at("created"), json::value(1'767'225'600));
  const std::string id(object.at("id").as_string());
  EXPECT_TRUE(id.starts_with("pi_")) << id;
  // The same placeholder gives the same id everywhere in one rendering.
  EXPECT_TRUE(std::string(object.at("client_secret").as_string()).starts_with(id + "_secret_"));
}

TEST(RenderFixture, FreshIdsEachTimeAndTheAccountWhereNamed) {
  const Fixture* fixture = find_fixture("person.updated");
  ASSERT_NE(fixture, nullptr);
  EXPECT_TRUE(fixture->requires_connected_account);
  const json::object first = render_fixture(*fixture, {100, "acct_abc"});
  const json::object second = render_fixture(*fixture, {100, "acct_abc"});
  EXPECT_NE(first.at("object").at("id"), second.at("object").at("id"));
  EXPECT_EQ(first.at("object").at("account"), json::value("acct_abc"));
  ASSERT_TRUE(first.contains("previous_attributes"));
}

TEST(RenderFixture, NowPlusOffset) {
  const Fixture* fixture = find_fixture("checkout.session.completed");
  ASSERT_NE(fixture, nullptr);
  const json::object data = render_fixture(*fixture, {1000, ""});
  EXPECT_EQ(data.at("object").at("expires_at"), json::value(1000 + 86400));
}

}  // namespace
}  // namespace hookline::cli
