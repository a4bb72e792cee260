#pragma once
// Idempotency-Key on POST, as Stripe does it: the first response to a key is
// kept (Store::put_idempotent) and replayed, with `Idempotent-Replayed: true`,
// to a retry of the same request, with `Original-Request: <the first request's
// id>`; the same key with a different request is an
// idempotency_error. Keys are scoped by the caller (API key + account acted
// as). 5xx responses are not kept, so a retry after a server failure runs
// again. No HTTP library.
//
// Thread-safe: concurrent requests with one key get 409 while the first is
// running, on one node (a set in memory) and across nodes sharing a database
// (Store::reserve_idempotent: the key is reserved in the store for the length
// of the request; a reservation left by a node that died is taken over after
// kIdempotencyReservationMs). A store no other node shares (SQLite, see
// Store::shared_by_nodes) gets no reservation row: the set in memory is enough.
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

#include "api/api_call.hpp"
#include "core/clock.hpp"
#include "store/store.hpp"

namespace hookline::api {

struct IdempotentRequest {
  std::string scope;        // idempotency_scope(…)
  std::string key;          // the Idempotency-Key header, non-empty
  std::string fingerprint;  // request_fingerprint(…)
  std::string request_id;   // req_…, sent back as Original-Request on replays
};

// The caller's scope, without the key itself in clear.
std::string idempotency_scope(std::string_view api_key, std::string_view account_id);
// SHA-256 (hex) of what makes two requests "the same": method, target (path and
// query), kind and bytes of the body.
std::string request_fingerprint(std::string_view method, std::string_view target, bool json_body,
                                std::string_view body);

// Kept responses last 24 hours (Stripe's window): the server prunes those
// created before idempotency_cutoff_ms(now), and their keys may be used again.
inline constexpr int64_t kIdempotencyWindowMs = 24LL * 3600 * 1000;
int64_t idempotency_cutoff_ms(int64_t now_ms);
// A request's reservation of its key older than this is taken to be abandoned.
inline constexpr int64_t kIdempotencyReservationMs = 60'000;

class IdempotencyKeys {
 public:
  static constexpr std::size_t kMaxKeyLength = 255;

  IdempotencyKeys(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Answers `request`: a replay of the kept response, or `execute()` (whose
  // response is then kept unless it is a 5xx). A response of execute() with a
  // commit comes back with a commit that keeps it in the same transaction and
  // holds the key until that commit ends. Throws ApiError for a key too
  // long (400), reused with another request (400 idempotency_error) or in use
  // by a request still running (409); StoreError if the store fails.
  ApiResponse run(const IdempotentRequest& request, const std::function<ApiResponse()>& execute);

 private:
  class Hold;
  std::optional<ApiResponse> replay(const IdempotentRequest& request);

  Store& store_;
  const Clock& clock_;
  std::mutex mutex_;
  std::unordered_set<std::string> running_;  // GUARDED_BY(mutex_): scope + '\n' + key
};

}  // namespace hookline::api
