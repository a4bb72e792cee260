#pragma once
// The HTTP front of hookline, on Boost.Beast: the Stripe-compatible API under
// /v1 (authentication, Stripe-Account, form decoding, idempotency keys,
// Stripe-shaped errors, Request-Id), the `hookline listen` WebSocket at
// /v1/listen, GET /healthz and GET /metrics; with limits on body and header
// sizes, idle and slow requests, and the number of connections.
//
// Beast and Asio stay inside api_server.cpp (and the few files it needs).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "api/api_context.hpp"
#include "listen/listen_connection.hpp"

namespace hookline::api {

struct ApiServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 7420;  // 0: any free port (see port())
  int threads = 2;           // I/O threads (never block)
  // Threads that run the handlers: a call may block on the store (an event
  // publish does not wait for its group commit: its completion answers).
  int handler_threads = 64;
  std::size_t max_body_bytes = 1 << 20;    // 413 beyond
  std::size_t max_header_bytes = 16 << 10;  // 431 beyond
  std::size_t max_connections = 4096;      // further connections are closed at once
  // Open connections (listen sessions included) of one client address.
  std::size_t max_connections_per_client = 256;
  int idle_timeout_seconds = 75;  // keep-alive connection with no request, after its first
  // A new connection must have sent a whole request head by then, and so must
  // any request from its first byte: silent and slow clients do not keep slots.
  int request_head_timeout_seconds = 10;
  int request_timeout_seconds = 30;  // to receive one whole request, body included
  // Requests a second per API key before 429 rate_limit (`serve --rate-limit`); 0: off.
  int rate_limit_per_second = 0;
};

// Answers one authenticated call under /v1 or /oauth/ (handle_call by default).
using CallHandler = std::function<ApiResponse(const ApiCall&)>;

class ApiServer {
 public:
  // `listen_acceptor` handles authenticated upgrades of GET /v1/listen; empty:
  // 404 there. Calls are answered by handle_call(context, call).
  ApiServer(ApiContext& context, ApiServerOptions options, ListenAcceptor listen_acceptor = {});
  // The same with another call handler (tests of the transport).
  ApiServer(ApiContext& context, ApiServerOptions options, ListenAcceptor listen_acceptor,
            CallHandler handler);
  ~ApiServer();  // stop()
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds and starts serving on its threads. Throws std::runtime_error if the
  // address cannot be bound.
  void start();
  uint16_t port() const;  // the bound port, after start()
  // Stops accepting, closes connections (listen sessions included), joins.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hookline::api
