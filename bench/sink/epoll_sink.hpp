#pragma once
// The cheapest HTTP/1.1 receiver this machine can run: one thread, one epoll
// set, keep-alive, no framework. Each request is read just far enough to find
// its end (request_scanner.hpp), counted, and answered 200 with an empty body;
// pipelined requests get their answers in one write. GET /count answers the
// number of requests counted so far. The second reference of the benchmarks,
// beside bench_receiver: the distance to the machine's limit.
#include <cstdint>
#include <string>
#include <unordered_map>

namespace bench {

class EpollSink {
 public:
  // Listens on host:port (0: a free port picked by the system).
  // Throws std::system_error if it cannot.
  EpollSink(const std::string& host, uint16_t port);
  ~EpollSink();
  EpollSink(const EpollSink&) = delete;
  EpollSink& operator=(const EpollSink&) = delete;

  uint16_t port() const { return port_; }
  // Serves until stop() (or an epoll error, which throws).
  void run();
  // Makes run() return; may be called from any thread.
  void stop();

 private:
  struct Connection {
    std::string in;
    std::string out;
    bool close_after_write = false;
    bool watching_writes = false;  // EPOLLOUT is in the set: a write is waiting for room
  };
  void accept_all();
  void on_readable(int fd, Connection& connection);
  // Writes what is owed; false when the connection is to be closed.
  bool flush(int fd, Connection& connection);
  void close_connection(int fd);
  void watch_writes(int fd, Connection& connection, bool on);

  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int stop_fd_ = -1;  // an eventfd in the epoll set
  uint16_t port_ = 0;
  uint64_t count_ = 0;
  std::unordered_map<int, Connection> connections_;
};

}  // namespace bench
