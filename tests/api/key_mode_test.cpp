// Issue 10: a key acts in its own mode only. Every call that reaches a
// connected account × {test key, live key} × {account connected in test, in
// live, in both}: reads as reachable_in_mode says, writes to live state with
// a test key refused — and a refused call changes nothing.
#include <gtest/gtest.h>

#include <string>

#include "api_test_support.hpp"

namespace hookline::testing {
namespace {

enum class Connected { kTest, kLive, kBoth };

const char* name_of(Connected connected) {
  switch (connected) {
    case Connected::kTest: return "connected in test";
    case Connected::kLive: return "connected in live";
    case Connected::kBoth: return "connected in both";
  }
  return "?";
}

struct Case {
  const char* call;  // "retrieve", "update", "delete", "deauthorize", "list"
  bool live_key;
  Connected connected;
  int status;        // what the call answers
};

class KeyModeTest : public ApiTest {
 protected:
  // A Standard account (it may deauthorize) with a test and a live endpoint.
  std::string account_connected(Connected connected) {
    const std::string id = create_account("standard");
    Account account = *store().get_account(id);
    account.connected_test = connected != Connected::kLive;
    account.connected_live = connected != Connected::kTest;
    store().put_account(account);
    for (bool livemode : {false, true}) {
      WebhookEndpoint endpoint = make_endpoint(id + (livemode ? "_we_live" : "_we_test"), id,
                                               false, livemode);
      store().put_endpoint(endpoint);
    }
    return id;
  }

  int status_of(const std::string& method, const std::string& path, const std::string& params,
                const As& as, std::string* body = nullptr) {
    try {
      api::ApiResponse response = raw(method, path, params, as);
      if (body) *body = response.body;
      return response.status;
    } catch (const api::ApiError& e) {
      if (body) *body = e.what();
      return e.status();
    }
  }

  int run(const Case& c, const std::string& id, std::string* body) {
    const As as = c.live_key ? kLive : kTest;
    const std::string call = c.call;
    const std::string path = "/v1/accounts/" + id;
    if (call == "retrieve") return status_of("GET", path, "{}", as, body);
    if (call == "update") return status_of("POST", path, R"({"email":"new@example.com"})", as, body);
    if (call == "delete") return status_of("DELETE", path, "{}", as, body);
    if (call == "deauthorize") {
      return status_of("POST", "/oauth/deauthorize", R"({"stripe_user_id":")" + id + R"("})", as,
                       body);
    }
    // "list": 200 when listed, 404 when not.
    std::string listed;
    status_of("GET", "/v1/accounts", R"({"limit":"100"})", as, &listed);
    if (body) *body = listed;
    return listed.find(id) != std::string::npos ? 200 : 404;
  }
};

TEST_F(KeyModeTest, EveryCallByKeyModeAndAccountMode) {
  using C = Connected;
  const Case cases[] = {
      // Reads: a test key also sees accounts connected in live mode (test
      // events happen on them); a live key only those connected in live mode.
      {"retrieve", false, C::kTest, 200}, {"retrieve", false, C::kLive, 200},
      {"retrieve", false, C::kBoth, 200}, {"retrieve", true, C::kTest, 404},
      {"retrieve", true, C::kLive, 200},  {"retrieve", true, C::kBoth, 200},
      {"list", false, C::kTest, 200},     {"list", false, C::kLive, 200},
      {"list", false, C::kBoth, 200},     {"list", true, C::kTest, 404},
      {"list", true, C::kLive, 200},      {"list", true, C::kBoth, 200},
      // Writes: a test key never changes an account connected in live mode.
      {"update", false, C::kTest, 200},   {"update", false, C::kLive, 400},
      {"update", false, C::kBoth, 400},   {"update", true, C::kTest, 404},
      {"update", true, C::kLive, 200},    {"update", true, C::kBoth, 200},
      {"delete", false, C::kTest, 200},   {"delete", false, C::kLive, 400},
      {"delete", false, C::kBoth, 400},   {"delete", true, C::kTest, 404},
      {"delete", true, C::kLive, 200},    {"delete", true, C::kBoth, 200},
      {"deauthorize", false, C::kTest, 200}, {"deauthorize", false, C::kLive, 400},
      {"deauthorize", false, C::kBoth, 400}, {"deauthorize", true, C::kTest, 401},
      {"deauthorize", true, C::kLive, 200},  {"deauthorize", true, C::kBoth, 200},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.call) + " with a " + (c.live_key ? "live" : "test") + " key, " +
                 name_of(c.connected));
    const std::string id = account_connected(c.connected);
    const Account before = *store().get_account(id);
    std::string body;
    EXPECT_EQ(run(c, id, &body), c.status) << body;
    if (c.status == 200) continue;
    // Refused: nothing changed — the account, its endpoints, its access.
    const std::optional<Account> after = store().get_account(id);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->object_json, before.object_json);
    EXPECT_EQ(after->deauthorized, before.deauthorized);
    EXPECT_TRUE(store().get_endpoint(id + "_we_test"));
    EXPECT_TRUE(store().get_endpoint(id + "_we_live"));
    if (c.status == 400) {
      EXPECT_NE(body.find("Use a live key"), std::string::npos) << body;
    }
  }
}

TEST_F(KeyModeTest, ARefusedWriteByATestKeyLeavesTheLiveKeyWorking) {
  const std::string id = account_connected(Connected::kBoth);
  std::string body;
  EXPECT_EQ(status_of("POST", "/oauth/deauthorize", R"({"stripe_user_id":")" + id + R"("})", kTest,
                      &body),
            400)
      << body;
  // The probe's finding: after a test-key deauthorization the live key was refused.
  EXPECT_EQ(status_of("GET", "/v1/accounts/" + id, "{}", kLive), 200);
  EXPECT_EQ(status_of("POST", "/v1/accounts/" + id, R"({"email":"live@example.com"})", kLive), 200);
}

}  // namespace
}  // namespace hookline::testing
