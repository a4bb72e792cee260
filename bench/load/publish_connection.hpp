#pragma once
// One keep-alive connection of the load generator: takes the next event from
// the PublishRun, waits until it is due, POSTs it to /v1/events and records
// the send and ack times and the event id. Reconnects after a transport error
// or a "Connection: close"; hands its records to the run when the run is over.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <memory>
#include <vector>

#include "publish_run.hpp"

namespace bench {

class PublishConnection : public std::enable_shared_from_this<PublishConnection> {
 public:
  PublishConnection(boost::asio::any_io_executor executor, const PublishOptions& options,
                    boost::asio::ip::tcp::endpoint server, PublishRun& run);
  void start();

 private:
  void send_next();
  void connect_and_send(int64_t index);
  void send(int64_t index);
  void on_response(boost::beast::error_code ec);
  void on_transport_error();
  void finish();

  boost::beast::tcp_stream stream_;
  const PublishOptions& options_;
  boost::asio::ip::tcp::endpoint server_;
  PublishRun& run_;
  boost::asio::steady_timer timer_;
  boost::beast::flat_buffer buffer_;
  boost::beast::http::request<boost::beast::http::string_body> request_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  std::vector<PublishedEvent> records_;
  bool connected_ = false;
};

}  // namespace bench
