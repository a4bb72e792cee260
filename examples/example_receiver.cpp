// hookline example receiver: a webhook endpoint for a Connect platform, in C++
// (the seed's server.rb). It verifies each request with the hookline SDK, answers
// 400 to a bad signature or payload, dispatches on the event type, and handles
// `account.application.deauthorized` by forgetting what it keeps for that
// connected account.
//
//   POST /webhook           events of the platform's own account (secret: --secret)
//   POST /connect_webhook   events of connected accounts (secret: --connect-secret)
//
// Every handled event prints one line on stdout; rejected requests print on stderr.
#include <CLI/CLI.hpp>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hookline/webhook.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// ---------------------------------------------------------------------------
// The application: what a real receiver would write. No sockets here.

// What the receiver keeps per connected account: the ids of the events it has
// handled for it (a real platform would keep tokens, settings, cached objects).
class ConnectedAccounts {
 public:
  void record(const std::string& account, const std::string& event_id) {
    events_[account].push_back(event_id);
  }
  // Drops everything kept for `account`; returns how many events that was.
  std::size_t forget(const std::string& account) {
    auto it = events_.find(account);
    if (it == events_.end()) return 0;
    std::size_t n = it->second.size();
    events_.erase(it);
    return n;
  }

 private:
  std::map<std::string, std::vector<std::string>> events_;
};

std::string string_field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return "?";
  if (v->is_string()) return std::string(v->get_string());
  return json::serialize(*v);
}

class WebhookHandler {
 public:
  WebhookHandler(std::string secret, std::string connect_secret, std::chrono::seconds tolerance)
      : secret_(std::move(secret)),
        connect_secret_(std::move(connect_secret)),
        tolerance_(tolerance) {}

  Response handle(const Request& req) {
    std::string_view target = req.target();
    std::string_view path = target.substr(0, target.find('?'));
    if (path != "/webhook" && path != "/connect_webhook") {
      return reply(req, http::status::not_found, "Not found\n");
    }
    if (req.method() != http::verb::post) {
      Response res = reply(req, http::status::method_not_allowed, "Use POST\n");
      res.set(http::field::allow, "POST");
      return res;
    }
    const std::string& secret = path == "/connect_webhook" ? connect_secret_ : secret_;
    try {
      // The raw body, byte for byte: re-serialized JSON would not verify.
      hookline::Event event =
          hookline::construct_event(req.body(), req["Stripe-Signature"], secret, tolerance_);
      std::cout << dispatch(event) << " (" << event.id() << " on " << path << ")" << std::endl;
      Response res = reply(req, http::status::ok, "{\"received\":true}\n");
      res.set(http::field::content_type, "application/json");
      return res;
    } catch (const hookline::SignatureVerificationError& e) {
      return reject(req, path,
                    "Webhook signature verification failed: " + first_sentence(e.what()));
    } catch (const hookline::PayloadError& e) {
      return reject(req, path, std::string("Invalid payload: ") + e.what());
    }
  }

 private:
  // Dispatch on the event type; returns the line to print.
  std::string dispatch(const hookline::Event& event) {
    const std::string account = event.account().value_or("");
    if (!account.empty() && event.type() != "account.application.deauthorized") {
      accounts_.record(account, event.id());
    }
    const json::object& object = event.data_object();
    if (event.type() == "account.application.deauthorized") {
      if (account.empty()) return "Deauthorization without an account: nothing to clean up";
      std::size_t forgotten = accounts_.forget(account);
      return "Connected account " + account + " deauthorized: cleaned up " +
             std::to_string(forgotten) + " stored event(s)";
    }
    if (event.type() == "payment_intent.succeeded") {
      return "PaymentIntent " + string_field(object, "id") +
             " succeeded: " + string_field(object, "amount") + " " +
             string_field(object, "currency") + (account.empty() ? "" : " on " + account);
    }
    if (event.type() == "account.updated") {
      return "Account " + string_field(object, "id") + " updated";
    }
    return "Unhandled event type " + event.type() + (account.empty() ? "" : " on " + account);
  }

  static std::string first_sentence(std::string_view message) {
    std::size_t end = message.find(". ");
    return std::string(end == std::string_view::npos ? message : message.substr(0, end + 1));
  }

  static Response reply(const Request& req, http::status status, std::string body) {
    Response res{status, req.version()};
    res.set(http::field::server, "hookline-example-receiver");
    res.set(http::field::content_type, "text/plain");
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
  }

  static Response reject(const Request& req, std::string_view path, std::string reason) {
    std::cerr << "Rejected a request on " << path << ": " << reason << std::endl;
    return reply(req, http::status::bad_request, reason + "\n");
  }

  std::string secret_;
  std::string connect_secret_;
  std::chrono::seconds tolerance_;
  ConnectedAccounts accounts_;
};

// ---------------------------------------------------------------------------
// The HTTP server: transport only (Boost.Beast, one thread, keep-alive).

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, WebhookHandler& handler)
      : stream_(std::move(socket)), handler_(handler) {}

  void start() { read(); }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(8 * 1024 * 1024);
    stream_.expires_after(std::chrono::seconds(30));
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream) return close();
    if (ec) return;  // timeout, reset, oversized or malformed request: drop the connection
    Request req = parser_->release();
    try {
      response_ = handler_.handle(req);
    } catch (const std::exception& e) {
      std::cerr << "Internal error: " << e.what() << std::endl;
      response_ = Response{http::status::internal_server_error, req.version()};
      response_.keep_alive(false);
      response_.prepare_payload();
    }
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return;
                        if (!self->response_.keep_alive()) return self->close();
                        self->read();
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response response_;
  WebhookHandler& handler_;
};

void accept(tcp::acceptor& acceptor, WebhookHandler& handler) {
  acceptor.async_accept([&acceptor, &handler](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) std::make_shared<Session>(std::move(socket), handler)->start();
    accept(acceptor, handler);
  });
}

int main(int argc, char** argv) {
  CLI::App app{"hookline example receiver: verifies and handles Connect webhooks"};
  std::string host = "127.0.0.1";
  unsigned short port = 4242;
  std::string secret;
  std::string connect_secret;
  int tolerance = 300;
  app.add_option("--host", host, "Address to listen on")->capture_default_str();
  app.add_option("--port", port, "Port to listen on (0: any free port)")->capture_default_str();
  app.add_option("--secret", secret, "Signing secret (whsec_…) of the /webhook endpoint")
      ->envname("HOOKLINE_WEBHOOK_SECRET");
  app.add_option("--connect-secret", connect_secret,
                 "Signing secret of the /connect_webhook endpoint (default: --secret)")
      ->envname("HOOKLINE_CONNECT_WEBHOOK_SECRET");
  app.add_option("--tolerance", tolerance, "Maximum age of a signature, in seconds")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (secret.empty()) {
    std::cerr << "A signing secret is required: --secret or HOOKLINE_WEBHOOK_SECRET\n";
    return 2;
  }
  if (connect_secret.empty()) connect_secret = secret;

  try {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address(host), port));
    WebhookHandler handler(secret, connect_secret, std::chrono::seconds(tolerance));
    accept(acceptor, handler);

    asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&io](beast::error_code, int) { io.stop(); });

    std::cout << "hookline example receiver listening on http://" << host << ":"
              << acceptor.local_endpoint().port() << " (POST /webhook, POST /connect_webhook)"
              << std::endl;
    io.run();
  } catch (const std::exception& e) {
    std::cerr << "hookline-example-receiver: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
