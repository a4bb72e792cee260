#pragma once
// The open connections of the API server (HTTP sessions and listen
// WebSockets): counted for the connection cap, and reached at stop() to close
// them. No HTTP library.
//
// Thread-safe. Connections remove themselves when destroyed, which may be
// after the server is gone: they hold the registry by shared_ptr.
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace hookline::api {

class RegisteredConnection {
 public:
  virtual ~RegisteredConnection() = default;
  // Closes the connection's socket soon (from any thread).
  virtual void shut_down() = 0;
  // Called once the server's threads are all joined: last chance to run
  // what the stopped threads would have run. No other thread touches the
  // connection then.
  virtual void after_stop() {}
};

class ConnectionRegistry {
 public:
  explicit ConnectionRegistry(std::size_t max_connections) : max_(max_connections) {}

  // Whether a new connection would exceed the cap.
  bool full() const;
  // False (and nothing added) once stopping.
  bool add(const std::shared_ptr<RegisteredConnection>& connection);
  void remove(const RegisteredConnection* connection);
  bool stopping() const;
  // Refuses further connections and returns those still open.
  std::vector<std::shared_ptr<RegisteredConnection>> stop();
  // The connections still open.
  std::vector<std::shared_ptr<RegisteredConnection>> snapshot() const;

 private:
  const std::size_t max_;
  mutable std::mutex mutex_;
  std::unordered_map<const RegisteredConnection*, std::weak_ptr<RegisteredConnection>>
      open_;               // GUARDED_BY(mutex_)
  bool stopping_ = false;  // GUARDED_BY(mutex_)
};

}  // namespace hookline::api
