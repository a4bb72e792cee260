#pragma once
// The open connections of the API server (HTTP sessions and listen
// WebSockets): counted for the connection caps (in all, and per client
// address, so that one client cannot take every slot), and reached at stop()
// to close them. No HTTP library.
//
// Thread-safe. Connections remove themselves when destroyed, which may be
// after the server is gone: they hold the registry by shared_ptr.
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
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
  ConnectionRegistry(std::size_t max_connections, std::size_t max_per_client)
      : max_(max_connections), max_per_client_(max_per_client) {}

  // Whether a new connection would exceed the cap.
  bool full() const;
  // False (and nothing added) once stopping, or when `client` (its address)
  // already has its share of connections open.
  bool add(const std::shared_ptr<RegisteredConnection>& connection, const std::string& client);
  void remove(const RegisteredConnection* connection);
  bool stopping() const;
  // Refuses further connections and returns those still open.
  std::vector<std::shared_ptr<RegisteredConnection>> stop();
  // The connections still open.
  std::vector<std::shared_ptr<RegisteredConnection>> snapshot() const;

 private:
  struct Entry {
    std::weak_ptr<RegisteredConnection> connection;
    std::string client;
  };

  const std::size_t max_;
  const std::size_t max_per_client_;
  mutable std::mutex mutex_;
  std::unordered_map<const RegisteredConnection*, Entry> open_;  // GUARDED_BY(mutex_)
  std::unordered_map<std::string, std::size_t> per_client_;      // GUARDED_BY(mutex_)
  bool stopping_ = false;  // GUARDED_BY(mutex_)
};

}  // namespace hookline::api
