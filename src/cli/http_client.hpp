#pragma once
// One HTTP request with libcurl's easy interface: what `send`, `listen`'s
// forwarding and the API client share. Redirects are never followed.
#include <atomic>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace hookline::cli {

struct HttpRequest {
  std::string method = "GET";  // GET, POST, DELETE
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{30'000};  // the whole exchange
  bool skip_tls_verify = false;
  // When set and it becomes true, the request is abandoned (error "aborted").
  const std::atomic<bool>* cancel = nullptr;
};

struct HttpResponse {
  int status = 0;     // 0: no HTTP answer (see error)
  std::string error;  // empty when an answer came; else libcurl's description
  bool timed_out = false;
  bool connection_refused = false;
  std::string body;
  std::chrono::microseconds latency{0};
};

// Blocks until the answer, a failure or the timeout. Never throws for network
// errors (they are reported in the response). Thread-safe.
HttpResponse send_http_request(const HttpRequest& request);

// "localhost:4242/webhook" -> "http://localhost:4242/webhook"; a URL with a
// scheme is returned as given.
std::string with_default_scheme(const std::string& url);

}  // namespace hookline::cli
