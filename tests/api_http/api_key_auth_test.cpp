#include "api/http/api_key_auth.hpp"

#include <gtest/gtest.h>

#include "api/api_error.hpp"
#include "store/store_test_support.hpp"

namespace hookline::api {
namespace {

using hookline::testing::make_account;

constexpr const char* kTestKey = "sk_test_51TestKeyForHooklineTransport0000abcd";
constexpr const char* kLiveKey = "sk_live_51LiveKeyForHooklineTransport0000wxyz";

class ApiKeyAuthTest : public hookline::testing::StoreTest {
 protected:
  ApiKeyAuthTest() {
    identity_.account_id = "acct_platform";
    identity_.test_secret_key = kTestKey;
    identity_.live_secret_key = kLiveKey;
    Account platform = make_account("acct_platform", AccountType::kPlatform);
    store().put_account(platform);
    Account both = make_account("acct_both", AccountType::kStandard);
    store().put_account(both);
    Account test_only = make_account("acct_test_only", AccountType::kCustom);
    test_only.connected_live = false;
    store().put_account(test_only);
    Account live_only = make_account("acct_live_only", AccountType::kExpress);
    live_only.connected_test = false;
    store().put_account(live_only);
    Account gone = make_account("acct_gone", AccountType::kStandard);
    gone.deauthorized = true;
    store().put_account(gone);
  }

  ApiError error_of(std::string_view key, std::string_view account = {}) {
    try {
      authenticate(identity_, store(), key, account);
    } catch (const ApiError& error) {
      return error;
    }
    ADD_FAILURE() << "no error for key '" << key << "' as '" << account << "'";
    return ApiError(0, "", "");
  }

  PlatformIdentity identity_;
};

TEST(ApiKeyFromAuthorization, ReadsBearerAndBasic) {
  EXPECT_EQ(api_key_from_authorization("Bearer sk_test_abc"), "sk_test_abc");
  EXPECT_EQ(api_key_from_authorization("bearer   sk_test_abc  "), "sk_test_abc");
  EXPECT_EQ(api_key_from_authorization("BEARER sk_test_abc"), "sk_test_abc");
  // curl -u sk_test_abc:  ->  base64("sk_test_abc:")
  EXPECT_EQ(api_key_from_authorization("Basic c2tfdGVzdF9hYmM6"), "sk_test_abc");
  // A password is ignored.
  EXPECT_EQ(api_key_from_authorization("Basic c2tfdGVzdF9hYmM6c2VjcmV0"), "sk_test_abc");
  // No colon at all: the whole credential is the key.
  EXPECT_EQ(api_key_from_authorization("Basic c2tfdGVzdF9hYmM="), "sk_test_abc");
}

TEST(ApiKeyFromAuthorization, GivesNothingForOtherSchemesOrGarbage) {
  for (const char* header : {"", "   ", "Bearer", "Bearer ", "Token sk_test_abc", "sk_test_abc",
                             "Basic", "Basic !!!!", "Basic abc", "Bearersk_test_abc"}) {
    EXPECT_EQ(api_key_from_authorization(header), "") << header;
  }
}

TEST(MaskApiKey, ShowsPrefixAndLastFour) {
  EXPECT_EQ(mask_api_key("sk_test_1234567890abcd"), "sk_test_**********abcd");
  EXPECT_EQ(mask_api_key("sk_live_123456789wxyz"), "sk_live_*********wxyz");
  EXPECT_EQ(mask_api_key("sk_live_xyzw"), "************");  // too short to show any of it
  EXPECT_EQ(mask_api_key("short"), "*****");
  EXPECT_EQ(mask_api_key(""), "");
  const std::string masked = mask_api_key(kTestKey);
  EXPECT_EQ(masked.size(), std::string(kTestKey).size());
  EXPECT_EQ(masked.substr(0, 8), "sk_test_");
  EXPECT_EQ(masked.substr(masked.size() - 4), "abcd");
}

TEST_F(ApiKeyAuthTest, TestKeyActsAsThePlatformInTestMode) {
  const Caller caller = authenticate(identity_, store(), kTestKey, "");
  EXPECT_EQ(caller.api_key, kTestKey);
  EXPECT_FALSE(caller.livemode);
  EXPECT_EQ(caller.account_id, "acct_platform");
  EXPECT_EQ(caller.platform_account_id, "acct_platform");
  EXPECT_FALSE(caller.as_connected_account);
}

TEST_F(ApiKeyAuthTest, LiveKeyActsInLiveMode) {
  const Caller caller = authenticate(identity_, store(), kLiveKey, "");
  EXPECT_TRUE(caller.livemode);
  EXPECT_EQ(caller.account_id, "acct_platform");
}

TEST_F(ApiKeyAuthTest, MissingKeyIs401WithStripesMessage) {
  const ApiError error = error_of("");
  EXPECT_EQ(error.status(), 401);
  EXPECT_EQ(error.type(), "invalid_request_error");  // as Stripe's 401s
  EXPECT_EQ(std::string(error.what()),
            "You did not provide an API key. You need to provide your API key in the "
            "Authorization header, using Bearer auth (e.g. 'Authorization: Bearer "
            "YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details.");
}

TEST_F(ApiKeyAuthTest, UnknownKeyIs401WithTheKeyMasked) {
  const ApiError error = error_of("sk_test_51SomeoneElsesKey000000000000009876");
  EXPECT_EQ(error.status(), 401);
  EXPECT_EQ(error.type(), "invalid_request_error");  // as Stripe's 401s
  EXPECT_EQ(std::string(error.what()),
            "Invalid API Key provided: " +
                mask_api_key("sk_test_51SomeoneElsesKey000000000000009876"));
  EXPECT_EQ(std::string(error.what()).find("SomeoneElses"), std::string::npos);
}

TEST_F(ApiKeyAuthTest, KeysMustMatchExactlyAndHaveTheirPrefix) {
  const std::string test_key = kTestKey;
  for (const std::string& key :
       {test_key + "x", test_key.substr(0, test_key.size() - 1), std::string("pk_test_abc"),
        "sk_live_" + test_key.substr(8), std::string("rk_test_abc")}) {
    EXPECT_EQ(error_of(key).status(), 401) << key;
  }
}

TEST_F(ApiKeyAuthTest, PlatformsOwnIdInStripeAccountMeansItself) {
  const Caller caller = authenticate(identity_, store(), kTestKey, "acct_platform");
  EXPECT_EQ(caller.account_id, "acct_platform");
  EXPECT_FALSE(caller.as_connected_account);
}

TEST_F(ApiKeyAuthTest, ConnectedAccountReachableInTheKeysMode) {
  struct Reach {
    const char* key;
    const char* account;
    bool allowed;
  };
  for (const Reach& r : {
           Reach{kTestKey, "acct_both", true},
           Reach{kLiveKey, "acct_both", true},
           Reach{kTestKey, "acct_test_only", true},
           Reach{kLiveKey, "acct_test_only", false},  // not connected in live mode
           Reach{kTestKey, "acct_live_only", true},   // test events happen on live accounts
           Reach{kLiveKey, "acct_live_only", true},
           Reach{kTestKey, "acct_gone", false},       // deauthorized
           Reach{kLiveKey, "acct_gone", false},
           Reach{kTestKey, "acct_missing", false},
       }) {
    if (r.allowed) {
      const Caller caller = authenticate(identity_, store(), r.key, r.account);
      EXPECT_EQ(caller.account_id, r.account);
      EXPECT_TRUE(caller.as_connected_account);
      EXPECT_EQ(caller.platform_account_id, "acct_platform");
    } else {
      const ApiError error = error_of(r.key, r.account);
      EXPECT_EQ(error.status(), 403) << r.key << " " << r.account;
      EXPECT_EQ(error.type(), "permission_error");
      EXPECT_EQ(std::string(error.what()),
                "The provided key '" + mask_api_key(r.key) + "' does not have access to account '" +
                    r.account +
                    "' (or that account does not exist). Application access may have been "
                    "revoked.");
    }
  }
}

TEST_F(ApiKeyAuthTest, StripeAccountIsTrimmed) {
  EXPECT_EQ(authenticate(identity_, store(), kTestKey, "  acct_both ").account_id, "acct_both");
}

TEST_F(ApiKeyAuthTest, AKeyIsCheckedBeforeTheAccount) {
  EXPECT_EQ(error_of("sk_test_wrong", "acct_missing").status(), 401);
}

}  // namespace
}  // namespace hookline::api
