#include "receiver_listener.hpp"

#include <boost/asio/strand.hpp>

#include "receiver_session.hpp"

namespace bench {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

ReceiverListener::ReceiverListener(asio::io_context& io, const tcp::endpoint& endpoint,
                                   ReceiverState& state)
    : io_(io), acceptor_(io), state_(state) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

void ReceiverListener::accept() {
  acceptor_.async_accept(asio::make_strand(io_), [self = shared_from_this()](
                                                     boost::system::error_code ec, tcp::socket s) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) {
      s.set_option(tcp::no_delay(true), ec);
      std::make_shared<ReceiverSession>(std::move(s), self->state_)->start();
    }
    self->accept();  // also after EMFILE and the like: keep serving the others
  });
}

}  // namespace bench
