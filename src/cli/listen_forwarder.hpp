#pragma once
// Forwards the deliveries of a listen session to the local server, one at a
// time in arrival order (so events reach the receiver in the order the server
// sent them: the order it created them while the session keeps up), and prints
// a line per event and per response as the Stripe CLI does:
//   2026-01-01 12:00:00   --> connect payment_intent.succeeded [evt_…]
//   2026-01-01 12:00:00  <--  [200] POST http://localhost:4242/connect_webhook [evt_…]
// With JSON output, each event body is printed on its own line instead.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "cli/header_flags.hpp"
#include "cli/listen_routes.hpp"
#include "listen/listen_protocol.hpp"

namespace hookline::cli {

struct ForwardOptions {
  // Each event goes to every route that matches it (listen_routes.hpp); with
  // none, it is only printed and acknowledged.
  std::vector<ForwardRoute> routes;
  int timeout_seconds = 30;
  bool skip_verify = false;
  bool print_json = false;
};

class ListenForwarder {
 public:
  // `report` receives each delivery's outcome with its generation;
  // `is_current` tells whether a generation's connection is still live
  // (deliveries of a lost connection are dropped: the server retries them).
  ListenForwarder(ForwardOptions options,
                  std::function<void(const listen::ResultFrame&, uint64_t)> report,
                  std::function<bool(uint64_t)> is_current);
  ~ListenForwarder();  // stops: abandons a forward in progress, joins the worker

  // Thread-safe; returns at once.
  void enqueue(listen::DeliveryFrame delivery, uint64_t generation);

 private:
  void work();
  void forward(const listen::DeliveryFrame& delivery, uint64_t generation);
  // POSTs the delivery to one route; prints the answer line.
  listen::ResultFrame post(const listen::DeliveryFrame& delivery, const ForwardRoute& route);

  ForwardOptions options_;
  std::function<void(const listen::ResultFrame&, uint64_t)> report_;
  std::function<bool(uint64_t)> is_current_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<listen::DeliveryFrame, uint64_t>> queue_;  // GUARDED_BY(mutex_)
  std::atomic<bool> stopping_{false};
  std::thread worker_;
};

}  // namespace hookline::cli
