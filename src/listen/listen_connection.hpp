#pragma once
// A `hookline listen` WebSocket connection as the listen hub sees it,
// independent of Beast: the API server owns the socket and adapts it to this.
#include <functional>
#include <memory>
#include <string>

namespace hookline {

class ListenConnection {
 public:
  virtual ~ListenConnection() = default;
  // Queues one text frame. Thread-safe; frames go out in the order queued.
  virtual void send_text(std::string message) = 0;
  // Closes the connection (on_close follows). Thread-safe, idempotent.
  virtual void close() = 0;
};

// Who opened the connection: resolved by the API server's authentication.
struct ListenClient {
  std::string account_id;  // the platform account (or a connected one via Stripe-Account)
  bool livemode = false;   // the key's mode
  std::string api_key;     // the key used (sessions' secrets are stable per key)
  std::string query;       // the raw query string of the upgrade request
};

struct ListenCallbacks {
  std::function<void(const std::string& text)> on_message;  // each text frame received
  std::function<void()> on_close;                           // once, when closed either way
};

// Installed in the API server; called for each authenticated upgrade of
// GET /v1/listen. Returns the callbacks for that connection.
using ListenAcceptor =
    std::function<ListenCallbacks(const ListenClient& client, std::shared_ptr<ListenConnection>)>;

}  // namespace hookline
