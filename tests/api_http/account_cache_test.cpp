// h16a (issue 15): the accounts that Stripe-Account names are kept in memory
// (AccountCache) while the store's routing_generation holds, so that an API
// call acting as a connected account reads no row; a committed account or
// endpoint write makes the next call read it afresh: deauthorizing or
// reconnecting an account takes effect on the very next request.
#include <gtest/gtest.h>

#include "api/http/account_cache.hpp"
#include "api_http_test_support.hpp"

namespace hookline::api::testing {
namespace {

using hookline::testing::make_account;
using hookline::testing::make_endpoint;

class AccountCacheTest : public hookline::testing::StoreTest {};

TEST_F(AccountCacheTest, KeptUntilAnAccountOrEndpointIsWritten) {
  store().put_account(make_account("acct_a", AccountType::kCustom));
  AccountCache cache(store());
  const auto first = cache.get("acct_a");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, "acct_a");
  EXPECT_EQ(cache.get("acct_a"), first);  // the same object: not read again

  store().put_endpoint(make_endpoint("we_1", "acct_a", false, false));
  const auto after_endpoint = cache.get("acct_a");
  ASSERT_TRUE(after_endpoint);
  EXPECT_NE(after_endpoint, first);

  Account changed = make_account("acct_a", AccountType::kCustom);
  changed.deauthorized = true;
  store().put_account(changed);
  const auto after_account = cache.get("acct_a");
  ASSERT_TRUE(after_account);
  EXPECT_TRUE(after_account->deauthorized);
}

TEST_F(AccountCacheTest, AMissingAccountIsReadAgainUntilItExists) {
  AccountCache cache(store());
  EXPECT_FALSE(cache.get("acct_later"));
  store().put_account(make_account("acct_later", AccountType::kExpress));
  const auto found = cache.get("acct_later");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->type, AccountType::kExpress);
}

class StripeAccountCacheTest : public ApiServerTest {
 protected:
  StripeAccountCacheTest() { start(); }
};

TEST_F(StripeAccountCacheTest, DeauthorizingOrReconnectingTakesEffectOnTheNextRequest) {
  Account account = make_account("acct_conn", AccountType::kStandard);
  store().put_account(account);
  HttpClient client(port());
  const std::vector<std::string> headers = {bearer(), "Stripe-Account: acct_conn"};
  ASSERT_EQ(client.get("/v1/events", headers).status, 200);
  ASSERT_EQ(client.get("/v1/events", headers).status, 200);  // from the cache

  account.deauthorized = true;
  store().put_account(account);
  const HttpResult refused = client.get("/v1/events", headers);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.json().at("error").at("code"), "account_invalid");
  // A publish, answered on the I/O thread, sees it too.
  const HttpResult publish = client.post(
      "/v1/events", R"({"type":"customer.created","data":{"object":{"id":"cus_1"}}})",
      {bearer(), "Stripe-Account: acct_conn", "Content-Type: application/json"});
  EXPECT_EQ(publish.status, 403) << publish.body;

  account.deauthorized = false;
  account.connected_live = false;  // connected in test mode only
  store().put_account(account);
  EXPECT_EQ(client.get("/v1/events", headers).status, 200);
  EXPECT_EQ(client.get("/v1/events", {bearer(kLiveKey), "Stripe-Account: acct_conn"}).status, 403);
}

}  // namespace
}  // namespace hookline::api::testing
