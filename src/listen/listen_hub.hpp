#pragma once
// The server end of `hookline listen`: accepts listen WebSockets (through the
// API server's ListenAcceptor), keeps each session's webhook endpoints, and
// delivers to a session what the dispatcher routes to those endpoints.
//
// A session (one API key) has webhook endpoints with listen_session = true:
// an account endpoint (connect = false) owned by the key's account, and, for
// the platform's key, a Connect endpoint (connect = true); test mode, plus
// live mode with `--live` (a live key only). Their enabled_events are the
// CLI's --events. They are created on first connect and re-enabled on later
// ones; their ids and their signing secret are kept per key (a setting keyed
// by a hash of the key), so the secret stays the same from run to run.
//
// Several sessions of one key (two terminals, or `listen --print-secret` while
// a `listen` runs) share those endpoints: each gets the events its own
// --events asks for (the endpoints' enabled_events are the union of the open
// sessions'), and a delivery completes with the first result any of them
// reports. When the last session of a key closes, the endpoints are disabled,
// so routing stops owing them deliveries.
//
// Thread safety: every method may be called from any thread.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "listen/listen_connection.hpp"
#include "store/store.hpp"

namespace hookline {

// One delivery to a listen session's endpoint, as the dispatcher hands it over.
struct ListenDelivery {
  int64_t delivery_id = 0;
  std::string event_id;
  std::string event_type;
  bool livemode = false;
  std::string body;  // the exact event body
  WebhookEndpoint endpoint;  // a listen_session endpoint; its secrets sign the body
};

// What became of it: the CLI's report of the local server's answer, or why
// there was none ("listen_session_disconnected", "timeout", or the CLI's error).
struct ListenOutcome {
  int http_status = 0;  // 0: no HTTP answer
  std::string error;
  int64_t latency_us = 0;
};

struct ListenHubOptions {
  // How long the hub waits for the CLI's result once a delivery is sent.
  std::chrono::milliseconds result_timeout{60'000};
};

class ListenHub {
 public:
  ListenHub(Store& store, Clock& clock, ListenHubOptions options = {});
  ~ListenHub();  // fails what is still waiting (listen_session_disconnected)
  ListenHub(const ListenHub&) = delete;
  ListenHub& operator=(const ListenHub&) = delete;

  // Install in the API server (ApiServer's listen acceptor). The returned
  // function refers to this hub, which must outlive the server's connections.
  ListenAcceptor acceptor();

  // Sends `delivery` to the session connected for its endpoint and calls
  // `done` exactly once: with the CLI's result, or with an error when no
  // session is connected for the endpoint, it disconnects first, or the
  // result does not come within result_timeout. Frames go to a session in the
  // order of the calls. `done` may run on the calling thread.
  void deliver(ListenDelivery delivery, std::function<void(ListenOutcome)> done);

  // The number of connected sessions (for tests and status).
  std::size_t session_count() const;

 private:
  struct Session;
  // One delivery, sent to one or more sessions: `done` is called once.
  struct Waiter {
    std::function<void(ListenOutcome)> done;  // empty once called
    int frames_unanswered = 0;
  };
  struct Pending {
    std::shared_ptr<Session> session;
    std::shared_ptr<Waiter> waiter;
    std::chrono::steady_clock::time_point deadline;
  };
  using SessionList = std::vector<std::shared_ptr<Session>>;

  ListenCallbacks accept(const ListenClient& client, std::shared_ptr<ListenConnection> connection);
  void on_message(const std::shared_ptr<Session>& session, const std::string& text);
  void on_close(const std::shared_ptr<Session>& session);
  void expire_loop();
  // One frame of `waiter` is settled with `outcome` (an answer from the CLI if
  // `answered`, else a loss): the callback to run now if that completes the
  // delivery, else an empty function. Called under mutex_.
  static std::function<void()> settle(Waiter& waiter, ListenOutcome outcome, bool answered);

  Store& store_;
  Clock& clock_;
  ListenHubOptions options_;
  // Serializes opening and closing sessions: the sessions of a key share records.
  std::mutex setup_mutex_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  // endpoint id -> the open sessions delivering it, oldest first.
  std::map<std::string, SessionList> by_endpoint_;  // GUARDED_BY(mutex_)
  // key and account -> its open sessions, oldest first.
  std::map<std::string, SessionList> by_key_;     // GUARDED_BY(mutex_)
  std::map<std::string, Pending> pending_;        // GUARDED_BY(mutex_), by frame id
  uint64_t next_frame_id_ = 1;                    // GUARDED_BY(mutex_)
  std::size_t sessions_ = 0;                      // GUARDED_BY(mutex_)
  bool stopping_ = false;                         // GUARDED_BY(mutex_)
  std::thread expirer_;
};

}  // namespace hookline
