#include "api/http/idempotency.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "api/api_error.hpp"
#include "signing/hmac_sha256.hpp"

namespace hookline::api {

namespace {

constexpr std::size_t kHashLength = 64;  // SHA-256 in hex

// SHA-256 of the concatenation of `parts`, each followed by a NUL separator.
std::string sha256_hex(std::initializer_list<std::string_view> parts) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                   &EVP_MD_CTX_free);
  signing::Digest digest{};
  unsigned int length = 0;
  bool ok = context && EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) == 1;
  for (std::string_view part : parts) {
    ok = ok && EVP_DigestUpdate(context.get(), part.data(), part.size()) == 1 &&
         EVP_DigestUpdate(context.get(), "", 1) == 1;
  }
  ok = ok && EVP_DigestFinal_ex(context.get(), digest.data(), &length) == 1;
  if (!ok || length != digest.size()) throw std::runtime_error("SHA-256 failed");
  return signing::to_hex(digest);
}

ApiError key_in_use() {
  return ApiError(409, "idempotency_error",
                  "There is currently another in-progress request using this Idempotent Key "
                  "(probably because of a network error). Try again later.",
                  {}, "idempotency_key_in_use");
}

}  // namespace

std::string idempotency_scope(std::string_view api_key, std::string_view account_id) {
  return sha256_hex({api_key}).substr(0, 32) + ":" + std::string(account_id);
}

std::string request_fingerprint(std::string_view method, std::string_view target, bool json_body,
                                std::string_view body) {
  return sha256_hex({method, target, json_body ? "json" : "form", body});
}

int64_t idempotency_cutoff_ms(int64_t now_ms) { return now_ms - kIdempotencyWindowMs; }

std::optional<ApiResponse> IdempotencyKeys::replay(const IdempotentRequest& request) {
  const std::optional<IdempotentResponse> kept = store_.get_idempotent(request.scope, request.key);
  if (!kept) return std::nullopt;
  // The first request's id rides with its fingerprint ("<sha256 hex>:req_…"),
  // so the stores need no new column; responses kept before have no id.
  const std::string_view kept_hash = std::string_view(kept->request_hash).substr(0, kHashLength);
  const std::string_view original_request =
      std::string_view(kept->request_hash).substr(std::min(kept->request_hash.size(), kHashLength + 1));
  if (kept_hash != request.fingerprint) {
    throw ApiError(400, "idempotency_error",
                   "Keys for idempotent requests can only be used with the same parameters they "
                   "were first used with. Try using a key other than '" +
                       request.key + "' if you meant to execute a different request.");
  }
  if (kept->status == 0) {
    // Reserved by a request still running (on this node or another), unless
    // its node died: then it is free to take over.
    if (kept->created_ms < clock_.now_ms() - kIdempotencyReservationMs) return std::nullopt;
    throw key_in_use();
  }
  ApiResponse response;
  response.status = kept->status;
  response.body = kept->body;
  response.headers.emplace_back("Idempotent-Replayed", "true");
  if (!original_request.empty()) {
    response.headers.emplace_back("Original-Request", std::string(original_request));
  }
  return response;
}

// A key held by a request while it runs: in this server's memory and, on a
// store other nodes share, by a reservation row. Let go when the request ends
// (or when its commit does): the reservation stays only if the response was kept.
class IdempotencyKeys::Hold {
 public:
  Hold(IdempotencyKeys& keys, const IdempotentRequest& request, std::string id)
      : keys_(keys), scope_(request.scope), key_(request.key), id_(std::move(id)) {}
  ~Hold() { let_go(false); }
  Hold(const Hold&) = delete;
  Hold& operator=(const Hold&) = delete;

  void reserved_in_store() { in_store_ = true; }

  // `kept`: the response is in the store, in place of the reservation.
  void let_go(bool kept) {
    if (done_) return;
    done_ = true;
    if (in_store_ && !kept) {
      try {
        keys_.store_.release_idempotent(scope_, key_);
      } catch (const std::exception&) {
        // It expires (kIdempotencyReservationMs) and is taken over then.
      }
    }
    std::lock_guard lock(keys_.mutex_);
    keys_.running_.erase(id_);
  }

 private:
  IdempotencyKeys& keys_;
  const std::string scope_;
  const std::string key_;
  const std::string id_;
  bool in_store_ = false;
  bool done_ = false;
};

ApiResponse IdempotencyKeys::run(const IdempotentRequest& request,
                                 const std::function<ApiResponse()>& execute) {
  if (request.key.size() > kMaxKeyLength) {
    throw ApiError::invalid_request("Invalid Idempotency-Key: it must be at most " +
                                    std::to_string(kMaxKeyLength) + " characters long.");
  }
  if (auto replayed = replay(request)) return std::move(*replayed);

  std::string id = request.scope + '\n' + request.key;
  {
    std::lock_guard lock(mutex_);
    if (!running_.insert(id).second) throw key_in_use();
  }
  // Shared with a deferred commit, which may end after run() returned.
  auto hold = std::make_shared<Hold>(*this, request, std::move(id));
  // Across nodes: the store's row decides. Not reserved: the first request
  // finished meanwhile (replayed), or is still running elsewhere (409).
  // A store no other node uses needs no row: the set in memory decides.
  if (store_.shared_by_nodes()) {
    const int64_t now_ms = clock_.now_ms();
    if (!store_.reserve_idempotent(request.scope, request.key, request.fingerprint, now_ms,
                                   now_ms - kIdempotencyReservationMs)) {
      if (auto replayed = replay(request)) return std::move(*replayed);
      throw key_in_use();
    }
    hold->reserved_in_store();
  }

  ApiResponse response = execute();
  if (response.status >= 500) return response;
  IdempotentRecord kept;
  kept.scope = request.scope;
  kept.key = request.key;
  kept.response.request_hash = request.request_id.empty()
                                   ? request.fingerprint
                                   : request.fingerprint + ":" + request.request_id;
  kept.response.status = response.status;
  kept.response.body = response.body;
  kept.response.created_ms = clock_.now_ms();
  if (response.commit) {
    // Kept in the commit's own transaction; the key is held until it ends.
    response.commit = [commit = std::move(response.commit), hold, kept = std::move(kept)](
                          std::optional<IdempotentRecord>, CommitDone done) {
      commit(kept, [hold, done = std::move(done)](std::exception_ptr error) {
        hold->let_go(error == nullptr);
        done(std::move(error));
      });
    };
    return response;
  }
  store_.put_idempotent(kept.scope, kept.key, kept.response);
  hold->let_go(true);
  return response;
}

}  // namespace hookline::api
