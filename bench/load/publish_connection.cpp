#include "publish_connection.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>
#include <chrono>

#include "event_request_body.hpp"

namespace bench {

namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string event_id_of(const std::string& body) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(body, ec);
  if (ec || !value.is_object()) return {};
  const auto* id = value.as_object().if_contains("id");
  return id != nullptr && id->is_string() ? std::string(id->as_string()) : std::string();
}

PublishedEvent started_event(int64_t index) {
  PublishedEvent event;
  event.index = index;
  event.send_ns = now_ns();
  return event;
}

}  // namespace

PublishConnection::PublishConnection(boost::asio::any_io_executor executor,
                                     const PublishOptions& options,
                                     boost::asio::ip::tcp::endpoint server, PublishRun& run)
    : stream_(executor), options_(options), server_(server), run_(run), timer_(executor) {}

void PublishConnection::start() {
  boost::asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->send_next(); });
}

void PublishConnection::send_next() {
  const auto next = run_.take_next(now_ns());
  if (!next) return finish();
  const int64_t wait_ns = next->due_ns - now_ns();
  if (wait_ns <= 0) return connect_and_send(next->index);
  timer_.expires_after(std::chrono::nanoseconds(wait_ns));
  timer_.async_wait([self = shared_from_this(), index = next->index](beast::error_code) {
    self->connect_and_send(index);
  });
}

void PublishConnection::connect_and_send(int64_t index) {
  if (connected_) return send(index);
  stream_.async_connect(server_, [self = shared_from_this(), index](beast::error_code ec) {
    if (ec) {
      self->records_.push_back(started_event(index));
      return self->on_transport_error();
    }
    self->stream_.socket().set_option(boost::asio::ip::tcp::no_delay(true), ec);
    self->connected_ = true;
    self->send(index);
  });
}

void PublishConnection::send(int64_t index) {
  request_ = {http::verb::post, "/v1/events", 11};
  request_.set(http::field::host, server_.address().to_string());
  request_.set(http::field::authorization, "Bearer " + options_.api_key);
  request_.set(http::field::content_type, "application/json");
  request_.keep_alive(true);
  request_.body() = event_request_body(options_.event_type, index, options_.body_bytes);
  request_.prepare_payload();
  records_.push_back(started_event(index));
  http::async_write(
      stream_, request_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) return self->on_transport_error();
        self->response_ = {};
        http::async_read(self->stream_, self->buffer_, self->response_,
                         [self](beast::error_code ec, std::size_t) { self->on_response(ec); });
      });
}

void PublishConnection::on_response(beast::error_code ec) {
  if (ec) return on_transport_error();
  PublishedEvent& record = records_.back();
  record.ack_ns = now_ns();
  record.status = static_cast<int>(response_.result_int());
  if (record.status == 200) {
    record.event_id = event_id_of(response_.body());
  } else {
    run_.note_error_body(record.status, response_.body());
  }
  if (!response_.keep_alive()) {
    beast::error_code ignored;
    stream_.socket().close(ignored);
    connected_ = false;
  }
  send_next();
}

// The event in flight (if any) stays recorded with status 0; reconnect after a
// short pause so that a refused connection does not spin.
void PublishConnection::on_transport_error() {
  beast::error_code ignored;
  stream_.socket().close(ignored);
  connected_ = false;
  buffer_.clear();
  timer_.expires_after(std::chrono::milliseconds(10));
  timer_.async_wait([self = shared_from_this()](beast::error_code) { self->send_next(); });
}

void PublishConnection::finish() {
  beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
  run_.add_records(std::move(records_));
}

}  // namespace bench
