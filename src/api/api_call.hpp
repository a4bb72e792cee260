#pragma once
// An authenticated, decoded API request and its response, independent of the
// HTTP library: the transport (api_server.cpp, on Beast) builds an ApiCall,
// the resources (handle_call) answer it.
#include <boost/json/object.hpp>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/store.hpp"

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

// How a commit started by ApiResponse::commit ended: nullptr (durable) or the
// exception that ended it (StoreError, StoreUnavailable); called once, on the
// committing thread (the group-commit writer's), where it must not block.
using CommitDone = std::function<void(std::exception_ptr error)>;

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, if any
  // Set by a call that may answer only once its writes are durable (POST
  // /v1/events): the response above is its answer once `commit(keep, done)`
  // has called `done` without an error. `keep`: the answer to keep for an
  // Idempotency-Key, written in the same transaction. Empty: answer now.
  std::function<void(std::optional<IdempotentRecord> keep, CommitDone done)> commit = nullptr;
};

}  // namespace hookline::api
