// Availability by account type, as Stripe's Connect webhooks table lists it.
#include <gtest/gtest.h>

#include "catalog/event_types.hpp"

namespace hookline::catalog {
namespace {

Account account_of(AccountType type, bool platform_controls = false) {
  Account account;
  account.id = "acct_x";
  account.type = type;
  account.platform_controls = platform_controls;
  return account;
}

struct AvailabilityCase {
  const char* type;
  const char* account;  // for the failure message
  Account on;
  bool available;
};

TEST(AvailabilityTest, ConnectTable) {
  const Account standard = account_of(AccountType::kStandard);
  const Account standard_controlled = account_of(AccountType::kStandard, true);
  const Account express = account_of(AccountType::kExpress);
  const Account custom = account_of(AccountType::kCustom);
  const Account platform = account_of(AccountType::kPlatform);
  const AvailabilityCase cases[] = {
      // account.application.deauthorized: accounts with Dashboard access (Standard).
      {"account.application.deauthorized", "standard", standard, true},
      {"account.application.deauthorized", "standard with platform controls", standard_controlled,
       true},
      {"account.application.deauthorized", "express", express, false},
      {"account.application.deauthorized", "custom", custom, false},
      // account.external_account.updated: accounts the platform controls.
      {"account.external_account.updated", "standard", standard, false},
      {"account.external_account.updated", "standard with platform controls", standard_controlled,
       true},
      {"account.external_account.updated", "express", express, true},
      {"account.external_account.updated", "custom", custom, true},
      // person.updated: accounts the platform controls.
      {"person.updated", "standard", standard, false},
      {"person.updated", "standard with platform controls", standard_controlled, true},
      {"person.updated", "express", express, true},
      {"person.updated", "custom", custom, true},
      // Everything else: every connected account.
      {"account.updated", "standard", standard, true},
      {"account.updated", "express", express, true},
      {"account.updated", "custom", custom, true},
      {"payment_intent.succeeded", "standard", standard, true},
      {"account.external_account.created", "standard", standard, true},
      {"person.created", "standard", standard, true},
      // The platform's own account: no restriction.
      {"person.updated", "platform", platform, true},
      {"account.application.deauthorized", "platform", platform, true},
  };
  for (const AvailabilityCase& c : cases) {
    EXPECT_EQ(is_available_for(c.on, c.type), c.available) << c.type << " on " << c.account;
  }
}

}  // namespace
}  // namespace hookline::catalog
