#include "api/http/idempotency.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

#include "api/api_error.hpp"
#include "store/store_test_support.hpp"

namespace hookline::api {
namespace {

class IdempotencyTest : public hookline::testing::StoreTest {
 protected:
  IdempotentRequest request(const std::string& key, const std::string& body,
                            const std::string& scope = "scope") {
    return IdempotentRequest{scope, key, request_fingerprint("POST", "/v1/events", false, body),
                             "req_first"};
  }

  // A call that counts its runs and answers `status`.
  std::function<ApiResponse()> counting(int status, std::string body = R"({"n":1})") {
    return [this, status, body] {
      ++runs_;
      return ApiResponse{status, body, {}};
    };
  }

  ManualClock clock_;
  IdempotencyKeys keys_{store(), clock_};
  int runs_ = 0;
};

TEST(RequestFingerprint, DiffersWithEachPartOfTheRequest) {
  const std::string base = request_fingerprint("POST", "/v1/events", false, "a=1");
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(base, request_fingerprint("POST", "/v1/events", false, "a=1"));
  EXPECT_NE(base, request_fingerprint("POST", "/v1/events", false, "a=2"));
  EXPECT_NE(base, request_fingerprint("POST", "/v1/accounts", false, "a=1"));
  EXPECT_NE(base, request_fingerprint("POST", "/v1/events?x=1", false, "a=1"));
  EXPECT_NE(base, request_fingerprint("DELETE", "/v1/events", false, "a=1"));
  EXPECT_NE(base, request_fingerprint("POST", "/v1/events", true, "a=1"));
  // Separators keep the parts apart.
  EXPECT_NE(request_fingerprint("POST", "/v1/a", false, "b"),
            request_fingerprint("POST", "/v1/", false, "ab"));
}

TEST(IdempotencyScope, DependsOnKeyAndAccountButHidesTheKey) {
  const std::string scope = idempotency_scope("sk_test_secret", "acct_1");
  EXPECT_EQ(scope.find("sk_test_secret"), std::string::npos);
  EXPECT_EQ(scope, idempotency_scope("sk_test_secret", "acct_1"));
  EXPECT_NE(scope, idempotency_scope("sk_test_other", "acct_1"));
  EXPECT_NE(scope, idempotency_scope("sk_test_secret", "acct_2"));
}

TEST_F(IdempotencyTest, ReplaysTheFirstResponseToTheSameRequest) {
  const ApiResponse first = keys_.run(request("k1", "a=1"), counting(200, R"({"id":"evt_1"})"));
  EXPECT_EQ(first.status, 200);
  EXPECT_TRUE(first.headers.empty());
  const ApiResponse second = keys_.run(request("k1", "a=1"), counting(200, R"({"id":"evt_2"})"));
  EXPECT_EQ(runs_, 1);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, R"({"id":"evt_1"})");
  ASSERT_EQ(second.headers.size(), 2u);
  EXPECT_EQ(second.headers[0], (std::pair<std::string, std::string>{"Idempotent-Replayed", "true"}));
  // Issue 12 item 8: the replay names the request that made the response.
  EXPECT_EQ(second.headers[1], (std::pair<std::string, std::string>{"Original-Request", "req_first"}));
}

TEST_F(IdempotencyTest, KeepsClientErrorsButNotServerErrors) {
  keys_.run(request("k400", "a=1"), counting(400, R"({"error":{}})"));
  EXPECT_EQ(keys_.run(request("k400", "a=1"), counting(200)).status, 400);
  EXPECT_EQ(runs_, 1);

  keys_.run(request("k500", "a=1"), counting(500));
  EXPECT_EQ(keys_.run(request("k500", "a=1"), counting(200)).status, 200);
  EXPECT_EQ(runs_, 3);
  EXPECT_EQ(keys_.run(request("k500", "a=1"), counting(201)).status, 200);  // now kept
  EXPECT_EQ(runs_, 3);
}

TEST_F(IdempotencyTest, RejectsTheKeyWithAnotherRequest) {
  keys_.run(request("k1", "a=1"), counting(200));
  try {
    keys_.run(request("k1", "a=2"), counting(200));
    FAIL() << "no error";
  } catch (const ApiError& error) {
    EXPECT_EQ(error.status(), 400);
    EXPECT_EQ(error.type(), "idempotency_error");
    EXPECT_EQ(std::string(error.what()),
              "Keys for idempotent requests can only be used with the same parameters they were "
              "first used with. Try using a key other than 'k1' if you meant to execute a "
              "different request.");
  }
  EXPECT_EQ(runs_, 1);
}

TEST_F(IdempotencyTest, ScopesSeparateCallers) {
  keys_.run(request("k1", "a=1", "caller-a"), counting(200, "first"));
  EXPECT_EQ(keys_.run(request("k1", "a=2", "caller-b"), counting(200, "second")).body, "second");
  EXPECT_EQ(runs_, 2);
}

TEST_F(IdempotencyTest, ExceptionsAreNotKept) {
  EXPECT_THROW(keys_.run(request("k1", "a=1"),
                         []() -> ApiResponse { throw std::runtime_error("boom"); }),
               std::runtime_error);
  EXPECT_EQ(keys_.run(request("k1", "a=1"), counting(200)).status, 200);
  EXPECT_EQ(runs_, 1);
}

TEST(IdempotencyWindow, TheCutoffIs24HoursBeforeNow) {
  EXPECT_EQ(kIdempotencyWindowMs, 86'400'000);
  EXPECT_EQ(idempotency_cutoff_ms(86'400'000), 0);
  EXPECT_EQ(idempotency_cutoff_ms(1'700'000'000'000), 1'700'000'000'000 - 86'400'000);
}

// As the server's pruner does it: prune(…, idempotency_cutoff_ms(now)).
TEST_F(IdempotencyTest, AKeyIsReplayedFor24HoursThenPrunedAndFreeAgain) {
  const int64_t first_at = clock_.now_ms();
  keys_.run(request("k", "a=1"), counting(200));
  clock_.advance_ms(kIdempotencyWindowMs);  // exactly 24 h: still kept
  store().prune(0, idempotency_cutoff_ms(clock_.now_ms()));
  EXPECT_EQ(keys_.run(request("k", "a=1"), counting(200)).headers.size(), 2u);  // replayed
  EXPECT_EQ(runs_, 1);
  ASSERT_EQ(clock_.now_ms() - first_at, kIdempotencyWindowMs);

  clock_.advance_ms(1);
  store().prune(0, idempotency_cutoff_ms(clock_.now_ms()));
  // Gone: the same key with another request runs, no idempotency_error.
  EXPECT_EQ(keys_.run(request("k", "b=2"), counting(201)).status, 201);
  EXPECT_EQ(runs_, 2);
}

TEST_F(IdempotencyTest, RejectsKeysLongerThan255) {
  EXPECT_NO_THROW(keys_.run(request(std::string(255, 'k'), "a=1"), counting(200)));
  try {
    keys_.run(request(std::string(256, 'k'), "a=1"), counting(200));
    FAIL() << "no error";
  } catch (const ApiError& error) {
    EXPECT_EQ(error.status(), 400);
  }
}

TEST_F(IdempotencyTest, ConcurrentUseOfOneKeyIs409) {
  std::promise<void> entered;
  std::promise<void> release;
  auto first = std::async(std::launch::async, [&] {
    return keys_.run(request("k1", "a=1"), [&] {
      entered.set_value();
      release.get_future().wait();
      return ApiResponse{200, "first", {}};
    });
  });
  entered.get_future().wait();
  try {
    keys_.run(request("k1", "a=1"), counting(200));
    FAIL() << "no error";
  } catch (const ApiError& error) {
    EXPECT_EQ(error.status(), 409);
    EXPECT_EQ(error.type(), "idempotency_error");
    EXPECT_EQ(error.code(), "idempotency_key_in_use");
  }
  // Another key is not held up.
  EXPECT_EQ(keys_.run(request("k2", "a=1"), counting(200, "other")).body, "other");
  release.set_value();
  EXPECT_EQ(first.get().body, "first");
  EXPECT_EQ(keys_.run(request("k1", "a=1"), counting(200)).body, "first");
}

}  // namespace
}  // namespace hookline::api
