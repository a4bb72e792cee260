#include "api/http/request_pipeline.hpp"

#include <spdlog/spdlog.h>

#include <cctype>
#include <exception>
#include <future>
#include <memory>

#include "api/http/api_key_auth.hpp"
#include "api/http/dashboard_response.hpp"
#include "api/http/json_body.hpp"
#include "api/http/retry_advice.hpp"
#include "catalog/api_versions.hpp"
#include "core/ids.hpp"
#include "events/event_publisher.hpp"
#include "store/store.hpp"

namespace hookline::api {

namespace {

constexpr std::string_view kApiPrefix = "/v1/";
constexpr std::string_view kOAuthPrefix = "/oauth/";
// Larger publishes are run on a worker (answers_without_waiting).
constexpr std::size_t kInlineBodyBytes = 64 << 10;
constexpr std::size_t kMaxIdempotencyKeyLength = 255;

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// "application/json; charset=utf-8" -> true.
bool is_json(std::string_view content_type) {
  const std::string_view media = content_type.substr(0, content_type.find(';'));
  constexpr std::string_view kJson = "application/json";
  std::size_t start = media.find_first_not_of(" \t");
  if (start == std::string_view::npos || media.size() - start < kJson.size()) return false;
  for (std::size_t i = 0; i < kJson.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(media[start + i])) != kJson[i]) return false;
  }
  return media.find_first_not_of(" \t", start + kJson.size()) == std::string_view::npos;
}

ApiError unrecognized(std::string_view method, std::string_view path) {
  return ApiError(404, "invalid_request_error",
                  "Unrecognized request URL (" + std::string(method) + ": " + std::string(path) +
                      "). Please see https://stripe.com/docs or the hookline README.");
}

// Stripe's keys are at most 255 characters. The key is written into the
// events the request publishes (request.idempotency_key) and echoed in a
// header, so it must be text: printable ASCII, as every SDK sends.
void check_idempotency_key(std::string_view key) {
  if (key.size() > kMaxIdempotencyKeyLength) {
    throw ApiError::invalid_request("Keys for idempotent requests can be no longer than 255 "
                                    "characters. The Idempotency-Key header has " +
                                    std::to_string(key.size()) + ".");
  }
  for (const char c : key) {
    if (c < 0x20 || c > 0x7e) {
      throw ApiError::invalid_request(
          "The Idempotency-Key header may hold only printable ASCII characters (0x20-0x7E).");
    }
  }
}

ApiResponse render(const ApiError& error) {
  return ApiResponse{error.status(), error.body(), {}};
}

ApiResponse internal_error(const std::string& request_id) {
  return render(ApiError(500, "api_error",
                         "An unexpected error occurred while processing your request. The error "
                         "was logged with the request id " +
                             request_id + "."));
}

// The database is away (restarting, unreachable): a Stripe-shaped 503, which
// handle() marks Stripe-Should-Retry: true as every 5xx; the driver's message
// stays in the log.
ApiResponse store_unavailable() {
  return render(ApiError(503, "api_error",
                         "hookline cannot reach its database right now, so this request was not "
                         "completed. Retry it in a few seconds (with the same Idempotency-Key)."));
}

// The Stripe-shaped response to what a request threw (`error`).
ApiResponse response_to(std::exception_ptr error, std::string_view method, std::string_view target,
                        const std::string& request_id) {
  try {
    std::rethrow_exception(std::move(error));
  } catch (const ApiError& error) {
    return render(error);
  } catch (const PublishError& error) {
    return render(ApiError::invalid_request(error.what(), error.param()));
  } catch (const StoreUnavailable& error) {
    // One line per request at most at debug: an outage is logged by /readyz
    // and the dispatcher once, not once per call.
    spdlog::debug("{} {} {}: 503, the store is unavailable: {}", request_id, method, target,
                  error.what());
    return store_unavailable();
  } catch (const std::exception& error) {
    spdlog::error("{} {} {} failed: {}", request_id, method, target, error.what());
  } catch (...) {
    spdlog::error("{} {} {} failed with an unknown exception", request_id, method, target);
  }
  return internal_error(request_id);
}

// Runs `answer`, turning whatever it throws into a Stripe-shaped response.
template <typename Answer>
ApiResponse guarded(const HttpRequestView& request, const std::string& request_id,
                    Answer&& answer) {
  try {
    return answer();
  } catch (...) {
    return response_to(std::current_exception(), request.method, request.target, request_id);
  }
}

}  // namespace

RequestPipeline::RequestPipeline(ApiContext& context, CallHandler handler, bool listen_enabled,
                                 int rate_limit_per_second)
    : context_(context),
      handler_(std::move(handler)),
      listen_enabled_(listen_enabled),
      accounts_(context.store),
      idempotency_(context.store, context.clock),
      rate_limit_(rate_limit_per_second, context.clock),
      readiness_(context.store, context.clock) {}

void RequestPipeline::handle(const HttpRequestView& request, Respond respond) {
  std::string request_id = new_id("req");
  const std::string_view path = request.target.substr(0, request.target.find('?'));
  ApiResponse response = guarded(request, request_id, [&] {
    if (starts_with(path, kApiPrefix) || path == "/v1" || starts_with(path, kOAuthPrefix)) {
      return handle_api_call(request, request_id);
    }
    // HEAD answers as GET does; the transport leaves the body out.
    const bool get = request.method == "GET" || request.method == "HEAD";
    if (get && path == "/healthz") return ApiResponse{200, R"({"status":"ok"})", {}};
    if (get && path == "/readyz") return readiness_.check();
    if (get && path == "/metrics") return metrics();
    if (get) {
      if (std::optional<ApiResponse> page = dashboard_response(path, request.if_none_match)) {
        return std::move(*page);
      }
    }
    throw unrecognized(request.method, path);
  });
  if (!response.commit) {
    finish(response, request_id, request.stripe_version, request.idempotency_key);
    return respond(std::move(response));
  }
  // The answer waits for its commit. It is finished here, so that the
  // committing thread (which must not block) only hands it over, and what is
  // allocated for it is freed on the thread that writes it; what an error
  // answer needs of the request is copied.
  struct Pending {
    ApiResponse response;
    std::string request_id, stripe_version, idempotency_key, method, target;
    Respond respond;
  };
  const auto commit = std::move(response.commit);
  response.commit = nullptr;
  finish(response, request_id, request.stripe_version, request.idempotency_key);
  auto pending = std::make_shared<Pending>(Pending{
      std::move(response), std::move(request_id), std::string(request.stripe_version),
      std::string(request.idempotency_key), std::string(request.method),
      std::string(request.target), std::move(respond)});
  const auto done = [this, pending](std::exception_ptr error) {
    Pending& p = *pending;
    if (error) {
      p.response = response_to(std::move(error), p.method, p.target, p.request_id);
      finish(p.response, p.request_id, p.stripe_version, p.idempotency_key);
    }
    p.respond(std::move(p.response));
  };
  try {
    commit(std::nullopt, done);
  } catch (...) {
    done(std::current_exception());  // not started (the writer is stopping)
  }
}

ApiResponse RequestPipeline::handle(const HttpRequestView& request) {
  // Shared: the committing thread may still hold `respond` after get() returned.
  auto answer = std::make_shared<std::promise<ApiResponse>>();
  std::future<ApiResponse> answered = answer->get_future();
  handle(request, [answer](ApiResponse response) { answer->set_value(std::move(response)); });
  return answered.get();
}

bool RequestPipeline::answers_without_waiting(const HttpRequestView& request) const {
  // A keyed call reads its key's kept answer from the store; on PostgreSQL
  // each publish reads the routing generation from the database (a store
  // shared by nodes keeps nothing it can trust without asking). A miss of
  // the caches (once per account after an account or endpoint write) is a
  // short SQLite read on the I/O thread.
  // A large body (up to 1 MiB of JSON to parse and render) still goes to a
  // worker: it would hold up the other connections of this I/O thread.
  return request.method == "POST" && request.target == "/v1/events" &&
         request.idempotency_key.empty() && request.body.size() <= kInlineBodyBytes &&
         !context_.store.shared_by_nodes() && context_.store.routing_generation().has_value();
}

void RequestPipeline::finish(ApiResponse& response, const std::string& request_id,
                             std::string_view stripe_version,
                             std::string_view idempotency_key) const {
  add_common_headers(response, request_id, stripe_version);
  if (!idempotency_key.empty()) {
    response.headers.emplace_back("Idempotency-Key", std::string(idempotency_key));
  }
  if (std::optional<std::string_view> retry = stripe_should_retry(response.status)) {
    response.headers.emplace_back("Stripe-Should-Retry", std::string(*retry));
  }
}

std::variant<ListenClient, ApiResponse> RequestPipeline::authorize_listen(
    const HttpRequestView& request) {
  const std::string request_id = new_id("req");
  std::optional<ListenClient> client;
  ApiResponse refusal = guarded(request, request_id, [&] {
    const std::size_t question = request.target.find('?');
    if (!listen_enabled_) throw unrecognized(request.method, request.target.substr(0, question));
    const Caller caller =
        authenticate(context_.identity, accounts_,
                     api_key_from_authorization(request.authorization), request.stripe_account);
    if (!request.stripe_version.empty() &&
        !catalog::is_published_api_version(request.stripe_version)) {
      throw ApiError::invalid_api_version(std::string(request.stripe_version));
    }
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : request.target.substr(question + 1);
    client = ListenClient{caller.account_id, caller.livemode, caller.api_key, std::string(query)};
    return ApiResponse{};
  });
  if (client) return std::move(*client);
  add_common_headers(refusal, request_id, request.stripe_version);
  return refusal;
}

ApiResponse RequestPipeline::error_response(const ApiError& error) {
  const std::string request_id = new_id("req");
  ApiResponse response = render(error);
  add_common_headers(response, request_id, {});
  return response;
}

ApiResponse RequestPipeline::handle_api_call(const HttpRequestView& request,
                                             const std::string& request_id) {
  const std::size_t question = request.target.find('?');
  const std::string_view path = request.target.substr(0, question);
  const std::string_view query =
      question == std::string_view::npos ? std::string_view() : request.target.substr(question + 1);

  std::string api_key = api_key_from_authorization(request.authorization);
  ApiCall call;
  if (api_key.empty() && starts_with(path, kOAuthPrefix)) {
    // OAuth calls may name the platform's key as client_secret instead.
    call = decode_call(request, path, query);
    if (const auto* secret = call.params.if_contains("client_secret")) {
      if (secret->is_string()) api_key = std::string(secret->get_string());
    }
  }
  const Caller caller =
      authenticate(context_.identity, accounts_, api_key, request.stripe_account);
  if (!rate_limit_.admit(caller.api_key)) {
    throw ApiError(429, "invalid_request_error",
                   "Request rate limit exceeded. Learn more about rate limits here "
                   "https://stripe.com/docs/rate-limits.",
                   {}, "rate_limit");
  }
  if (!request.stripe_version.empty() &&
      !catalog::is_published_api_version(request.stripe_version)) {
    throw ApiError::invalid_api_version(std::string(request.stripe_version));
  }
  if (call.method.empty()) call = decode_call(request, path, query);
  call.api_key = caller.api_key;
  call.livemode = caller.livemode;
  call.account_id = caller.account_id;
  call.as_connected_account = caller.as_connected_account;
  call.platform_account_id = caller.platform_account_id;
  call.request_id = request_id;
  call.stripe_version = std::string(request.stripe_version);

  if (call.method != "POST" || request.idempotency_key.empty()) return execute(call);
  check_idempotency_key(request.idempotency_key);
  call.idempotency_key = std::string(request.idempotency_key);
  const IdempotentRequest idempotent{
      idempotency_scope(caller.api_key, caller.account_id), call.idempotency_key,
      request_fingerprint(request.method, request.target, call.json_body, request.body),
      request_id};
  return idempotency_.run(idempotent, [&] {
    // Errors of the call itself are its response, kept like any other.
    try {
      return execute(call);
    } catch (const ApiError& error) {
      return render(error);
    } catch (const PublishError& error) {
      return render(ApiError::invalid_request(error.what(), error.param()));
    }
  });
}

ApiCall RequestPipeline::decode_call(const HttpRequestView& request, std::string_view path,
                                     std::string_view query) const {
  ApiCall call;
  call.method = std::string(request.method);
  call.path = std::string(path);
  if (request.method != "POST") {
    call.params = decode_form(query);
  } else if (is_json(request.content_type)) {
    call.params = decode_json_body(request.body);
    call.json_body = true;
  } else {
    call.params = decode_forms({query, request.body});
  }
  return call;
}

ApiResponse RequestPipeline::execute(const ApiCall& call) const { return handler_(call); }

ApiResponse RequestPipeline::metrics() const {
  // In memory (and one statfs for the free space; on PostgreSQL, a count at
  // most every few seconds): a scrape flood never reaches the database.
  const int64_t pending = context_.store.pending_deliveries_gauge();
  static const Metrics kNoMetrics;
  const Metrics& metrics = context_.metrics != nullptr ? *context_.metrics : kNoMetrics;
  return ApiResponse{200,
                     metrics.render_prometheus(pending),
                     {{"Content-Type", "text/plain; version=0.0.4; charset=utf-8"}}};
}

void RequestPipeline::add_common_headers(ApiResponse& response, const std::string& request_id,
                                         std::string_view stripe_version) const {
  response.headers.emplace_back("Request-Id", request_id);
  const bool echoed = catalog::is_published_api_version(stripe_version);
  response.headers.emplace_back(
      "Stripe-Version",
      echoed ? std::string(stripe_version) : context_.publisher.api_version());
}

}  // namespace hookline::api
