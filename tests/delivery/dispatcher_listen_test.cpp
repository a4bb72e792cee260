// Deliveries to `hookline listen` sessions go through the listen hub, which
// signs them with the session's secret; the CLI's report is the attempt.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "dispatcher_fixture.hpp"
#include "listen/listen_hub.hpp"
#include "listen/listen_protocol.hpp"

namespace hookline::testing {
namespace {

// The CLI's end of a listen WebSocket: keeps the frames the hub sends.
class FakeCli : public ListenConnection {
 public:
  void send_text(std::string message) override {
    std::lock_guard lock(mutex_);
    frames_.push_back(std::move(message));
  }
  void close() override {}

  std::vector<listen::DeliveryFrame> deliveries() {
    std::lock_guard lock(mutex_);
    std::vector<listen::DeliveryFrame> out;
    for (const std::string& text : frames_) {
      const auto frame = listen::parse_server_frame(text);
      if (frame && std::holds_alternative<listen::DeliveryFrame>(*frame)) {
        out.push_back(std::get<listen::DeliveryFrame>(*frame));
      }
    }
    return out;
  }
  listen::ReadyFrame ready() {
    std::lock_guard lock(mutex_);
    return std::get<listen::ReadyFrame>(*listen::parse_server_frame(frames_.at(0)));
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> frames_;
};

class DispatcherListenTest : public DispatcherTest {
 protected:
  DispatcherListenTest() : hub_(*store_, clock_) {
    cli_ = std::make_shared<FakeCli>();
    callbacks_ = hub_.acceptor()(ListenClient{kPlatform, false, "sk_test_listen", "events=*"},
                                 cli_);
    for (const std::string& id : cli_->ready().endpoint_ids) {
      if (!store_->get_endpoint(id)->connect) endpoint_id_ = id;
    }
  }
  ~DispatcherListenTest() override {
    dispatcher_.reset();  // before the hub
  }

  // The CLI reports what the local server answered.
  void answer(const listen::DeliveryFrame& frame, int status, const std::string& error = "") {
    callbacks_.on_message(listen::to_text(listen::ResultFrame{frame.id, frame.delivery_id, status,
                                                              error, 3}));
  }

  ListenHub hub_;
  std::shared_ptr<FakeCli> cli_;
  ListenCallbacks callbacks_;
  std::string endpoint_id_;
};

TEST_F(DispatcherListenTest, ADeliveryGoesToTheSessionAndItsAnswerIsTheAttempt) {
  ASSERT_FALSE(endpoint_id_.empty());
  const std::string event = publish({endpoint_id_});
  start(&hub_);
  ASSERT_TRUE(eventually([&] { return cli_->deliveries().size() == 1; }));
  const listen::DeliveryFrame frame = cli_->deliveries()[0];
  EXPECT_EQ(frame.event_id, event);
  EXPECT_EQ(frame.body, store_->get_event(event)->body);
  EXPECT_TRUE(signature_verifies(frame.body, frame.signature, cli_->ready().secret,
                                 clock_.now_ms()));
  answer(frame, 200);
  ASSERT_TRUE(state_is(event, endpoint_id_, DeliveryState::kSucceeded));
  const std::vector<Attempt> attempts = attempts_of(event);
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(attempts[0].http_status, 200);
  EXPECT_EQ(attempts[0].latency_us, 3'000);
  EXPECT_EQ(store_->get_event(event)->pending_webhooks, 0);
}

TEST_F(DispatcherListenTest, AFailedLocalAnswerIsRetriedLikeAnyOther) {
  const std::string event = publish({endpoint_id_});
  start(&hub_);
  ASSERT_TRUE(eventually([&] { return cli_->deliveries().size() == 1; }));
  answer(cli_->deliveries()[0], 0, "connection_refused");
  ASSERT_TRUE(attempts_reach(event, endpoint_id_, 1));
  const Delivery delivery = delivery_of(event, endpoint_id_);
  EXPECT_EQ(delivery.state, DeliveryState::kPending);
  EXPECT_EQ(delivery.last_error, "connection_refused");
  advance(options_.test_schedule_ms[0]);
  ASSERT_TRUE(eventually([&] { return cli_->deliveries().size() == 2; }));
  answer(cli_->deliveries()[1], 204);
  ASSERT_TRUE(state_is(event, endpoint_id_, DeliveryState::kSucceeded));
}

TEST_F(DispatcherListenTest, AfterTheSessionClosesItsDeliveriesStop) {
  start(&hub_);
  callbacks_.on_close();  // the CLI went away: its endpoints are disabled
  const std::string event = publish({endpoint_id_});
  dispatcher_->wake();
  ASSERT_TRUE(state_is(event, endpoint_id_, DeliveryState::kFailed));
  EXPECT_EQ(delivery_of(event, endpoint_id_).attempt_count, 0);
  EXPECT_TRUE(cli_->deliveries().empty());
}

TEST_F(DispatcherListenTest, ADisconnectWithADeliveryOutstandingIsAFailedAttempt) {
  const std::string event = publish({endpoint_id_});
  start(&hub_);
  ASSERT_TRUE(eventually([&] { return cli_->deliveries().size() == 1; }));
  callbacks_.on_close();
  ASSERT_TRUE(attempts_reach(event, endpoint_id_, 1));
  EXPECT_EQ(delivery_of(event, endpoint_id_).last_error, "listen_session_disconnected");
}

}  // namespace
}  // namespace hookline::testing
