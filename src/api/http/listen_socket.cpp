#include "api/http/listen_socket.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket.hpp>
#include <deque>
#include <optional>
#include <string>

#include "api/http/client_address.hpp"

namespace hookline::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

namespace {

constexpr std::size_t kMaxMessageBytes = 1 << 20;
constexpr std::chrono::seconds kHandshakeTimeout{30};

class ListenSocket : public ListenConnection,
                     public RegisteredConnection,
                     public std::enable_shared_from_this<ListenSocket> {
 public:
  ListenSocket(beast::tcp_stream stream, ListenClient client, const ListenSocketSetup& setup)
      : ws_(std::in_place, std::move(stream)),
        executor_(ws_->get_executor()),
        callbacks_strand_(std::in_place, asio::make_strand(setup.workers)),
        acceptor_(setup.acceptor),
        client_(std::move(client)),
        registry_(setup.registry) {
    websocket::stream_base::timeout timeout;
    timeout.handshake_timeout = kHandshakeTimeout;
    timeout.idle_timeout = setup.idle_timeout;
    timeout.keep_alive_pings = true;
    ws_->set_option(timeout);
    ws_->read_message_max(kMaxMessageBytes);
  }

  ~ListenSocket() override { registry_->remove(this); }

  // On the stream's strand.
  void start(http::request<http::string_body> request) {
    if (!registry_->add(shared_from_this(),
                        client_address(beast::get_lowest_layer(*ws_).socket()))) {
      return lose();
    }
    beast::get_lowest_layer(*ws_).expires_never();
    request_ = std::move(request);
    accepting_ = true;
    ws_->async_accept(request_, [self = shared_from_this()](beast::error_code ec) {
      self->accepting_ = false;
      self->on_accept(ec);
    });
  }

  void send_text(std::string message) override {
    if (detached_) return;
    asio::post(executor_, [self = shared_from_this(), message = std::move(message)]() mutable {
      if (self->lost_ || self->close_requested_) return;
      self->outbox_.push_back(std::move(message));
      if (!self->writing_) self->write_next();
    });
  }

  void close() override {
    if (detached_) return;
    asio::post(executor_, [self = shared_from_this()] {
      if (self->lost_ || self->close_requested_) return;
      self->close_requested_ = true;
      if (!self->writing_) self->start_close();
    });
  }

  void shut_down() override {
    asio::post(executor_, [self = shared_from_this()] { self->lose(); });
  }

  // The I/O threads and the workers have ended. The hub may keep this object
  // longer than the server lives: what refers to the server's I/O context and
  // pool (the stream, both strands) goes now.
  void after_stop() override {
    detached_ = true;
    ws_.reset();
    executor_ = {};
    callbacks_strand_.reset();
    if (accepted_) fire_on_close();
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec || lost_) return lose();  // the hub never saw it
    accepted_ = true;
    asio::post(*callbacks_strand_, [self = shared_from_this()] {
      try {
        self->callbacks_ = self->acceptor_(self->client_, self);
      } catch (const std::exception& e) {
        spdlog::error("listen: accepting a session failed: {}", e.what());
        self->close();
      }
    });
    read_next();
  }

  void read_next() {
    reading_ = true;
    ws_->async_read(read_buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->reading_ = false;
      self->on_read(ec);
    });
  }

  void on_read(beast::error_code ec) {
    if (ec || lost_) return lose();
    std::string text = beast::buffers_to_string(read_buffer_.data());
    read_buffer_.consume(read_buffer_.size());
    asio::post(*callbacks_strand_, [self = shared_from_this(), text = std::move(text)] {
      if (!self->callbacks_.on_message) return;
      try {
        self->callbacks_.on_message(text);
      } catch (const std::exception& e) {
        spdlog::error("listen: handling a frame failed: {}", e.what());
      }
    });
    read_next();
  }

  void write_next() {
    writing_ = true;
    ws_->text(true);
    ws_->async_write(asio::buffer(outbox_.front()),
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      self->writing_ = false;
                      if (ec || self->lost_) return self->lose();
                      self->outbox_.pop_front();
                      if (!self->outbox_.empty()) return self->write_next();
                      if (self->close_requested_) self->start_close();
                    });
  }

  // After the frames queued before close(): the read side sees the end.
  void start_close() {
    closing_ = true;
    ws_->async_close(websocket::close_code::normal,
                     [self = shared_from_this()](beast::error_code ec) {
                       self->closing_ = false;
                       if (ec || self->lost_) self->lose();
                     });
  }

  // The connection is over: close the socket, tell the hub (once), and drop
  // the stream when its last operation has ended. Destroying the stream is
  // what stops its ping timer, which would otherwise hold the I/O threads.
  void lose() {
    if (!lost_) {
      lost_ = true;
      outbox_.clear();
      beast::get_lowest_layer(*ws_).close();
      if (accepted_) {
        asio::post(*callbacks_strand_, [self = shared_from_this()] { self->fire_on_close(); });
      }
    }
    if (ws_ && !accepting_ && !reading_ && !writing_ && !closing_) ws_.reset();
  }

  // On the callbacks strand (or after stop): after every on_message.
  void fire_on_close() {
    if (on_close_fired_.exchange(true)) return;
    ListenCallbacks callbacks = std::move(callbacks_);
    callbacks_ = {};  // they hold the hub's session, which holds this connection
    if (!callbacks.on_close) return;
    try {
      callbacks.on_close();
    } catch (const std::exception& e) {
      spdlog::error("listen: closing a session failed: {}", e.what());
    }
  }

  std::optional<websocket::stream<beast::tcp_stream>> ws_;  // reset once lost and idle
  asio::any_io_executor executor_;  // the stream's strand; empty after stop
  std::optional<asio::strand<asio::thread_pool::executor_type>> callbacks_strand_;
  ListenAcceptor acceptor_;
  const ListenClient client_;
  std::shared_ptr<ConnectionRegistry> registry_;
  http::request<http::string_body> request_;
  beast::flat_buffer read_buffer_;
  std::deque<std::string> outbox_;
  // On the stream's strand:
  bool accepting_ = false;
  bool reading_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool close_requested_ = false;
  bool lost_ = false;
  bool accepted_ = false;
  // On the callbacks strand:
  ListenCallbacks callbacks_;
  std::atomic<bool> on_close_fired_{false};
  std::atomic<bool> detached_{false};  // the server stopped: no more posting
};

}  // namespace

void start_listen_socket(beast::tcp_stream stream, http::request<http::string_body> request,
                         ListenClient client, const ListenSocketSetup& setup) {
  auto socket = std::make_shared<ListenSocket>(std::move(stream), std::move(client), setup);
  socket->start(std::move(request));
}

}  // namespace hookline::api
