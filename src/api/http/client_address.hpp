#pragma once
// The address a connection comes from, as the per-client connection cap
// counts it ("" when the socket is already gone: such clients share one count).
#include <boost/asio/ip/tcp.hpp>
#include <string>

namespace hookline::api {

inline std::string client_address(const boost::asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string() : endpoint.address().to_string();
}

}  // namespace hookline::api
