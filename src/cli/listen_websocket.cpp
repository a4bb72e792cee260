#include "cli/listen_websocket.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <iostream>
#include <optional>

namespace hookline::cli {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

namespace {

constexpr std::chrono::milliseconds kFirstBackoff{250};
constexpr std::chrono::milliseconds kMaxBackoff{5000};

// The message of a Stripe-shaped error body, or the body itself.
std::string error_message(const std::string& body) {
  boost::system::error_code ec;
  const boost::json::value parsed = boost::json::parse(body, ec);
  if (!ec && parsed.is_object()) {
    const auto* error = parsed.as_object().if_contains("error");
    if (error != nullptr && error->is_object()) {
      const auto* message = error->as_object().if_contains("message");
      if (message != nullptr && message->is_string()) return std::string(message->as_string());
    }
  }
  return body;
}

}  // namespace

class ListenWebSocket::Impl : public std::enable_shared_from_this<ListenWebSocket::Impl> {
 public:
  Impl(ListenTarget target, ListenEvents events)
      : target_(std::move(target)),
        events_(std::move(events)),
        resolver_(io_),
        reconnect_timer_(io_),
        signals_(io_, SIGINT, SIGTERM) {}

  int run() {
    auto url = boost::urls::parse_uri(target_.api_base);
    if (!url) return fatal("Invalid API base URL: " + target_.api_base);
    if (url->scheme() != "http") {
      return fatal("hookline listen connects over http:// (ws://); the API base is " +
                   target_.api_base);
    }
    host_ = url->host();
    port_ = url->has_port() ? std::string(url->port()) : "80";
    path_ = "/v1/listen?" + listen::encode_listen_query(target_.query);
    signals_.async_wait([self = shared_from_this()](beast::error_code ec, int) {
      if (!ec) self->do_stop();
    });
    connect();
    io_.run();
    return exit_code_;
  }

  void stop() {
    asio::post(io_, [self = shared_from_this()] { self->do_stop(); });
  }

  void send_result(const listen::ResultFrame& result, uint64_t generation) {
    asio::post(io_, [self = shared_from_this(), text = listen::to_text(result), generation] {
      if (generation != self->generation_ || !self->ready_ || self->stopping_) return;
      self->outbox_.push_back(text);
      if (self->outbox_.size() == 1) self->write_next();
    });
  }

  bool is_current(uint64_t generation) const { return generation == current_generation_.load(); }

 private:
  void connect() {
    ws_.emplace(io_);
    ready_ = false;
    resolver_.async_resolve(host_, port_,
                            [self = shared_from_this()](beast::error_code ec,
                                                        tcp::resolver::results_type results) {
                              if (ec) return self->lost(ec.message());
                              self->on_resolve(results);
                            });
  }

  void on_resolve(const tcp::resolver::results_type& results) {
    if (stopping_) return;
    beast::get_lowest_layer(*ws_).expires_after(std::chrono::seconds(10));
    beast::get_lowest_layer(*ws_).async_connect(
        results, [self = shared_from_this()](beast::error_code ec, tcp::endpoint) {
          if (ec) return self->lost(ec.message());
          self->on_connect();
        });
  }

  void on_connect() {
    if (stopping_) return;
    beast::get_lowest_layer(*ws_).expires_never();
    ws_->set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
    const std::string authorization = "Bearer " + target_.api_key;
    ws_->set_option(websocket::stream_base::decorator([authorization](websocket::request_type& req) {
      req.set(http::field::authorization, authorization);
      req.set(http::field::user_agent, std::string("hookline-cli/") + HOOKLINE_VERSION);
    }));
    ws_->read_message_max(64 * 1024 * 1024);
    handshake_response_.emplace();
    ws_->async_handshake(*handshake_response_, host_ + ":" + port_, path_,
                         [self = shared_from_this()](beast::error_code ec) {
                           self->on_handshake(ec);
                         });
  }

  void on_handshake(beast::error_code ec) {
    if (stopping_) return;
    if (ec == websocket::error::upgrade_declined) {
      const auto& response = *handshake_response_;
      std::string message = error_message(response.body());
      if (message.empty()) message = "the server declined the listen session";
      std::string hint;
      if (response.result() == http::status::unauthorized) {
        hint = " (Check HOOKLINE_API_KEY / --api-key: use a secret key of this server.)";
      } else if (response.result() == http::status::not_found) {
        hint = " (Does this server support hookline listen?)";
      }
      return void(fatal("hookline refused the listen session: " + message + " [HTTP " +
                        std::to_string(response.result_int()) + "]" + hint));
    }
    if (ec) return lost(ec.message());
    read_next();
  }

  void read_next() {
    ws_->async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_read(ec);
    });
  }

  void on_read(beast::error_code ec) {
    if (stopping_) return;
    if (ec) return lost(ec == websocket::error::closed ? "the server closed the session"
                                                       : ec.message());
    const std::string text = beast::buffers_to_string(buffer_.data());
    buffer_.consume(buffer_.size());
    auto frame = listen::parse_server_frame(text);
    if (frame) {
      if (auto* ready = std::get_if<listen::ReadyFrame>(&*frame)) {
        ready_ = true;
        backoff_ = kFirstBackoff;
        ++generation_;
        current_generation_ = generation_;
        if (events_.on_ready) events_.on_ready(*ready, was_ready_);
        was_ready_ = true;
      } else if (auto* delivery = std::get_if<listen::DeliveryFrame>(&*frame)) {
        if (events_.on_delivery) events_.on_delivery(std::move(*delivery), generation_);
      } else if (auto* error = std::get_if<listen::ErrorFrame>(&*frame)) {
        return void(fatal("hookline ended the listen session: " + error->message));
      }
    }
    read_next();
  }

  void write_next() {
    ws_->text(true);
    ws_->async_write(asio::buffer(outbox_.front()),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->outbox_.pop_front();
                       if (ec || self->stopping_) {
                         // The read side notices the loss; what was queued is for the
                         // lost connection, whose deliveries the server has failed.
                         self->outbox_.clear();
                         return;
                       }
                       if (!self->outbox_.empty()) self->write_next();
                     });
  }

  // The connection failed or broke: reconnect with backoff, unless it never
  // worked at all (then the server is simply not there: say so and stop).
  void lost(const std::string& reason) {
    if (stopping_) return;
    const bool was_ready_now = ready_;
    ready_ = false;
    current_generation_ = 0;
    if (ws_) beast::get_lowest_layer(*ws_).close();
    if (!was_ready_) {
      fatal("Could not connect to hookline at " + target_.api_base + " (" + reason +
            "). Is `hookline serve` running? Set HOOKLINE_API_BASE or --api-base if it "
            "listens elsewhere.");
      return;
    }
    if (was_ready_now && events_.on_lost) events_.on_lost(reason);
    reconnect_timer_.expires_after(backoff_);
    backoff_ = std::min(backoff_ * 2, kMaxBackoff);
    reconnect_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->stopping_) return;
      self->connect();
    });
  }

  int fatal(const std::string& message) {
    std::cerr << "Error: " << message << std::endl;
    exit_code_ = 1;
    shutdown();
    return exit_code_;
  }

  void do_stop() {
    if (stopping_) return;
    shutdown();
  }

  void shutdown() {
    stopping_ = true;
    current_generation_ = 0;
    signals_.cancel();
    reconnect_timer_.cancel();
    resolver_.cancel();
    if (ws_ && ws_->is_open() && ready_) {
      // A clean close, bounded in time.
      beast::get_lowest_layer(*ws_).expires_after(std::chrono::seconds(2));
      ws_->async_close(websocket::close_code::normal,
                       [self = shared_from_this()](beast::error_code) {
                         beast::get_lowest_layer(*self->ws_).close();
                       });
    } else {
      // Nothing to close cleanly. The stream may still hold a handshake timer
      // (30 s) that would keep run() going: stop the loop now.
      if (ws_) beast::get_lowest_layer(*ws_).close();
      io_.stop();
    }
  }

  ListenTarget target_;
  ListenEvents events_;
  asio::io_context io_;
  tcp::resolver resolver_;
  asio::steady_timer reconnect_timer_;
  asio::signal_set signals_;
  std::optional<websocket::stream<beast::tcp_stream>> ws_;
  std::optional<websocket::response_type> handshake_response_;
  beast::flat_buffer buffer_;
  std::deque<std::string> outbox_;
  std::string host_, port_, path_;
  std::chrono::milliseconds backoff_ = kFirstBackoff;
  bool ready_ = false;      // the current connection got its ready frame
  bool was_ready_ = false;  // some connection ever did
  bool stopping_ = false;
  int exit_code_ = 0;
  uint64_t generation_ = 0;  // counts ready connections; io thread only
  std::atomic<uint64_t> current_generation_{0};  // generation_ while ready, else 0
};

ListenWebSocket::ListenWebSocket(ListenTarget target, ListenEvents events)
    : impl_(std::make_shared<Impl>(std::move(target), std::move(events))) {}

ListenWebSocket::~ListenWebSocket() = default;

int ListenWebSocket::run() { return impl_->run(); }
void ListenWebSocket::stop() { impl_->stop(); }
void ListenWebSocket::send_result(const listen::ResultFrame& result, uint64_t generation) {
  impl_->send_result(result, generation);
}
bool ListenWebSocket::is_current(uint64_t generation) const {
  return impl_->is_current(generation);
}

}  // namespace hookline::cli
