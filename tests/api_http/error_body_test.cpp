// Issue 12 item 7: the error body as Stripe renders it: doc_url for every error
// with a code, no request_log_url (there is no request log page to link).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "api/api_error.hpp"

namespace hookline::api {
namespace {

namespace json = boost::json;

TEST(ErrorBodyTest, EveryErrorWithACodeHasItsDocUrl) {
  const struct {
    ApiError error;
    const char* doc_url;  // nullptr: none
  } kCases[] = {
      {ApiError::no_such("webhook endpoint", "we_1"),
       "https://docs.stripe.com/error-codes/resource-missing"},
      {ApiError::unknown_parameter("foo"), "https://docs.stripe.com/error-codes/parameter-unknown"},
      {ApiError::missing_parameter("url"), "https://docs.stripe.com/error-codes/parameter-missing"},
      {ApiError::invalid_request("Invalid email address: x", "email", "email_invalid"),
       "https://docs.stripe.com/error-codes/email-invalid"},
      {ApiError(429, "invalid_request_error", "Too many requests", {}, "rate_limit"),
       "https://docs.stripe.com/error-codes/rate-limit"},
      {ApiError(409, "idempotency_error", "in use", {}, "idempotency_key_in_use"),
       "https://docs.stripe.com/error-codes/idempotency-key-in-use"},
      {ApiError::invalid_request("Invalid boolean: yes", "connect"), nullptr},
      {ApiError(401, "invalid_request_error", "Invalid API Key provided: x"), nullptr},
  };
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.error.what());
    const json::object error = json::parse(c.error.body()).at("error").as_object();
    EXPECT_FALSE(error.contains("request_log_url"));
    EXPECT_EQ(error.at("type").as_string(), c.error.type());
    if (c.doc_url == nullptr) {
      EXPECT_FALSE(error.contains("doc_url"));
      EXPECT_FALSE(error.contains("code"));
    } else {
      EXPECT_EQ(error.at("code").as_string(), c.error.code());
      EXPECT_EQ(error.at("doc_url"), c.doc_url);
    }
  }
}

}  // namespace
}  // namespace hookline::api
