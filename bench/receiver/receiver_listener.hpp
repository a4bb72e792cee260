#pragma once
// Accepts connections on one port and hands each to a ReceiverSession on its
// own strand.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "receiver_state.hpp"

namespace bench {

class ReceiverListener : public std::enable_shared_from_this<ReceiverListener> {
 public:
  // Binds and listens (throws boost::system::system_error when it cannot);
  // port 0 picks a free port.
  ReceiverListener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
                   ReceiverState& state);
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  void start() { accept(); }

 private:
  void accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  ReceiverState& state_;
};

}  // namespace bench
