#pragma once
// An authenticated, decoded API request and its response, independent of the
// HTTP library: the transport (api_server.cpp, on Beast) builds an ApiCall,
// the resources (handle_call) answer it.
#include <boost/json/object.hpp>
#include <string>
#include <utility>
#include <vector>

namespace hookline::api {

struct ApiCall {
  std::string method;  // "GET", "POST", "DELETE"
  std::string path;    // "/v1/webhook_endpoints/we_…", without the query string
  // The parameters: the query string (GET, DELETE) or the body (POST), decoded
  // from form encoding with bracket notation into nested objects and arrays
  // whose leaves are strings ("a[b][]=1" -> {"a":{"b":["1"]}}); a JSON body
  // (POST /v1/events) is kept as sent, with its typed values.
  boost::json::object params;
  bool json_body = false;

  // Who is calling, resolved by the transport's authentication.
  std::string api_key;    // the sk_… used
  bool livemode = false;  // from the key's prefix
  // The account acted as: the platform, or the connected account named by
  // Stripe-Account (already checked to exist, be connected to this platform
  // in the key's mode and not be deauthorized).
  std::string account_id;
  bool as_connected_account = false;  // Stripe-Account was given
  std::string platform_account_id;

  std::string request_id;       // req_…, also sent as the Request-Id header
  std::string idempotency_key;  // empty if none
  std::string stripe_version;   // the Stripe-Version header (a published version), or empty
};

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, if any
};

}  // namespace hookline::api
