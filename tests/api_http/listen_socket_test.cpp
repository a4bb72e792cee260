// GET /v1/listen: the WebSocket upgrade, its authentication, and the
// ListenConnection handed to a fake listen hub.
#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <condition_variable>

#include "api_http_test_support.hpp"

namespace hookline::api::testing {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

// Records what the server hands to the listen hub.
class FakeHub {
 public:
  ListenAcceptor acceptor() {
    return [this](const ListenClient& client, std::shared_ptr<ListenConnection> connection) {
      {
        std::lock_guard lock(mutex_);
        clients_.push_back(client);
        connection_ = connection;
        changed_.notify_all();
      }
      connection->send_text("welcome");
      return ListenCallbacks{[this](const std::string& text) {
                               std::lock_guard lock(mutex_);
                               messages_.push_back(text);
                               changed_.notify_all();
                             },
                             [this] {
                               std::lock_guard lock(mutex_);
                               ++closes_;
                               changed_.notify_all();
                             }};
    };
  }

  // Waits (at most a generous safety time) until `ready` holds.
  template <typename Ready>
  bool wait(Ready ready) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(20), [&] { return ready(*this); });
  }

  std::shared_ptr<ListenConnection> connection() {
    std::lock_guard lock(mutex_);
    return connection_;
  }
  std::vector<ListenClient> clients() {
    std::lock_guard lock(mutex_);
    return clients_;
  }

  // Read under the lock, inside wait()'s predicate.
  std::vector<std::string> messages_;
  int closes_ = 0;

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<ListenClient> clients_;
  std::shared_ptr<ListenConnection> connection_;
};

// A blocking WebSocket client, as `hookline listen` connects.
class ListenClientSocket {
 public:
  explicit ListenClientSocket(uint16_t port) : ws_(io_) {
    tcp::resolver resolver(io_);
    asio::connect(ws_.next_layer(), resolver.resolve("127.0.0.1", std::to_string(port)));
    host_ = "127.0.0.1:" + std::to_string(port);
  }

  // The handshake's error; the server's answer is in response().
  beast::error_code handshake(std::vector<std::pair<std::string, std::string>> headers,
                              const std::string& target = "/v1/listen?events=*&live=false") {
    ws_.set_option(websocket::stream_base::decorator([headers](websocket::request_type& request) {
      for (const auto& [name, value] : headers) request.set(name, value);
    }));
    beast::error_code ec;
    ws_.handshake(response_, host_, target, ec);
    return ec;
  }

  std::string read(beast::error_code& ec) {
    beast::flat_buffer buffer;
    ws_.read(buffer, ec);
    return beast::buffers_to_string(buffer.data());
  }
  std::string read() {
    beast::error_code ec;
    std::string text = read(ec);
    EXPECT_FALSE(ec) << ec.message();
    return text;
  }
  void write(const std::string& text) {
    ws_.text(true);
    ws_.write(asio::buffer(text));
  }
  void close() { ws_.close(websocket::close_code::normal); }
  const websocket::response_type& response() const { return response_; }

 private:
  asio::io_context io_;
  websocket::stream<tcp::socket> ws_;
  websocket::response_type response_;
  std::string host_;
};

std::vector<std::pair<std::string, std::string>> auth(const std::string& key = kTestKey) {
  return {{"Authorization", "Bearer " + key}};
}

class ListenSocketTest : public ApiServerTest {
 protected:
  void SetUp() override { start({}, hub_.acceptor()); }
  FakeHub hub_;
};

TEST_F(ListenSocketTest, AuthenticatedUpgradeExchangesFramesBothWays) {
  ListenClientSocket client(port());
  ASSERT_FALSE(client.handshake(auth(), "/v1/listen?events=charge.succeeded,x&live=false"));
  EXPECT_EQ(client.read(), "welcome");
  ASSERT_EQ(hub_.clients().size(), 1u);
  const ListenClient who = hub_.clients()[0];
  EXPECT_EQ(who.account_id, kPlatform);
  EXPECT_FALSE(who.livemode);
  EXPECT_EQ(who.api_key, kTestKey);
  EXPECT_EQ(who.query, "events=charge.succeeded,x&live=false");

  for (int i = 0; i < 20; ++i) client.write("result-" + std::to_string(i));
  ASSERT_TRUE(hub_.wait([](FakeHub& hub) { return hub.messages_.size() == 20; }));
  for (int i = 0; i < 20; ++i) EXPECT_EQ(hub_.messages_[i], "result-" + std::to_string(i));

  const auto connection = hub_.connection();
  for (int i = 0; i < 100; ++i) connection->send_text("delivery-" + std::to_string(i));
  for (int i = 0; i < 100; ++i) ASSERT_EQ(client.read(), "delivery-" + std::to_string(i));

  connection->close();
  connection->close();  // idempotent
  beast::error_code ec;
  client.read(ec);
  EXPECT_EQ(ec, websocket::error::closed);
  ASSERT_TRUE(hub_.wait([](FakeHub& hub) { return hub.closes_ == 1; }));
  connection->send_text("after the end");  // harmless
}

TEST_F(ListenSocketTest, FramesQueuedBeforeCloseAreSentFirst) {
  ListenClientSocket client(port());
  ASSERT_FALSE(client.handshake(auth()));
  EXPECT_EQ(client.read(), "welcome");
  const auto connection = hub_.connection();
  connection->send_text("last words");
  connection->close();
  EXPECT_EQ(client.read(), "last words");
  beast::error_code ec;
  client.read(ec);
  EXPECT_EQ(ec, websocket::error::closed);
}

TEST_F(ListenSocketTest, ClientCloseIsReportedOnce) {
  ListenClientSocket client(port());
  ASSERT_FALSE(client.handshake(auth()));
  EXPECT_EQ(client.read(), "welcome");
  client.write("one");
  client.close();
  ASSERT_TRUE(hub_.wait([](FakeHub& hub) { return hub.closes_ == 1; }));
  EXPECT_EQ(hub_.messages_, std::vector<std::string>{"one"});  // on_message before on_close
}

TEST_F(ListenSocketTest, LiveKeyAndStripeAccountReachTheHub) {
  store().put_account(hookline::testing::make_account("acct_conn", AccountType::kExpress));
  ListenClientSocket client(port());
  ASSERT_FALSE(client.handshake({{"Authorization", std::string("Bearer ") + kLiveKey},
                                 {"Stripe-Account", "acct_conn"}}));
  EXPECT_EQ(client.read(), "welcome");
  const ListenClient who = hub_.clients().at(0);
  EXPECT_TRUE(who.livemode);
  EXPECT_EQ(who.account_id, "acct_conn");
  EXPECT_EQ(who.api_key, kLiveKey);
}

TEST_F(ListenSocketTest, UpgradeWithoutAValidKeyIsRefused) {
  struct Refusal {
    std::vector<std::pair<std::string, std::string>> headers;
    unsigned status;
    const char* message;
  };
  for (const Refusal& r : {
           Refusal{{}, 401, "You did not provide an API key"},
           Refusal{auth("sk_test_51WrongKey0000000000000000000000000000"), 401,
                   "Invalid API Key provided"},
           Refusal{{{"Authorization", std::string("Bearer ") + kTestKey},
                    {"Stripe-Account", "acct_nobody"}},
                   403, "does not have access to account 'acct_nobody'"},
           // Issue 12: the Stripe-Version of a listen session is checked like any other.
           Refusal{{{"Authorization", std::string("Bearer ") + kTestKey},
                    {"Stripe-Version", "2099-01-01.zzz"}},
                   400, "Invalid Stripe API version: 2099-01-01.zzz"},
       }) {
    ListenClientSocket client(port());
    EXPECT_EQ(client.handshake(r.headers), websocket::error::upgrade_declined);
    EXPECT_EQ(client.response().result_int(), r.status);
    EXPECT_NE(client.response().body().find(r.message), std::string::npos)
        << client.response().body();
    EXPECT_EQ(client.response()["Request-Id"].substr(0, 4), "req_");
  }
  EXPECT_TRUE(hub_.clients().empty());
  // The refusals did not disturb the server.
  ListenClientSocket client(port());
  ASSERT_FALSE(client.handshake(auth()));
  EXPECT_EQ(client.read(), "welcome");
}

TEST_F(ListenSocketTest, StopClosesSessionsAndTellsTheHub) {
  ListenClientSocket client(port());
  ASSERT_FALSE(client.handshake(auth()));
  EXPECT_EQ(client.read(), "welcome");
  stop();
  EXPECT_EQ(hub_.closes_, 1);  // before stop() returned
  beast::error_code ec;
  client.read(ec);
  EXPECT_TRUE(ec);
  hub_.connection()->send_text("after stop");  // harmless once the server is gone
  hub_.connection()->close();
}

TEST_F(ListenSocketTest, UpgradeElsewhereIsAnOrdinaryRequest) {
  ListenClientSocket client(port());
  EXPECT_EQ(client.handshake(auth(), "/v1/events"), websocket::error::upgrade_declined);
  EXPECT_EQ(client.response().result_int(), 200u);  // the call handler answered
  EXPECT_EQ(call_count(), 1u);
}

class ListenDisabledTest : public ApiServerTest {};

TEST_F(ListenDisabledTest, WithoutAnAcceptorListenIs404) {
  start();
  ListenClientSocket client(port());
  EXPECT_EQ(client.handshake(auth()), websocket::error::upgrade_declined);
  EXPECT_EQ(client.response().result_int(), 404u);
}

}  // namespace
}  // namespace hookline::api::testing
