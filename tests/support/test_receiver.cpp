#include "test_receiver.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace hookline::testing {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

struct Script {
  std::vector<Reply> replies;
  std::size_t next = 0;
};

}  // namespace

Reply Reply::with_status(int status, std::string body) {
  Reply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

Reply Reply::delayed(int status, std::chrono::milliseconds delay) {
  Reply reply;
  reply.status = status;
  reply.delay = delay;
  return reply;
}

Reply Reply::redirect(std::string location, int status) {
  Reply reply;
  reply.status = status;
  reply.location = std::move(location);
  reply.body = "";
  return reply;
}

Reply Reply::never_answer() {
  Reply reply;
  reply.kind = Kind::kNeverAnswer;
  return reply;
}

Reply Reply::reset() {
  Reply reply;
  reply.kind = Kind::kReset;
  return reply;
}

std::string ReceivedRequest::header(const std::string& name) const {
  auto it = headers.find(lowercase(name));
  return it == headers.end() ? std::string() : it->second;
}

struct TestReceiver::Impl {
  Impl()
      : io(std::make_unique<asio::io_context>()),
        acceptor(std::make_unique<tcp::acceptor>(
            *io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0))) {
    port = acceptor->local_endpoint().port();
    asio::co_spawn(*io, accept_loop(), asio::detached);
    for (int i = 0; i < 2; ++i) threads.emplace_back([this] { io->run(); });
  }

  ~Impl() { stop(); }

  void stop() {
    std::lock_guard lock(stop_mutex);
    if (stopped) return;
    stopped = true;
    io->stop();
    for (std::thread& thread : threads) thread.join();
    acceptor.reset();
    // Destroying the context destroys every session, closing its connection.
    io.reset();
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      tcp::socket socket = co_await acceptor->async_accept(asio::use_awaitable);
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      connections.fetch_add(1);
      asio::co_spawn(io->get_executor(), session(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> session(tcp::socket socket) {
    boost::beast::flat_buffer buffer;
    try {
      for (;;) {
        http::request<http::string_body> request;
        co_await http::async_read(socket, buffer, request, asio::use_awaitable);
        const Reply reply = take_reply(record(request));
        switch (reply.kind) {
          case Reply::Kind::kNeverAnswer: {
            // Silent until the client gives up.
            char sink[1024];
            for (;;) co_await socket.async_read_some(asio::buffer(sink), asio::use_awaitable);
          }
          case Reply::Kind::kReset:
            socket.set_option(asio::socket_base::linger(true, 0));
            socket.close();
            co_return;
          case Reply::Kind::kAnswer:
            break;
        }
        if (reply.delay.count() > 0) {
          asio::steady_timer timer(socket.get_executor(), reply.delay);
          co_await timer.async_wait(asio::use_awaitable);
        }
        http::response<http::string_body> response;
        response.version(request.version());
        response.result(static_cast<unsigned>(reply.status));
        response.set(http::field::server, "hookline-test-receiver");
        response.set(http::field::content_type, "text/plain");
        if (!reply.location.empty()) response.set(http::field::location, reply.location);
        response.body() = reply.body;
        response.keep_alive(request.keep_alive());
        response.prepare_payload();
        co_await http::async_write(socket, response, asio::use_awaitable);
        if (!response.keep_alive()) {
          boost::system::error_code ignored;
          socket.shutdown(tcp::socket::shutdown_send, ignored);
          co_return;
        }
      }
    } catch (const std::exception&) {
      // The client closed the connection, or the receiver stopped.
    }
  }

  std::string record(const http::request<http::string_body>& request) {
    ReceivedRequest received;
    received.method = std::string(request.method_string());
    received.target = std::string(request.target());
    received.path = received.target.substr(0, received.target.find('?'));
    for (const auto& field : request) {
      std::string& value = received.headers[lowercase(std::string(field.name_string()))];
      if (!value.empty()) value += ", ";
      value += std::string(field.value());
    }
    received.body = request.body();
    received.received_at = std::chrono::steady_clock::now();
    std::string path = received.path;
    {
      std::lock_guard lock(mutex);
      requests.push_back(std::move(received));
    }
    arrived.notify_all();
    return path;
  }

  Reply take_reply(const std::string& path) {
    std::lock_guard lock(mutex);
    auto it = scripts.find(path);
    if (it == scripts.end() || it->second.replies.empty()) return Reply{};
    Script& script = it->second;
    const Reply reply = script.replies[std::min(script.next, script.replies.size() - 1)];
    ++script.next;
    return reply;
  }

  std::unique_ptr<asio::io_context> io;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  std::atomic<std::size_t> connections{0};

  std::mutex stop_mutex;
  bool stopped = false;  // GUARDED_BY(stop_mutex)

  mutable std::mutex mutex;
  mutable std::condition_variable arrived;
  std::map<std::string, Script> scripts;  // GUARDED_BY(mutex)
  std::vector<ReceivedRequest> requests;  // GUARDED_BY(mutex)
};

TestReceiver::TestReceiver() : impl_(std::make_shared<Impl>()) {}

TestReceiver::~TestReceiver() { stop(); }

uint16_t TestReceiver::port() const { return impl_->port; }

std::string TestReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(impl_->port) + path;
}

void TestReceiver::script(const std::string& path, std::vector<Reply> replies) {
  std::lock_guard lock(impl_->mutex);
  impl_->scripts[path] = Script{std::move(replies), 0};
}

std::vector<ReceivedRequest> TestReceiver::requests(const std::string& path) const {
  std::lock_guard lock(impl_->mutex);
  if (path.empty()) return impl_->requests;
  std::vector<ReceivedRequest> matching;
  for (const ReceivedRequest& request : impl_->requests) {
    if (request.path == path) matching.push_back(request);
  }
  return matching;
}

std::size_t TestReceiver::request_count(const std::string& path) const {
  std::lock_guard lock(impl_->mutex);
  if (path.empty()) return impl_->requests.size();
  return static_cast<std::size_t>(
      std::count_if(impl_->requests.begin(), impl_->requests.end(),
                    [&](const ReceivedRequest& request) { return request.path == path; }));
}

bool TestReceiver::wait_for_requests(const std::string& path, std::size_t count,
                                     std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->arrived.wait_for(lock, timeout, [&] {
    if (path.empty()) return impl_->requests.size() >= count;
    std::size_t seen = 0;
    for (const ReceivedRequest& request : impl_->requests) seen += request.path == path;
    return seen >= count;
  });
}

std::size_t TestReceiver::connection_count() const { return impl_->connections.load(); }

void TestReceiver::stop() { impl_->stop(); }

struct RefusingPort::Impl {
  asio::io_context io;
  tcp::acceptor acceptor{io};
};

RefusingPort::RefusingPort() : impl_(std::make_unique<Impl>()) {
  // Bound, never listening: the kernel answers a connection with a reset.
  impl_->acceptor.open(tcp::v4());
  impl_->acceptor.bind(tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
}

RefusingPort::~RefusingPort() = default;

uint16_t RefusingPort::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string RefusingPort::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port()) + path;
}

}  // namespace hookline::testing
