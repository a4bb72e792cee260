#pragma once
// The server end of a `hookline listen` WebSocket (GET /v1/listen), on
// Boost.Beast: adapts the socket to a ListenConnection for the listen hub.
// Only the HTTP session (api_server.cpp) starts one, after authentication.
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <memory>

#include "api/http/connection_registry.hpp"
#include "listen/listen_connection.hpp"

namespace hookline::api {

struct ListenSocketSetup {
  const ListenAcceptor& acceptor;
  // Where the acceptor and the callbacks run: they may block on the store.
  boost::asio::thread_pool& workers;
  std::shared_ptr<ConnectionRegistry> registry;
  std::chrono::seconds idle_timeout;  // pings keep a quiet connection open
};

// Completes the WebSocket handshake of `request` on `stream` (whose executor
// is a strand), then hands the connection to `setup.acceptor` on a worker.
// Text frames received go to on_message, in order, on the workers; on_close
// runs once, after the last on_message, when the connection ends either way
// (or when the server stops).
void start_listen_socket(boost::beast::tcp_stream stream,
                         boost::beast::http::request<boost::beast::http::string_body> request,
                         ListenClient client, const ListenSocketSetup& setup);

}  // namespace hookline::api
