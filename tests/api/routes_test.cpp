// The route table: Stripe's answers for unknown URLs and wrong methods.
#include <gtest/gtest.h>

#include "api_test_support.hpp"

namespace hookline::testing {
namespace {

using RoutesTest = ApiTest;

TEST_F(RoutesTest, UnknownUrlIsStripesUnrecognizedRequestUrl) {
  const api::ApiError e = error("GET", "/v1/foo");
  EXPECT_EQ(e.status(), 404);
  EXPECT_EQ(e.type(), "invalid_request_error");
  EXPECT_EQ(e.param(), "");
  EXPECT_STREQ(e.what(),
               "Unrecognized request URL (GET: /v1/foo). Please see https://stripe.com/docs or we "
               "can help at https://support.stripe.com/.");
  EXPECT_API_ERROR(error("POST", "/v1/webhook_endpoints/we_1/frobnicate"), 404,
                   "invalid_request_error", "",
                   "Unrecognized request URL (POST: /v1/webhook_endpoints/we_1/frobnicate).");
  EXPECT_API_ERROR(error("GET", "/v2/events"), 404, "invalid_request_error", "",
                   "Unrecognized request URL");
}

TEST_F(RoutesTest, TrailingSlashGetsStripesHint) {
  EXPECT_API_ERROR(error("GET", "/v1/events/"), 404, "invalid_request_error", "",
                   "Unrecognized request URL (GET: /v1/events/). If you are trying to list "
                   "objects, remove the trailing slash.");
}

TEST_F(RoutesTest, WrongMethodOnAKnownPath) {
  EXPECT_API_ERROR(error("DELETE", "/v1/events"), 404, "invalid_request_error", "",
                   "Unrecognized request URL (DELETE: /v1/events).");
  EXPECT_API_ERROR(error("PUT", "/v1/webhook_endpoints"), 404, "invalid_request_error", "",
                   "Unrecognized request URL (PUT: /v1/webhook_endpoints).");
  EXPECT_API_ERROR(error("GET", "/oauth/deauthorize"), 404, "invalid_request_error", "",
                   "Unrecognized request URL (GET: /oauth/deauthorize).");
}

TEST_F(RoutesTest, RetrievalsAcceptExpandAndNothingElse) {
  const std::string id = str(create_endpoint("https://e.com", R"(["*"])").at("id"));
  ok("GET", "/v1/webhook_endpoints/" + id, R"({"expand":["application"]})");
  EXPECT_API_ERROR(error("GET", "/v1/webhook_endpoints/" + id, R"({"foo":"bar"})"), 400,
                   "invalid_request_error", "foo", "Received unknown parameter: foo");
  EXPECT_API_ERROR(error("DELETE", "/v1/webhook_endpoints/" + id, R"({"expand":["x"]})"), 400,
                   "invalid_request_error", "expand", "Received unknown parameter: expand");
}

}  // namespace
}  // namespace hookline::testing
