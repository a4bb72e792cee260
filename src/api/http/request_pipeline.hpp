#pragma once
// What happens to one HTTP request, without the HTTP library: route →
// authenticate (key, Stripe-Account) → decode parameters → idempotency → the
// call handler → a response with Request-Id and Stripe-Version (and, as
// Stripe's, Idempotency-Key echoed, Stripe-Should-Retry on errors). The Beast
// transport (api_server.cpp) only moves bytes and calls this on its workers.
//
// Thread-safe: handle() and authorize_listen() run on many threads at once.
#include <functional>
#include <string>
#include <string_view>
#include <variant>

#include "api/api_context.hpp"
#include "api/api_error.hpp"
#include "api/api_server.hpp"
#include "api/http/account_cache.hpp"
#include "api/http/form_decoder.hpp"
#include "api/http/idempotency.hpp"
#include "api/http/readiness.hpp"
#include "api/http/request_rate_limit.hpp"
#include "listen/listen_connection.hpp"

namespace hookline::api {

// The parts of a request the pipeline reads; views into the transport's request.
struct HttpRequestView {
  std::string_view method;  // "GET", "POST", …
  std::string_view target;  // "/v1/events?limit=3"
  std::string_view authorization;
  std::string_view stripe_account;
  std::string_view idempotency_key;
  std::string_view content_type;
  std::string_view stripe_version;
  std::string_view if_none_match;
  std::string_view body;
};

class RequestPipeline {
 public:
  // `handler` answers authenticated /v1 and /oauth/ calls. `listen_enabled`:
  // whether GET /v1/listen upgrades are accepted (else 404 there).
  // `rate_limit_per_second`: requests a second per API key beyond which calls
  // get 429 rate_limit (0: no limit).
  RequestPipeline(ApiContext& context, CallHandler handler, bool listen_enabled,
                  int rate_limit_per_second = 0);

  using Respond = std::function<void(ApiResponse)>;

  // Answers one request that is not a WebSocket upgrade: calls `respond` once,
  // before returning or, for a call whose answer waits for its commit (POST
  // /v1/events), later on the group-commit writer's thread (`respond` must not
  // block there). `request` need not outlive this call. Never throws: every
  // failure becomes a Stripe-shaped error response (500 for the unexpected).
  void handle(const HttpRequestView& request, Respond respond);
  // The same, waiting for the answer.
  ApiResponse handle(const HttpRequestView& request);

  // Whether handle(request, …) returns without waiting on I/O, so that the
  // transport may run it on its I/O thread rather than hand it to a worker
  // and back: an unkeyed POST /v1/events of at most 64 KiB on a store whose
  // account and routing reads are kept in memory without asking the database
  // (not shared by nodes, Store::routing_generation: SQLite).
  // Its commit answers later, as always.
  bool answers_without_waiting(const HttpRequestView& request) const;

  // For an upgrade of GET /v1/listen: who is listening, or the error
  // response to send instead (401, 403, 404). Never throws.
  std::variant<ListenClient, ApiResponse> authorize_listen(const HttpRequestView& request);

  // A transport-level error (413, 431) with a fresh Request-Id.
  ApiResponse error_response(const ApiError& error);

 private:
  ApiResponse handle_api_call(const HttpRequestView& request, const std::string& request_id);
  ApiCall decode_call(const HttpRequestView& request, std::string_view path,
                      std::string_view query) const;
  ApiResponse execute(const ApiCall& call) const;
  ApiResponse metrics() const;
  // The headers every answer gets (Request-Id, Stripe-Version, Idempotency-Key
  // echoed, Stripe-Should-Retry).
  void finish(ApiResponse& response, const std::string& request_id,
              std::string_view stripe_version, std::string_view idempotency_key) const;
  void add_common_headers(ApiResponse& response, const std::string& request_id,
                          std::string_view stripe_version) const;

  ApiContext& context_;
  CallHandler handler_;
  bool listen_enabled_;
  AccountCache accounts_;  // Stripe-Account lookups
  IdempotencyKeys idempotency_;
  RequestRateLimit rate_limit_;
  Readiness readiness_;
};

}  // namespace hookline::api
