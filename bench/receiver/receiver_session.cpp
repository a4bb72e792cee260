#include "receiver_session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>

namespace bench {

namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {
constexpr std::size_t kBodyLimit = 16 << 20;
}

ReceiverSession::ReceiverSession(boost::asio::ip::tcp::socket socket, ReceiverState& state)
    : stream_(std::move(socket)), state_(state), delay_timer_(stream_.get_executor()) {}

void ReceiverSession::start() {
  // Run on the connection's strand from the first handler on.
  boost::asio::dispatch(stream_.get_executor(),
                        [self = shared_from_this()] { self->read_request(); });
}

void ReceiverSession::read_request() {
  parser_.emplace();
  parser_->body_limit(kBodyLimit);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void ReceiverSession::on_read(beast::error_code ec) {
  if (ec) return close();  // end of stream, reset, or a malformed request
  const int64_t arrival_ns = steady_now_ns();
  Request request = parser_->release();
  const std::string_view path = request.target();
  if (path.starts_with("/__")) return answer_control(request);

  state_.record_request(path, request.body(), arrival_ns);
  if (state_.behaviour().never_answer_paths.contains(std::string(path))) {
    // Hold the request unanswered; the next read ends when the client gives up.
    state_.record_never_answered();
    return read_request();
  }
  const bool keep_alive = request.keep_alive();
  if (state_.behaviour().delay_ms > 0) {
    delay_timer_.expires_after(std::chrono::milliseconds(state_.behaviour().delay_ms));
    delay_timer_.async_wait(
        [self = shared_from_this(), keep_alive](beast::error_code) { self->answer(keep_alive); });
    return;
  }
  answer(keep_alive);
}

// GET /__stats (JSON), GET /__count (the request count, as text, for shell
// scripts to poll), GET /__arrivals (text), POST /__reset.
void ReceiverSession::answer_control(const Request& request) {
  response_ = {};
  response_.version(request.version());
  response_.keep_alive(request.keep_alive());
  const std::string_view path = request.target();
  if (path == "/__stats") {
    response_.result(http::status::ok);
    response_.set(http::field::content_type, "application/json");
    response_.body() = state_.stats_json();
  } else if (path == "/__count") {
    response_.result(http::status::ok);
    response_.set(http::field::content_type, "text/plain");
    response_.body() = std::to_string(state_.request_count()) + "\n";
  } else if (path == "/__arrivals") {
    response_.result(http::status::ok);
    response_.set(http::field::content_type, "text/plain");
    response_.body() = state_.arrivals_text();
  } else if (path == "/__reset" && request.method() == http::verb::post) {
    state_.reset();
    response_.result(http::status::ok);
  } else {
    response_.result(http::status::not_found);
  }
  response_.prepare_payload();
  write_response();
}

void ReceiverSession::answer(bool keep_alive) {
  const bool failed = state_.draw_failure();
  response_ = {};
  response_.result(failed ? http::status::internal_server_error : http::status::ok);
  response_.keep_alive(keep_alive);
  response_.prepare_payload();
  state_.record_answer(failed);
  write_response();
}

void ReceiverSession::write_response() {
  http::async_write(
      stream_, response_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
}

void ReceiverSession::on_write(beast::error_code ec) {
  if (ec || !response_.keep_alive()) return close();
  read_request();
}

void ReceiverSession::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
}

}  // namespace bench
