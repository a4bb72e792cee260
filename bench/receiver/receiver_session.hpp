#pragma once
// One keep-alive connection of the benchmark receiver: reads requests, counts
// them in ReceiverState and answers 200 with an empty body — or 500 (per
// --fail-rate), after --delay-ms, or never (paths given to --never-answer).
// /__stats, /__count, /__arrivals and /__reset are the harness's own control requests;
// they are not counted.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <optional>

#include "receiver_state.hpp"

namespace bench {

class ReceiverSession : public std::enable_shared_from_this<ReceiverSession> {
 public:
  ReceiverSession(boost::asio::ip::tcp::socket socket, ReceiverState& state);
  void start();

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;

  void read_request();
  void on_read(boost::beast::error_code ec);
  void answer_control(const Request& request);
  void answer(bool keep_alive);
  void write_response();
  void on_write(boost::beast::error_code ec);
  void close();

  boost::beast::tcp_stream stream_;
  ReceiverState& state_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  boost::asio::steady_timer delay_timer_;
};

}  // namespace bench
