#include "delivery/http_sender.hpp"

#include <curl/curl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <stdexcept>
#include <string_view>
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
  SendRequest request;
  uint64_t tag = 0;
  std::size_t slot = 0;  // its index among the transfers in flight
  std::string response;
  // The request headers: a list of our own nodes (libcurl only reads it), set
  // on the easy handle once; the signature line is rendered into a reused buffer.
  curl_slist headers[3] = {};
  std::string signature_line;
  int sockets_blocked = 0;  // connects refused by the address policy
  int sockets_opened = 0;
  bool reused_blocked = false;  // a reused connection's address was refused
  std::chrono::steady_clock::time_point started;
  char error[CURL_ERROR_SIZE] = {};

  ~Transfer() {
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

constexpr char kContentType[] = "Content-Type: application/json; charset=utf-8";
constexpr char kNoExpect[] = "Expect:";
constexpr std::string_view kSignaturePrefix = "Stripe-Signature: ";
constexpr int kMaxEvents = 256;  // socket events taken per epoll_wait

int64_t steady_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct HttpSender::Impl {
  Impl(HttpSenderOptions opts, Done done_callback, int wake)
      : options(std::move(opts)), done(std::move(done_callback)), wake_fd(wake) {
    global_init();
    raise_open_files_limit(options.open_files_wanted);
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd < 0) throw std::runtime_error("epoll_create1 failed");
    if (wake_fd >= 0) {
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.fd = wake_fd;
      if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &event) != 0) {
        close(epoll_fd);
        throw std::runtime_error("epoll_ctl on the wake fd failed");
      }
    }
    multi = curl_multi_init();
    if (multi == nullptr) {
      close(epoll_fd);
      throw std::runtime_error("curl_multi_init failed");
    }
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, options.max_host_connections);
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, options.max_cached_connections);
    curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, &on_socket);
    curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, &on_timer);
    curl_multi_setopt(multi, CURLMOPT_TIMERDATA, this);
  }

  ~Impl() {
    for (std::unique_ptr<Transfer>& transfer : active) {
      curl_multi_remove_handle(multi, transfer->easy);
    }
    active.clear();
    next.reset();
    idle.clear();  // easy handles before the multi handle
    curl_multi_cleanup(multi);
    close(epoll_fd);
  }

  // libcurl tells which socket to watch for what (CURLMOPT_SOCKETFUNCTION).
  static int on_socket(CURL*, curl_socket_t socket, int what, void* user, void* registered) {
    auto* self = static_cast<Impl*>(user);
    if (what == CURL_POLL_REMOVE) {
      epoll_ctl(self->epoll_fd, EPOLL_CTL_DEL, socket, nullptr);  // may be closed already
      return 0;
    }
    epoll_event event{};
    event.events = ((what & CURL_POLL_IN) != 0 ? EPOLLIN : 0u) |
                   ((what & CURL_POLL_OUT) != 0 ? EPOLLOUT : 0u);
    event.data.fd = socket;
    int op = registered != nullptr ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
    if (epoll_ctl(self->epoll_fd, op, socket, &event) != 0) {
      // The two may disagree once a socket number is closed and reused.
      op = op == EPOLL_CTL_ADD ? EPOLL_CTL_MOD : EPOLL_CTL_ADD;
      if (epoll_ctl(self->epoll_fd, op, socket, &event) != 0) return -1;
    }
    if (registered == nullptr) curl_multi_assign(self->multi, socket, self);
    return 0;
  }

  // libcurl's one timer (CURLMOPT_TIMERFUNCTION): -1 cancels it.
  static int on_timer(CURLM*, long timeout_ms, void* user) {
    auto* self = static_cast<Impl*>(user);
    self->timer_at_us = timeout_ms < 0 ? -1 : steady_us() + int64_t{timeout_ms} * 1000;
    return 0;
  }

  bool run_once(int64_t timeout_ms) {
    int64_t wait_ms = std::clamp<int64_t>(timeout_ms, 0, 60'000);
    if (timer_at_us >= 0) {
      wait_ms = std::min(wait_ms, std::max<int64_t>(0, (timer_at_us - steady_us() + 999) / 1000));
    }
    epoll_event events[kMaxEvents];
    const int count = epoll_wait(epoll_fd, events, kMaxEvents, static_cast<int>(wait_ms));
    bool woken = false;
    int running = 0;
    for (int i = 0; i < count; ++i) {
      const int fd = events[i].data.fd;
      const uint32_t ready = events[i].events;
      if (fd == wake_fd) {
        eventfd_t ignored = 0;
        eventfd_read(wake_fd, &ignored);
        woken = true;
        continue;
      }
      int action = 0;
      if ((ready & (EPOLLIN | EPOLLHUP)) != 0) action |= CURL_CSELECT_IN;
      if ((ready & EPOLLOUT) != 0) action |= CURL_CSELECT_OUT;
      if ((ready & EPOLLERR) != 0) action |= CURL_CSELECT_ERR;
      curl_multi_socket_action(multi, fd, action, &running);
    }
    if (timer_at_us >= 0 && steady_us() >= timer_at_us) {
      timer_at_us = -1;
      curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
    collect_done();
    return woken;
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
    transfer->headers[0].data = const_cast<char*>(kContentType);
    transfer->headers[1].next = &transfer->headers[2];
    transfer->headers[2].data = const_cast<char*>(kNoExpect);
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
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, &transfer->headers[0]);
    return transfer;
  }

  SendRequest& next_request() {
    if (!next) next = acquire();
    return next->request;
  }

  void start(uint64_t tag) {
    next_request();
    Transfer* transfer = next.get();
    transfer->tag = tag;
    transfer->response.clear();
    transfer->sockets_blocked = 0;
    transfer->sockets_opened = 0;
    transfer->reused_blocked = false;
    transfer->error[0] = '\0';
    transfer->started = std::chrono::steady_clock::now();

    const SendRequest& request = transfer->request;
    if (request.signature.empty()) {
      transfer->headers[0].next = &transfer->headers[2];
    } else {
      transfer->signature_line.assign(kSignaturePrefix).append(request.signature);
      transfer->headers[1].data = transfer->signature_line.data();
      transfer->headers[0].next = &transfer->headers[1];
    }
    CURL* easy = transfer->easy;
    curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(std::max<int64_t>(1, request.timeout_ms)));
    transfer->slot = active.size();
    active.push_back(std::move(next));
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
    result.response_excerpt = transfer->response;  // the buffer stays for the next request
    if (in_multi) curl_multi_remove_handle(multi, transfer->easy);
    const uint64_t tag = transfer->tag;
    // Out of the transfers in flight (the last takes its slot).
    std::unique_ptr<Transfer> owned = std::move(active[transfer->slot]);
    if (transfer->slot + 1 != active.size()) {
      active[transfer->slot] = std::move(active.back());
      active[transfer->slot]->slot = transfer->slot;
    }
    active.pop_back();
    transfer->request.body = std::string();  // frees the body now
    transfer->request.allowed_private.reset();
    if (idle.size() < options.max_idle_handles) idle.push_back(std::move(owned));
    owned.reset();
    done(tag, std::move(result));
  }

  HttpSenderOptions options;
  const Done done;
  const int wake_fd;
  int epoll_fd = -1;
  CURLM* multi = nullptr;
  int64_t timer_at_us = -1;  // steady us when libcurl's timer fires; -1: none
  std::unique_ptr<Transfer> next;  // the request being filled in
  std::vector<std::unique_ptr<Transfer>> active;
  std::vector<std::unique_ptr<Transfer>> idle;
};

HttpSender::HttpSender(HttpSenderOptions options, Done done, int wake_fd)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(done), wake_fd)) {}

HttpSender::~HttpSender() = default;

SendRequest& HttpSender::next_request() { return impl_->next_request(); }

void HttpSender::start(uint64_t tag) { impl_->start(tag); }

void HttpSender::send(SendRequest request, uint64_t tag) {
  impl_->next_request() = std::move(request);
  impl_->start(tag);
}

bool HttpSender::run_once(int64_t timeout_ms) { return impl_->run_once(timeout_ms); }

std::size_t HttpSender::in_flight() const { return impl_->active.size(); }

}  // namespace hookline::delivery
