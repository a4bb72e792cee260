#pragma once
// The CLI end of a `hookline listen` session: a WebSocket to GET /v1/listen
// (Boost.Beast, in listen_websocket.cpp only) that reconnects with backoff
// when the server goes away, and stops on SIGINT/SIGTERM.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "listen/listen_protocol.hpp"

namespace hookline::cli {

struct ListenTarget {
  std::string api_base;  // http://host:port (https is not supported by listen)
  std::string api_key;
  listen::ListenQuery query;
};

// Every callback runs on the thread inside run(); none may block for long.
struct ListenEvents {
  // The session is ready; `reconnected` is false the first time.
  std::function<void(const listen::ReadyFrame&, bool reconnected)> on_ready;
  // A delivery of connection number `generation` (see send_result).
  std::function<void(listen::DeliveryFrame, uint64_t generation)> on_delivery;
  // The connection was lost after it was ready; a reconnection follows.
  std::function<void(const std::string& reason)> on_lost;
};

class ListenWebSocket {
 public:
  ListenWebSocket(ListenTarget target, ListenEvents events);
  ~ListenWebSocket();
  ListenWebSocket(const ListenWebSocket&) = delete;
  ListenWebSocket& operator=(const ListenWebSocket&) = delete;

  // Connects and runs until stop(), a signal, or a fatal error: the server
  // refused the key, sent an error frame, or could not be reached before the
  // session was ever ready. Returns 0 after stop() or a signal; else prints
  // the reason on stderr and returns 1.
  int run();
  // Thread-safe. Ends run() (closing the WebSocket cleanly).
  void stop();
  // Thread-safe. Sends a result frame if connection `generation` is still the
  // current one (the server fails the deliveries of a lost connection itself).
  void send_result(const listen::ResultFrame& result, uint64_t generation);
  // Thread-safe: whether `generation` is the live connection.
  bool is_current(uint64_t generation) const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace hookline::cli
