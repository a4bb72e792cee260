#include "delivery/http_sender.hpp"

#include <curl/curl.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

#include "delivery/address_policy.hpp"

namespace hookline::delivery {

namespace {

constexpr std::size_t kMaxExcerpt = 4096;

void raise_open_files_limit(std::size_t wanted) {
  rlimit limit{};
  if (wanted == 0 || getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min<rlim_t>(wanted, limit.rlim_max);
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// One request in flight; kept with its easy handle for reuse.
struct Transfer {
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  SendRequest request;
  HttpSender::Callback done;
  std::string response;
  int sockets_blocked = 0;  // connects refused by the address policy
  int sockets_opened = 0;
  bool reused_blocked = false;  // a reused connection's address was refused
  std::chrono::steady_clock::time_point started;
  char error[CURL_ERROR_SIZE] = {};

  ~Transfer() {
    curl_slist_free_all(headers);
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  const size_t room = kMaxExcerpt - std::min(kMaxExcerpt, transfer->response.size());
  transfer->response.append(data, std::min(bytes, room));
  return bytes;  // the rest is read and dropped
}

// New connections: refuse non-public addresses before connecting at all.
curl_socket_t open_socket(void* user, curlsocktype, curl_sockaddr* address) {
  auto* transfer = static_cast<Transfer*>(user);
  const SendRequest& request = transfer->request;
  if (request.block_private_addresses && !is_public_address(&address->addr, address->addrlen) &&
      !(request.allowed_private &&
        request.allowed_private->allows_address(&address->addr, address->addrlen))) {
    ++transfer->sockets_blocked;
    return CURL_SOCKET_BAD;
  }
  ++transfer->sockets_opened;
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

// Every connection, new or reused, right before the request goes out: a
// connection opened for a request allowed to reach a private address must not
// carry one that is not.
int before_request(void* user, char* primary_ip, char*, int, int) {
  auto* transfer = static_cast<Transfer*>(user);
  const SendRequest& request = transfer->request;
  if (request.block_private_addresses && !is_public_address(primary_ip) &&
      !(request.allowed_private && request.allowed_private->allows_address(primary_ip))) {
    transfer->reused_blocked = true;
    return CURL_PREREQFUNC_ABORT;
  }
  return CURL_PREREQFUNC_OK;
}

bool is_tls_error(CURLcode code) {
  switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
      return true;
    default:
      return false;
  }
}

std::string error_name(CURLcode code, const Transfer& transfer) {
  long os_errno = 0;
  curl_easy_getinfo(transfer.easy, CURLINFO_OS_ERRNO, &os_errno);
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return "timeout";
    case CURLE_COULDNT_RESOLVE_HOST:
      return "dns_error";
    case CURLE_COULDNT_CONNECT:
      if (transfer.sockets_blocked > 0 && transfer.sockets_opened == 0) {
        return "private_address_blocked";
      }
      if (os_errno == ECONNREFUSED) return "connection_refused";
      break;
    case CURLE_ABORTED_BY_CALLBACK:
      if (transfer.reused_blocked) return "private_address_blocked";
      break;
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
      if (os_errno == ECONNRESET || os_errno == EPIPE) return "connection_reset";
      break;
    default:
      if (is_tls_error(code)) return "tls_error";
      break;
  }
  return std::string("error: ") +
         (transfer.error[0] != '\0' ? transfer.error : curl_easy_strerror(code));
}

}  // namespace

struct HttpSender::Impl {
  explicit Impl(HttpSenderOptions opts) : options(std::move(opts)) {
    global_init();
    raise_open_files_limit(options.open_files_wanted);
    multi = curl_multi_init();
    if (multi == nullptr) throw std::runtime_error("curl_multi_init failed");
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_host_connections);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, options.max_cached_connections);
    thread = std::thread([this] { run(); });
  }

  ~Impl() {
    shutdown();
    idle.clear();  // easy handles before the multi handle
    curl_multi_cleanup(multi);
  }

  void send(SendRequest request, Callback done) {
    in_flight.fetch_add(1, std::memory_order_relaxed);
    bool was_empty = false;
    {
      std::lock_guard lock(mutex);
      was_empty = incoming.empty();
      incoming.emplace_back(std::move(request), std::move(done));
    }
    // The thread takes everything queued at once: one wake-up per batch.
    if (was_empty) curl_multi_wakeup(multi);
  }

  void shutdown() {
    {
      std::lock_guard lock(mutex);
      if (stopping && !thread.joinable()) return;
      stopping = true;
    }
    curl_multi_wakeup(multi);
    if (thread.joinable()) thread.join();
  }

  void run() {
    pthread_setname_np(pthread_self(), "hl-sender");
    std::vector<std::pair<SendRequest, Callback>> batch;
    for (;;) {
      bool stop = false;
      {
        std::lock_guard lock(mutex);
        batch.swap(incoming);
        stop = stopping;
      }
      for (auto& [request, done] : batch) start(std::move(request), std::move(done));
      const bool had_new = !batch.empty();
      batch.clear();
      int running = 0;
      curl_multi_perform(multi, &running);
      collect_done();
      if (stop && active == 0 && !had_new) {
        std::lock_guard lock(mutex);
        if (incoming.empty()) break;
        continue;
      }
      curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
  }

  std::unique_ptr<Transfer> acquire() {
    if (!idle.empty()) {
      std::unique_ptr<Transfer> transfer = std::move(idle.back());
      idle.pop_back();
      return transfer;
    }
    auto transfer = std::make_unique<Transfer>();
    CURL* easy = curl_easy_init();
    if (easy == nullptr) throw std::runtime_error("curl_easy_init failed");
    transfer->easy = easy;
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer.get());
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get());
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &open_socket);
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, transfer.get());
    curl_easy_setopt(easy, CURLOPT_PREREQFUNCTION, &before_request);
    curl_easy_setopt(easy, CURLOPT_PREREQDATA, transfer.get());
    curl_easy_setopt(easy, CURLOPT_USERAGENT, options.user_agent.c_str());
    curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(easy, CURLOPT_PROXY, "");  // never a proxy from the environment
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_POST, 1L);
    return transfer;
  }

  void start(SendRequest request, Callback done) {
    std::unique_ptr<Transfer> owned = acquire();
    Transfer* transfer = owned.get();
    transfer->request = std::move(request);
    transfer->done = std::move(done);
    transfer->response.clear();
    transfer->sockets_blocked = 0;
    transfer->sockets_opened = 0;
    transfer->reused_blocked = false;
    transfer->error[0] = '\0';
    transfer->started = std::chrono::steady_clock::now();

    curl_slist_free_all(transfer->headers);
    transfer->headers = nullptr;
    curl_slist* headers =
        curl_slist_append(nullptr, "Content-Type: application/json; charset=utf-8");
    if (!transfer->request.signature.empty()) {
      headers = curl_slist_append(headers,
                                  ("Stripe-Signature: " + transfer->request.signature).c_str());
    }
    headers = curl_slist_append(headers, "Expect:");
    transfer->headers = headers;

    CURL* easy = transfer->easy;
    curl_easy_setopt(easy, CURLOPT_URL, transfer->request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(transfer->request.body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, transfer->request.body.data());
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(std::max<int64_t>(1, transfer->request.timeout_ms)));
    ++active;
    owned.release();  // owned by the multi handle until collect_done()
    const CURLMcode added = curl_multi_add_handle(multi, easy);
    if (added != CURLM_OK) {
      std::snprintf(transfer->error, sizeof transfer->error, "%s", curl_multi_strerror(added));
      finish(transfer, CURLE_FAILED_INIT, /*in_multi=*/false);
    }
  }

  void collect_done() {
    int left = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &left)) {
      if (message->msg != CURLMSG_DONE) continue;
      Transfer* transfer = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
      finish(transfer, message->data.result, /*in_multi=*/true);
    }
  }

  void finish(Transfer* transfer, CURLcode code, bool in_multi) {
    std::unique_ptr<Transfer> owned(transfer);
    SendResult result;
    if (code == CURLE_OK) {
      long status = 0;
      curl_easy_getinfo(transfer->easy, CURLINFO_RESPONSE_CODE, &status);
      result.http_status = static_cast<int>(status);
    } else {
      result.error = error_name(code, *transfer);
    }
    curl_off_t total_us = 0;
    if (code == CURLE_OK &&
        curl_easy_getinfo(transfer->easy, CURLINFO_TOTAL_TIME_T, &total_us) == CURLE_OK &&
        total_us > 0) {
      result.latency_us = total_us;
    } else {
      result.latency_us = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - transfer->started)
                              .count();
    }
    result.response_excerpt = std::move(transfer->response);
    transfer->response = std::string();
    if (in_multi) curl_multi_remove_handle(multi, transfer->easy);
    Callback done = std::move(transfer->done);
    transfer->done = nullptr;
    transfer->request = SendRequest();  // frees the body now
    --active;
    if (idle.size() < options.max_idle_handles) idle.push_back(std::move(owned));
    in_flight.fetch_sub(1, std::memory_order_relaxed);
    try {
      done(std::move(result));
    } catch (...) {
      // A callback must not throw; the sender's thread outlives it.
    }
  }

  HttpSenderOptions options;
  CURLM* multi = nullptr;
  std::thread thread;
  mutable std::mutex mutex;
  std::vector<std::pair<SendRequest, Callback>> incoming;  // GUARDED_BY(mutex)
  bool stopping = false;                                   // GUARDED_BY(mutex)
  std::atomic<std::size_t> in_flight{0};
  // The sender thread's own state.
  std::vector<std::unique_ptr<Transfer>> idle;
  std::size_t active = 0;
};

HttpSender::HttpSender(HttpSenderOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

HttpSender::~HttpSender() = default;

void HttpSender::send(SendRequest request, Callback done) {
  impl_->send(std::move(request), std::move(done));
}

void HttpSender::shutdown() { impl_->shutdown(); }

std::size_t HttpSender::in_flight() const {
  return impl_->in_flight.load(std::memory_order_relaxed);
}

}  // namespace hookline::delivery
