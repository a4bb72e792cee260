#include "listen/listen_hub.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <functional>
#include <future>
#include <thread>

#include "listen/listen_protocol.hpp"
#include "listen/session_endpoints.hpp"
#include "signing/signature.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace hookline {
namespace {

// A connection that records the frames sent to it.
class FakeConnection : public ListenConnection {
 public:
  void send_text(std::string message) override {
    std::lock_guard lock(mutex_);
    frames_.push_back(std::move(message));
  }
  void close() override { closed_ = true; }
  std::vector<std::string> frames() {
    std::lock_guard lock(mutex_);
    return frames_;
  }
  bool closed() const { return closed_; }

 private:
  std::mutex mutex_;
  std::vector<std::string> frames_;
  std::atomic<bool> closed_{false};
};

class ListenHubTest : public ::testing::Test {
 protected:
  ListenHubTest() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "hookline-listen-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    store_ = open_sqlite_store(dir_ + "/hookline.db");
    Account platform;
    platform.id = "acct_platform";
    platform.type = AccountType::kPlatform;
    store_->put_account(platform);
  }
  ~ListenHubTest() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  ListenClient client(const std::string& query = "events=*") {
    return ListenClient{"acct_platform", false, "sk_test_abc", query};
  }

  // Connects a fake CLI; returns its connection and callbacks.
  std::pair<std::shared_ptr<FakeConnection>, ListenCallbacks> connect(
      ListenHub& hub, const ListenClient& who) {
    auto connection = std::make_shared<FakeConnection>();
    ListenCallbacks callbacks = hub.acceptor()(who, connection);
    return {connection, callbacks};
  }

  listen::ReadyFrame ready_of(FakeConnection& connection) {
    auto frame = listen::parse_server_frame(connection.frames().at(0));
    EXPECT_TRUE(frame && std::holds_alternative<listen::ReadyFrame>(*frame));
    return std::get<listen::ReadyFrame>(*frame);
  }

  ListenDelivery delivery_to(const std::string& endpoint_id, int64_t id) {
    ListenDelivery delivery;
    delivery.delivery_id = id;
    delivery.event_id = "evt_" + std::to_string(id);
    delivery.event_type = "customer.created";
    delivery.body = R"({"id":"evt_)" + std::to_string(id) +
                    R"(","object":"event","type":"customer.created","data":{"object":{}}})";
    delivery.endpoint = *store_->get_endpoint(endpoint_id);
    return delivery;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
  SystemClock clock_;
};

TEST_F(ListenHubTest, ConnectCreatesEnabledListenEndpointsWithTheKeysSecret) {
  ListenHub hub(*store_, clock_);
  auto [connection, callbacks] = connect(hub, client("events=customer.created,charge.failed"));
  const listen::ReadyFrame ready = ready_of(*connection);
  EXPECT_TRUE(ready.secret.starts_with("whsec_"));
  ASSERT_EQ(ready.endpoint_ids.size(), 2u);  // account + Connect, test mode
  int connect_endpoints = 0;
  for (const std::string& id : ready.endpoint_ids) {
    const auto endpoint = store_->get_endpoint(id);
    ASSERT_TRUE(endpoint);
    EXPECT_TRUE(endpoint->listen_session);
    EXPECT_FALSE(endpoint->livemode);
    EXPECT_EQ(endpoint->status, EndpointStatus::kEnabled);
    EXPECT_EQ(endpoint->account_id, "acct_platform");
    EXPECT_EQ(endpoint->enabled_events,
              (std::vector<std::string>{"customer.created", "charge.failed"}));
    EXPECT_EQ(endpoint->secrets.at(0).secret, ready.secret);
    connect_endpoints += endpoint->connect ? 1 : 0;
  }
  EXPECT_EQ(connect_endpoints, 1);
  EXPECT_EQ(hub.session_count(), 1u);
}

TEST_F(ListenHubTest, DisconnectDisablesAndReconnectReusesEndpointsAndSecret) {
  ListenHub hub(*store_, clock_);
  auto [first, first_callbacks] = connect(hub, client());
  const listen::ReadyFrame before = ready_of(*first);
  first_callbacks.on_close();
  for (const std::string& id : before.endpoint_ids) {
    EXPECT_EQ(store_->get_endpoint(id)->status, EndpointStatus::kDisabled);
  }
  EXPECT_EQ(hub.session_count(), 0u);

  auto [second, second_callbacks] = connect(hub, client());
  const listen::ReadyFrame after = ready_of(*second);
  EXPECT_EQ(after.secret, before.secret);
  EXPECT_EQ(after.endpoint_ids, before.endpoint_ids);
  for (const std::string& id : after.endpoint_ids) {
    EXPECT_EQ(store_->get_endpoint(id)->status, EndpointStatus::kEnabled);
  }
  // Another key gets another secret.
  auto [other, other_callbacks] =
      connect(hub, ListenClient{"acct_platform", false, "sk_test_other", ""});
  EXPECT_NE(ready_of(*other).secret, before.secret);
}

TEST_F(ListenHubTest, LiveNeedsALiveKey) {
  ListenHub hub(*store_, clock_);
  auto [connection, callbacks] = connect(hub, client("live=true"));
  auto frame = listen::parse_server_frame(connection->frames().at(0));
  ASSERT_TRUE(frame && std::holds_alternative<listen::ErrorFrame>(*frame));
  EXPECT_TRUE(connection->closed());

  auto [live, live_callbacks] =
      connect(hub, ListenClient{"acct_platform", true, "sk_live_abc", "live=true"});
  EXPECT_EQ(ready_of(*live).endpoint_ids.size(), 4u);
}

TEST_F(ListenHubTest, DeliversSignedFramesInOrderAndCompletesWithTheResult) {
  ListenHub hub(*store_, clock_);
  auto [connection, callbacks] = connect(hub, client());
  const listen::ReadyFrame ready = ready_of(*connection);
  const std::string endpoint_id = ready.endpoint_ids.at(1);

  std::vector<std::promise<ListenOutcome>> outcomes(3);
  for (int i = 0; i < 3; ++i) {
    hub.deliver(delivery_to(endpoint_id, 10 + i),
                [&outcomes, i](ListenOutcome outcome) { outcomes[i].set_value(outcome); });
  }
  const std::vector<std::string> frames = connection->frames();
  ASSERT_EQ(frames.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    auto parsed = listen::parse_server_frame(frames[1 + i]);
    ASSERT_TRUE(parsed && std::holds_alternative<listen::DeliveryFrame>(*parsed));
    const auto& frame = std::get<listen::DeliveryFrame>(*parsed);
    EXPECT_EQ(frame.delivery_id, 10 + i);
    EXPECT_EQ(frame.event_id, "evt_" + std::to_string(10 + i));
    EXPECT_EQ(frame.connect, store_->get_endpoint(endpoint_id)->connect);
    // The signature verifies with the session's secret: t=<ts>,v1=<HMAC>,v0=…
    ASSERT_TRUE(frame.signature.starts_with("t="));
    const int64_t t = std::stoll(frame.signature.substr(2));
    EXPECT_NE(frame.signature.find(",v1=" + signing::compute_signature(ready.secret, t, frame.body)),
              std::string::npos);
    listen::ResultFrame result{frame.id, frame.delivery_id, 200 + i, "", 5};
    callbacks.on_message(listen::to_text(result));
  }
  for (int i = 0; i < 3; ++i) {
    const ListenOutcome outcome = outcomes[i].get_future().get();
    EXPECT_EQ(outcome.http_status, 200 + i);
    EXPECT_EQ(outcome.error, "");
    EXPECT_EQ(outcome.latency_us, 5000);
  }
}

TEST_F(ListenHubTest, FailsWithoutASessionAndOnDisconnect) {
  ListenHub hub(*store_, clock_);
  auto [connection, callbacks] = connect(hub, client());
  const std::string endpoint_id = ready_of(*connection).endpoint_ids.at(0);
  std::promise<ListenOutcome> waiting;
  hub.deliver(delivery_to(endpoint_id, 1), [&](ListenOutcome o) { waiting.set_value(o); });
  callbacks.on_close();
  EXPECT_EQ(waiting.get_future().get().error, "listen_session_disconnected");

  std::promise<ListenOutcome> gone;
  hub.deliver(delivery_to(endpoint_id, 2), [&](ListenOutcome o) { gone.set_value(o); });
  EXPECT_EQ(gone.get_future().get().error, "listen_session_disconnected");
}

// A connection that, as soon as it is sent the ready frame, runs `on_ready`
// (on the hub's accepting thread, before send_text returns).
class ReadyHookConnection : public FakeConnection {
 public:
  std::function<void(const listen::ReadyFrame&)> on_ready;
  void send_text(std::string message) override {
    const auto frame = listen::parse_server_frame(message);
    FakeConnection::send_text(std::move(message));
    if (frame && std::holds_alternative<listen::ReadyFrame>(*frame) && on_ready) {
      on_ready(std::get<listen::ReadyFrame>(*frame));
    }
  }
};

TEST_F(ListenHubTest, ADeliveryRightAfterTheReadyFrameReachesTheSession) {
  // The CLI prints Ready when the frame arrives, and the user triggers an
  // event: its delivery may come while the hub is still opening the session.
  ListenHub hub(*store_, clock_);
  auto connection = std::make_shared<ReadyHookConnection>();
  std::promise<ListenOutcome> settled;
  std::thread deliverer;
  // Outlives the hook: with the fix the delivery returns only after the hook has
  // given up waiting for it, and then sets this.
  std::promise<void> returned;
  connection->on_ready = [&](const listen::ReadyFrame& ready) {
    deliverer = std::thread(
        [&hub, &settled, &returned, delivery = delivery_to(ready.endpoint_ids.at(0), 1)]() mutable {
          hub.deliver(std::move(delivery), [&settled](ListenOutcome o) { settled.set_value(o); });
          returned.set_value();
        });
    // Room for that delivery to run to its end before the session is opened;
    // how long does not matter (it waits until the session is open).
    returned.get_future().wait_for(std::chrono::seconds(1));
  };
  ListenCallbacks callbacks = hub.acceptor()(client(), connection);
  deliverer.join();

  std::future<ListenOutcome> outcome = settled.get_future();
  ASSERT_NE(outcome.wait_for(std::chrono::seconds(0)), std::future_status::ready)
      << "settled at once: " << outcome.get().error;
  const std::vector<std::string> frames = connection->frames();
  ASSERT_EQ(frames.size(), 2u);
  const auto parsed = listen::parse_server_frame(frames[1]);
  ASSERT_TRUE(parsed && std::holds_alternative<listen::DeliveryFrame>(*parsed));
  const auto& frame = std::get<listen::DeliveryFrame>(*parsed);
  EXPECT_EQ(frame.event_id, "evt_1");
  callbacks.on_message(listen::to_text(listen::ResultFrame{frame.id, frame.delivery_id, 200, "", 1}));
  EXPECT_EQ(outcome.get().http_status, 200);
}

TEST_F(ListenHubTest, AResultThatNeverComesTimesOut) {
  ListenHub hub(*store_, clock_, ListenHubOptions{std::chrono::milliseconds(50)});
  auto [connection, callbacks] = connect(hub, client());
  const std::string endpoint_id = ready_of(*connection).endpoint_ids.at(0);
  std::promise<ListenOutcome> waiting;
  hub.deliver(delivery_to(endpoint_id, 1), [&](ListenOutcome o) { waiting.set_value(o); });
  const ListenOutcome outcome = waiting.get_future().get();
  EXPECT_EQ(outcome.http_status, 0);
  EXPECT_EQ(outcome.error, "timeout");
}

TEST_F(ListenHubTest, ANewerConnectionKeepsTheEndpointsWhenTheOlderCloses) {
  ListenHub hub(*store_, clock_);
  auto [first, first_callbacks] = connect(hub, client());
  auto [second, second_callbacks] = connect(hub, client());
  const std::string endpoint_id = ready_of(*second).endpoint_ids.at(0);
  first_callbacks.on_close();
  EXPECT_EQ(store_->get_endpoint(endpoint_id)->status, EndpointStatus::kEnabled);
  std::promise<ListenOutcome> outcome;
  hub.deliver(delivery_to(endpoint_id, 7), [&](ListenOutcome o) { outcome.set_value(o); });
  ASSERT_EQ(second->frames().size(), 2u);
  auto parsed = listen::parse_server_frame(second->frames()[1]);
  const auto& frame = std::get<listen::DeliveryFrame>(*parsed);
  second_callbacks.on_message(listen::to_text(listen::ResultFrame{frame.id, 7, 204, "", 1}));
  EXPECT_EQ(outcome.get_future().get().http_status, 204);
}

// The delivery frames a fake CLI got after its ready frame.
std::vector<listen::DeliveryFrame> deliveries_of(FakeConnection& connection) {
  std::vector<listen::DeliveryFrame> frames;
  for (const std::string& text : connection.frames()) {
    auto parsed = listen::parse_server_frame(text);
    if (parsed && std::holds_alternative<listen::DeliveryFrame>(*parsed)) {
      frames.push_back(std::get<listen::DeliveryFrame>(*parsed));
    }
  }
  return frames;
}

TEST_F(ListenHubTest, ANewerSessionClosingLeavesTheOlderOneWorking) {
  // `hookline listen --print-secret` while a `hookline listen` runs.
  ListenHub hub(*store_, clock_);
  auto [older, older_callbacks] = connect(hub, client());
  auto [newer, newer_callbacks] = connect(hub, client());
  EXPECT_EQ(ready_of(*older).secret, ready_of(*newer).secret);
  const std::string endpoint_id = ready_of(*older).endpoint_ids.at(0);
  EXPECT_EQ(ready_of(*newer).endpoint_ids.at(0), endpoint_id);
  newer_callbacks.on_close();
  EXPECT_EQ(store_->get_endpoint(endpoint_id)->status, EndpointStatus::kEnabled);
  EXPECT_EQ(hub.session_count(), 1u);

  std::promise<ListenOutcome> outcome;
  hub.deliver(delivery_to(endpoint_id, 3), [&](ListenOutcome o) { outcome.set_value(o); });
  const auto frames = deliveries_of(*older);
  ASSERT_EQ(frames.size(), 1u);
  older_callbacks.on_message(listen::to_text(listen::ResultFrame{frames[0].id, 3, 200, "", 1}));
  EXPECT_EQ(outcome.get_future().get().http_status, 200);

  older_callbacks.on_close();  // the last one: the endpoints are disabled
  EXPECT_EQ(store_->get_endpoint(endpoint_id)->status, EndpointStatus::kDisabled);
}

TEST_F(ListenHubTest, EverySessionGetsTheDeliveryAndTheFirstResultCompletesIt) {
  ListenHub hub(*store_, clock_);
  auto [first, first_callbacks] = connect(hub, client());
  auto [second, second_callbacks] = connect(hub, client());
  const std::string endpoint_id = ready_of(*first).endpoint_ids.at(0);
  int calls = 0;
  ListenOutcome got;
  hub.deliver(delivery_to(endpoint_id, 5), [&](ListenOutcome o) {
    ++calls;
    got = o;
  });
  ASSERT_EQ(deliveries_of(*first).size(), 1u);
  ASSERT_EQ(deliveries_of(*second).size(), 1u);
  const auto from_second = deliveries_of(*second)[0];
  EXPECT_EQ(from_second.event_id, "evt_5");
  EXPECT_EQ(from_second.signature, deliveries_of(*first)[0].signature);
  second_callbacks.on_message(listen::to_text(listen::ResultFrame{from_second.id, 5, 201, "", 1}));
  const auto from_first = deliveries_of(*first)[0];
  first_callbacks.on_message(listen::to_text(listen::ResultFrame{from_first.id, 5, 500, "", 1}));
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(got.http_status, 201);
}

TEST_F(ListenHubTest, ADeliveryFailsOnlyWhenEverySessionIsLost) {
  ListenHub hub(*store_, clock_);
  auto [first, first_callbacks] = connect(hub, client());
  auto [second, second_callbacks] = connect(hub, client());
  const std::string endpoint_id = ready_of(*first).endpoint_ids.at(0);
  std::promise<ListenOutcome> outcome;
  auto future = outcome.get_future();
  hub.deliver(delivery_to(endpoint_id, 6), [&](ListenOutcome o) { outcome.set_value(o); });
  first_callbacks.on_close();
  EXPECT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  second_callbacks.on_close();
  EXPECT_EQ(future.get().error, "listen_session_disconnected");
}

TEST_F(ListenHubTest, EachSessionGetsOnlyItsEventsAndTheEndpointsTakeTheUnion) {
  ListenHub hub(*store_, clock_);
  auto [narrow, narrow_callbacks] = connect(hub, client("events=customer.created"));
  auto [other, other_callbacks] = connect(hub, client("events=invoice.paid"));
  const std::string endpoint_id = ready_of(*narrow).endpoint_ids.at(0);
  EXPECT_EQ(store_->get_endpoint(endpoint_id)->enabled_events,
            (std::vector<std::string>{"customer.created", "invoice.paid"}));
  hub.deliver(delivery_to(endpoint_id, 8), [](ListenOutcome) {});  // a customer.created
  EXPECT_EQ(deliveries_of(*narrow).size(), 1u);
  EXPECT_EQ(deliveries_of(*other).size(), 0u);

  narrow_callbacks.on_close();
  EXPECT_EQ(store_->get_endpoint(endpoint_id)->enabled_events,
            std::vector<std::string>{"invoice.paid"});
  std::promise<ListenOutcome> outcome;
  hub.deliver(delivery_to(endpoint_id, 9), [&](ListenOutcome o) { outcome.set_value(o); });
  EXPECT_EQ(outcome.get_future().get().error, "listen_session_disconnected");  // no one wants it
}

TEST_F(ListenHubTest, ALiveSessionKeepsTheLiveEndpointsWhileATestOnlyOneComesAndGoes) {
  ListenHub hub(*store_, clock_);
  const ListenClient live_client{"acct_platform", true, "sk_live_abc", "live=true"};
  auto [live, live_callbacks] = connect(hub, live_client);
  ASSERT_EQ(ready_of(*live).endpoint_ids.size(), 4u);
  auto [plain, plain_callbacks] = connect(hub, ListenClient{"acct_platform", true, "sk_live_abc", ""});
  EXPECT_EQ(ready_of(*plain).endpoint_ids.size(), 2u);  // test mode only
  plain_callbacks.on_close();
  for (const std::string& id : ready_of(*live).endpoint_ids) {
    EXPECT_EQ(store_->get_endpoint(id)->status, EndpointStatus::kEnabled) << id;
  }
}

// The keys of a Stripe-Signature header, in order ("t", "v1", "v0").
std::vector<std::string> signature_keys(const std::string& header) {
  std::vector<std::string> keys;
  for (std::size_t start = 0; start <= header.size();) {
    const std::size_t end = std::min(header.find(',', start), header.size());
    const std::string part = header.substr(start, end - start);
    keys.push_back(part.substr(0, part.find('=')));
    start = end + 1;
  }
  return keys;
}

TEST_F(ListenHubTest, ALiveSessionSignsV0OnlyOnTestEvents) {
  ListenHub hub(*store_, clock_);
  auto [live, live_callbacks] =
      connect(hub, ListenClient{"acct_platform", true, "sk_live_abc", "live=true"});
  const listen::ReadyFrame ready = ready_of(*live);
  std::string live_connect_id;
  for (const std::string& id : ready.endpoint_ids) {
    const auto endpoint = store_->get_endpoint(id);
    if (endpoint->livemode && endpoint->connect) live_connect_id = id;
  }
  ASSERT_FALSE(live_connect_id.empty());
  // A live Connect endpoint gets live events and test events alike.
  ListenDelivery live_event = delivery_to(live_connect_id, 21);
  live_event.livemode = true;
  hub.deliver(std::move(live_event), [](ListenOutcome) {});
  hub.deliver(delivery_to(live_connect_id, 22), [](ListenOutcome) {});

  const auto frames = deliveries_of(*live);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_TRUE(frames[0].livemode);
  EXPECT_EQ(signature_keys(frames[0].signature), (std::vector<std::string>{"t", "v1"}))
      << frames[0].signature;
  EXPECT_FALSE(frames[1].livemode);
  EXPECT_EQ(signature_keys(frames[1].signature), (std::vector<std::string>{"t", "v1", "v0"}))
      << frames[1].signature;
  for (const listen::DeliveryFrame& frame : frames) {
    const int64_t t = std::stoll(frame.signature.substr(2));
    EXPECT_NE(frame.signature.find("v1=" + signing::compute_signature(ready.secret, t, frame.body)),
              std::string::npos);
  }
}

TEST_F(ListenHubTest, ARolledSecretSignsUntilItExpiresAndThenIsDropped) {
  ListenHub hub(*store_, clock_);
  auto [connection, callbacks] = connect(hub, client());
  const std::string endpoint_id = ready_of(*connection).endpoint_ids.at(0);
  ListenDelivery delivery = delivery_to(endpoint_id, 31);
  const int64_t now_ms = clock_.now_ms();
  delivery.endpoint.secrets = {{"whsec_current", 0},
                               {"whsec_rolling", now_ms + 3'600'000},
                               {"whsec_expired", now_ms - 1}};
  hub.deliver(std::move(delivery), [](ListenOutcome) {});

  const auto frames = deliveries_of(*connection);
  ASSERT_EQ(frames.size(), 1u);
  const listen::DeliveryFrame& frame = frames[0];
  EXPECT_EQ(signature_keys(frame.signature), (std::vector<std::string>{"t", "v1", "v1", "v0"}))
      << frame.signature;
  const int64_t t = std::stoll(frame.signature.substr(2));
  for (const char* secret : {"whsec_current", "whsec_rolling"}) {
    EXPECT_NE(frame.signature.find("v1=" + signing::compute_signature(secret, t, frame.body)),
              std::string::npos)
        << secret;
  }
  EXPECT_EQ(
      frame.signature.find("v1=" + signing::compute_signature("whsec_expired", t, frame.body)),
      std::string::npos);
}

TEST(ListenProtocol, QueryRoundTrip) {
  listen::ListenQuery query;
  query.events = {"charge.failed", "customer.created"};
  query.live = true;
  const listen::ListenQuery parsed = listen::parse_listen_query(listen::encode_listen_query(query));
  EXPECT_EQ(parsed.events, query.events);
  EXPECT_TRUE(parsed.live);
  EXPECT_EQ(listen::parse_listen_query("").events, std::vector<std::string>{"*"});
}

TEST(ListenProtocol, FramesRoundTripAndGarbageIsRejected) {
  listen::DeliveryFrame frame{"9", 3, "evt_1", "customer.created", true, false, "t=1,v1=ab",
                              "{\"a\":\"\\u00e9\\n\"}"};
  auto parsed = listen::parse_server_frame(listen::to_text(frame));
  ASSERT_TRUE(parsed && std::holds_alternative<listen::DeliveryFrame>(*parsed));
  const auto& back = std::get<listen::DeliveryFrame>(*parsed);
  EXPECT_EQ(back.body, frame.body);
  EXPECT_EQ(back.signature, frame.signature);
  EXPECT_TRUE(back.connect);
  EXPECT_FALSE(listen::parse_server_frame("not json"));
  EXPECT_FALSE(listen::parse_server_frame(R"({"type":"delivery"})"));
  EXPECT_FALSE(listen::parse_result_frame(R"({"type":"ready","secret":"x"})"));
}

}  // namespace
}  // namespace hookline
