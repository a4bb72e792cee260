#include "epoll_sink.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <string_view>
#include <system_error>

#include "request_scanner.hpp"

namespace bench {

namespace {

constexpr std::string_view kOk = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
constexpr std::string_view kOkClose =
    "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

EpollSink::EpollSink(const std::string& host, uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    throw std::system_error(EINVAL, std::generic_category(), "not an IPv4 address: " + host);
  }
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw_errno("socket");
  const int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    throw_errno("bind");
  }
  if (listen(listen_fd_, SOMAXCONN) != 0) throw_errno("listen");
  socklen_t length = sizeof address;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epoll_fd_ < 0) throw_errno("epoll_create1");
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = listen_fd_;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &event) != 0) throw_errno("epoll_ctl");
  stop_fd_ = eventfd(0, EFD_CLOEXEC);
  if (stop_fd_ < 0) throw_errno("eventfd");
  event.data.fd = stop_fd_;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, stop_fd_, &event) != 0) throw_errno("epoll_ctl");
}

EpollSink::~EpollSink() {
  for (const auto& [fd, connection] : connections_) close(fd);
  if (stop_fd_ >= 0) close(stop_fd_);
  if (epoll_fd_ >= 0) close(epoll_fd_);
  if (listen_fd_ >= 0) close(listen_fd_);
}

void EpollSink::run() {
  std::array<epoll_event, 256> events{};
  for (;;) {
    const int ready = epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      throw_errno("epoll_wait");
    }
    for (int i = 0; i < ready; ++i) {
      const int fd = events[i].data.fd;
      if (fd == stop_fd_) return;
      if (fd == listen_fd_) {
        accept_all();
        continue;
      }
      const auto found = connections_.find(fd);
      if (found == connections_.end()) continue;
      // Bytes that arrived before a hang-up are still read (the read then sees its end).
      if (events[i].events & EPOLLIN) {
        on_readable(fd, found->second);
      } else if (events[i].events & (EPOLLERR | EPOLLHUP)) {
        close_connection(fd);
      } else if ((events[i].events & EPOLLOUT) && !flush(fd, found->second)) {
        close_connection(fd);
      }
    }
  }
}

void EpollSink::stop() {
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = write(stop_fd_, &one, sizeof one);
}

void EpollSink::accept_all() {
  for (;;) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;  // EAGAIN: all taken; anything else: the client gave up
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) != 0) {
      close(fd);
      continue;
    }
    connections_.emplace(fd, Connection{});
  }
}

void EpollSink::on_readable(int fd, Connection& connection) {
  char buffer[64 * 1024];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  if (n <= 0) {
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    return close_connection(fd);  // end of stream or a reset
  }
  connection.in.append(buffer, static_cast<std::size_t>(n));
  std::size_t used = 0;
  while (!connection.close_after_write) {
    const ScannedRequest request = scan_request(std::string_view(connection.in).substr(used));
    if (request.status == ScannedRequest::Status::kIncomplete) break;
    if (request.status == ScannedRequest::Status::kInvalid) return close_connection(fd);
    used += request.length;
    if (request.is_count) {
      const std::string body = std::to_string(count_);
      connection.out += "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                        std::to_string(body.size()) + "\r\n\r\n" + body;
    } else {
      ++count_;
      connection.out += request.close ? kOkClose : kOk;
    }
    connection.close_after_write = request.close;
  }
  connection.in.erase(0, used);
  if (!flush(fd, connection)) close_connection(fd);
}

bool EpollSink::flush(int fd, Connection& connection) {
  while (!connection.out.empty()) {
    const ssize_t n = send(fd, connection.out.data(), connection.out.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) return false;
      watch_writes(fd, connection, true);
      return true;
    }
    connection.out.erase(0, static_cast<std::size_t>(n));
  }
  watch_writes(fd, connection, false);
  return !connection.close_after_write;
}

void EpollSink::watch_writes(int fd, Connection& connection, bool on) {
  if (connection.watching_writes == on) return;
  connection.watching_writes = on;
  epoll_event event{};
  event.events = on ? EPOLLIN | EPOLLOUT : EPOLLIN;
  event.data.fd = fd;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, fd, &event);
}

void EpollSink::close_connection(int fd) {
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
  close(fd);
  connections_.erase(fd);
}

}  // namespace bench
