// The HTTP sender against real local receivers (tests/support/test_receiver).
#include "delivery/http_sender.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "delivery/sender_driver.hpp"
#include "test_receiver.hpp"

namespace hookline::delivery {
namespace {

using hookline::testing::Reply;
using hookline::testing::TestReceiver;
using namespace std::chrono_literals;

using delivery::testing::request_to;
using delivery::testing::SenderDriver;

TEST(HttpSenderTest, PostsTheBodyWithTheWebhookHeaders) {
  TestReceiver receiver;
  HttpSenderOptions options;
  options.user_agent = "hookline-test/1.0";
  SenderDriver sender(options);
  const std::string body = "{\"id\":\"evt_1\",\"text\":\"caf\xc3\xa9\"}";
  const SendResult result = sender.send_and_wait(request_to(receiver.url("/hook"), body));
  EXPECT_EQ(result.http_status, 200);
  EXPECT_EQ(result.error, "");
  EXPECT_EQ(result.response_excerpt, "ok");
  EXPECT_GT(result.latency_us, 0);
  const auto requests = receiver.requests("/hook");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].body, body);
  EXPECT_EQ(requests[0].header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(requests[0].header("User-Agent"), "hookline-test/1.0");
  EXPECT_EQ(requests[0].header("Stripe-Signature"), "t=1,v1=abc");
  EXPECT_EQ(requests[0].header("Expect"), "");
  EXPECT_EQ(requests[0].header("Content-Length"), std::to_string(body.size()));
}

TEST(HttpSenderTest, LargeBodiesAreSentWholeWithoutExpectContinue) {
  TestReceiver receiver;
  SenderDriver sender;
  const std::string body(200'000, 'x');
  const SendResult result = sender.send_and_wait(request_to(receiver.url("/big"), body));
  EXPECT_EQ(result.http_status, 200);
  const auto requests = receiver.requests("/big");
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].body, body);
  EXPECT_EQ(requests[0].header("Expect"), "");
}

TEST(HttpSenderTest, StatusesAreReportedAsAnswered) {
  TestReceiver receiver;
  receiver.script("/h", {Reply::with_status(500, "boom"), Reply::with_status(404),
                         Reply::with_status(201)});
  SenderDriver sender;
  EXPECT_EQ(sender.send_and_wait(request_to(receiver.url("/h"))).http_status, 500);
  EXPECT_EQ(sender.send_and_wait(request_to(receiver.url("/h"))).http_status, 404);
  EXPECT_EQ(sender.send_and_wait(request_to(receiver.url("/h"))).http_status, 201);
}

TEST(HttpSenderTest, RedirectsAreNeverFollowed) {
  TestReceiver receiver;
  receiver.script("/old", Reply::redirect(receiver.url("/new")));
  SenderDriver sender;
  const SendResult result = sender.send_and_wait(request_to(receiver.url("/old")));
  EXPECT_EQ(result.http_status, 302);
  // The result is the 302 itself: a followed redirect would have come first.
  EXPECT_EQ(receiver.request_count("/new"), 0u);
}

TEST(HttpSenderTest, ResponseExcerptIsTheFirst4KiB) {
  TestReceiver receiver;
  receiver.script("/long", Reply::with_status(400, std::string(10'000, 'r')));
  SenderDriver sender;
  const SendResult result = sender.send_and_wait(request_to(receiver.url("/long")));
  EXPECT_EQ(result.http_status, 400);
  EXPECT_EQ(result.response_excerpt, std::string(4096, 'r'));
}

TEST(HttpSenderTest, TimeoutIsNamed) {
  TestReceiver receiver;
  receiver.script("/silent", Reply::never_answer());
  SenderDriver sender;
  SendRequest request = request_to(receiver.url("/silent"));
  request.timeout_ms = 300;
  const SendResult result = sender.send_and_wait(std::move(request));
  EXPECT_EQ(result.http_status, 0);
  EXPECT_EQ(result.error, "timeout");
  EXPECT_GE(result.latency_us, 290'000);  // not before the timeout
}

TEST(HttpSenderTest, ConnectionRefusedIsNamed) {
  SenderDriver sender;
  const hookline::testing::RefusingPort refusing;
  const SendResult result = sender.send_and_wait(request_to(refusing.url("/x")));
  EXPECT_EQ(result.http_status, 0);
  EXPECT_EQ(result.error, "connection_refused");
}

TEST(HttpSenderTest, ConnectionResetIsNamed) {
  TestReceiver receiver;
  receiver.script("/reset", Reply::reset());
  SenderDriver sender;
  const SendResult result = sender.send_and_wait(request_to(receiver.url("/reset")));
  EXPECT_EQ(result.http_status, 0);
  EXPECT_EQ(result.error, "connection_reset");
}

TEST(HttpSenderTest, UnknownHostIsADnsError) {
  SenderDriver sender;
  const SendResult result = sender.send_and_wait(request_to("http://no-such-host.invalid/x"));
  EXPECT_EQ(result.http_status, 0);
  EXPECT_EQ(result.error, "dns_error");
}

TEST(HttpSenderTest, OtherFailuresCarryCurlsMessage) {
  SenderDriver sender;
  const SendResult result = sender.send_and_wait(request_to("ftp://127.0.0.1/x"));
  EXPECT_EQ(result.http_status, 0);
  EXPECT_EQ(result.error.rfind("error: ", 0), 0u) << result.error;
}

TEST(HttpSenderTest, PrivateAddressesAreBlockedWhenAsked) {
  TestReceiver receiver;
  SenderDriver sender;
  SendRequest blocked = request_to(receiver.url("/private"));
  blocked.block_private_addresses = true;
  const SendResult result = sender.send_and_wait(std::move(blocked));
  EXPECT_EQ(result.http_status, 0);
  EXPECT_EQ(result.error, "private_address_blocked");
  // By name too: the check is on the address connected to, after DNS.
  SendRequest by_name = request_to("http://localhost:" + std::to_string(receiver.port()) + "/p");
  by_name.block_private_addresses = true;
  EXPECT_EQ(sender.send_and_wait(std::move(by_name)).error, "private_address_blocked");
  EXPECT_EQ(receiver.request_count(), 0u);
  EXPECT_EQ(receiver.connection_count(), 0u);  // not even connected
  EXPECT_EQ(sender.send_and_wait(request_to(receiver.url("/private"))).http_status, 200);
}

TEST(HttpSenderTest, AReusedConnectionIsCheckedToo) {
  TestReceiver receiver;
  SenderDriver sender;
  // An allowed request leaves a kept-alive connection to 127.0.0.1 in the cache ...
  ASSERT_EQ(sender.send_and_wait(request_to(receiver.url("/a"))).http_status, 200);
  // ... which a blocked request must not use.
  SendRequest blocked = request_to(receiver.url("/b"));
  blocked.block_private_addresses = true;
  EXPECT_EQ(sender.send_and_wait(std::move(blocked)).error, "private_address_blocked");
  EXPECT_EQ(receiver.request_count("/b"), 0u);
}

TEST(HttpSenderTest, ConnectionsAreReusedPerHost) {
  TestReceiver receiver;
  SenderDriver sender;
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(sender.send_and_wait(request_to(receiver.url("/seq"))).http_status, 200);
  }
  EXPECT_EQ(receiver.connection_count(), 1u);
}

TEST(HttpSenderTest, ManyConcurrentRequestsStayWithinTheHostConnectionLimit) {
  TestReceiver receiver;
  receiver.script("/slowish", Reply::delayed(200, 20ms));
  HttpSenderOptions options;
  options.max_host_connections = 8;
  SenderDriver sender(options);
  constexpr int kCount = 200;
  for (int i = 0; i < kCount; ++i) sender.send(request_to(receiver.url("/slowish")));
  ASSERT_TRUE(sender.drain());
  ASSERT_EQ(sender.results().size(), static_cast<std::size_t>(kCount));
  for (const auto& [tag, result] : sender.results()) {
    EXPECT_EQ(result.http_status, 200) << result.error;
  }
  EXPECT_LE(receiver.connection_count(), 8u);
  EXPECT_EQ(sender.sender().in_flight(), 0u);
}

TEST(HttpSenderTest, ASlowEndpointDoesNotHoldBackOthers) {
  TestReceiver slow;
  TestReceiver fast;
  slow.script("/slow", Reply::never_answer());
  SenderDriver sender;
  std::vector<uint64_t> slow_tags;
  for (int i = 0; i < 50; ++i) {
    SendRequest request = request_to(slow.url("/slow"));
    request.timeout_ms = 600'000;  // they end only when the test closes them
    slow_tags.push_back(sender.send(std::move(request)));
  }
  for (int turn = 0; turn < 2'000 && slow.request_count("/slow") < 50; ++turn) {
    sender.sender().run_once(10);
  }
  ASSERT_EQ(slow.request_count("/slow"), 50u);
  // Order, not speed: every fast request is answered while all slow ones are open.
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(sender.send_and_wait(request_to(fast.url("/fast"))).http_status, 200);
  }
  for (uint64_t tag : slow_tags) EXPECT_EQ(sender.results().count(tag), 0u);
  slow.stop();  // the held connections close: those attempts end now
  ASSERT_TRUE(sender.drain());
  for (uint64_t tag : slow_tags) EXPECT_EQ(sender.results().count(tag), 1u);
}

}  // namespace
}  // namespace hookline::delivery
