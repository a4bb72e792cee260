#pragma once
// The HTTP sender: POSTs webhook bodies with libcurl's multi interface, driven
// by curl_multi_socket_action on an epoll loop that its owner's thread runs
// (run_once), so a request is started and its result handled on that thread,
// without a hop to another. Many requests are in flight at once, each bounded
// by its own timeout, so a slow endpoint never holds back the others;
// connections are kept alive and reused per host (the multi handle's
// connection cache), and easy handles are reused with their header list and
// buffers. Redirects are never followed (a 3xx is an answer like any other);
// no proxy from the environment is used; only http and https.
//
// Each request carries
//   Content-Type: application/json; charset=utf-8
//   User-Agent: <options.user_agent>
//   Stripe-Signature: <request.signature>
// (no `Expect: 100-continue`), and the body byte for byte.
//
// With `block_private_addresses`, the address actually connected to (after
// DNS, on a new or a reused connection) must be public (address_policy.hpp);
// otherwise nothing is sent and the result is "private_address_blocked".
//
// Thread safety: none; every call from the one thread that runs the loop
// (the wake fd is how other threads get its attention).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "delivery/target_allowlist.hpp"

namespace hookline::delivery {

struct SendRequest {
  std::string url;
  std::string body;       // kept by the sender until the result, never copied
  std::string signature;  // the Stripe-Signature header value
  bool block_private_addresses = false;
  // With block_private_addresses: private addresses that may be reached anyway.
  std::shared_ptr<const TargetAllowlist> allowed_private;
  int64_t timeout_ms = 30'000;  // the whole exchange: DNS, connect, TLS, request, answer
};

struct SendResult {
  int http_status = 0;  // 0: no HTTP answer, see error
  // Empty on an HTTP answer; else "timeout", "connection_refused",
  // "connection_reset", "dns_error", "private_address_blocked", "tls_error",
  // or "error: <libcurl's message>".
  std::string error;
  int64_t latency_us = 0;
  std::string response_excerpt;  // the first 4 KiB of the response body
};

struct HttpSenderOptions {
  std::string user_agent = "hookline/" HOOKLINE_VERSION;
  // Connections open at once to one host:port (requests beyond wait for one).
  long max_host_connections = 64;
  // Idle connections kept for reuse, over all hosts.
  long max_cached_connections = 1024;
  // Easy handles kept for reuse once their request is done.
  std::size_t max_idle_handles = 256;
  // Raises the process's soft limit on open files to this (within the hard
  // limit) if it is lower: every connection is a file descriptor.
  std::size_t open_files_wanted = 0;
};

class HttpSender {
 public:
  // Called on the loop's thread, from run_once(), once per request: the tag
  // given to start() and the result. It may start() other requests.
  using Done = std::function<void(uint64_t tag, SendResult result)>;

  // `wake_fd` (an eventfd, or -1): when it becomes readable, run_once()
  // returns early (and reads it, resetting it). The caller keeps it open.
  HttpSender(HttpSenderOptions options, Done done, int wake_fd = -1);
  // Requests still in flight are abandoned: their results are not reported.
  ~HttpSender();
  HttpSender(const HttpSender&) = delete;
  HttpSender& operator=(const HttpSender&) = delete;

  // The request the next start() sends: fill it in place (its url and
  // signature strings keep their capacity from earlier requests, so filling
  // them does not allocate once warm).
  SendRequest& next_request();
  // Sends next_request(); its result comes to `done` with `tag`.
  void start(uint64_t tag);
  // next_request() = request, then start(tag).
  void send(SendRequest request, uint64_t tag);

  // Waits up to `timeout_ms` (at most until libcurl's next timer) for socket
  // activity or the wake fd, drives the transfers, and reports the requests
  // that ended. Returns whether the wake fd fired.
  bool run_once(int64_t timeout_ms);

  // Requests started and not yet reported.
  std::size_t in_flight() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hookline::delivery
