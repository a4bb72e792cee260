// Regression tests of issue 10's transport items: buffers that network input
// grows are bounded (chunk extensions, trailers, chunk framing), and one
// client cannot take every connection slot.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api_http_test_support.hpp"

namespace hookline::api::testing {
namespace {

std::string chunked_post_head() {
  return std::string("POST /v1/events HTTP/1.1\r\nHost: x\r\n") +
         "Transfer-Encoding: chunked\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n";
}

// Sends `head`, then `filler` in pieces until the server stops taking it
// (or `limit` bytes went out); returns what the server answered.
std::string flood(uint16_t port, const std::string& head, char filler, std::size_t limit) {
  RawConnection connection(port);
  EXPECT_TRUE(connection.connected());
  connection.send(head);
  const std::string piece(64 << 10, filler);
  for (std::size_t sent = 0; sent < limit; sent += piece.size()) {
    if (!connection.send(piece)) break;
  }
  connection.finish_sending();
  return connection.read_all();
}

class HardeningTest : public ApiServerTest {};

TEST_F(HardeningTest, ChunkExtensionWithoutEndIs413) {
  start();
  // "48;eeee…" and no CRLF, ever: 64 MiB offered; the server stops at its bound.
  const std::string answer = flood(port(), chunked_post_head() + "48;", 'e', 64 << 20);
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 413") << answer.substr(0, 200);
  EXPECT_NE(answer.find("chunk framing"), std::string::npos);
  EXPECT_EQ(call_count(), 0u);
  HttpClient client(port());
  EXPECT_EQ(client.get("/healthz").status, 200);
}

TEST_F(HardeningTest, ChunkTrailerWithoutEndIs413) {
  start();
  const std::string head = chunked_post_head() + "3\r\na=b\r\n0\r\nX-T: ";
  const std::string answer = flood(port(), head, 'a', 64 << 20);
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 413") << answer.substr(0, 200);
  EXPECT_EQ(call_count(), 0u);
}

TEST_F(HardeningTest, ManyChunksWithLongExtensionsExceedTheFramingBudget) {
  ApiServerOptions options;
  options.max_body_bytes = 1000;
  options.max_header_bytes = 1000;
  start(options);
  // Each chunk carries one byte and 500 bytes of extension: the body stays
  // under its limit while the framing does not.
  RawConnection connection(port());
  ASSERT_TRUE(connection.send(chunked_post_head()));
  const std::string chunk = "1;" + std::string(500, 'e') + "\r\na\r\n";
  for (int i = 0; i < 50; ++i) {
    if (!connection.send(chunk)) break;
  }
  connection.finish_sending();
  const std::string answer = connection.read_all();
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 413") << answer.substr(0, 200);
  EXPECT_EQ(call_count(), 0u);
}

TEST_F(HardeningTest, ShortChunkExtensionsAndTrailersAreStillAccepted) {
  start();
  RawConnection connection(port());
  ASSERT_TRUE(connection.send(std::string("POST /v1/events HTTP/1.1\r\nHost: x\r\n") + bearer() +
                              "\r\nTransfer-Encoding: chunked\r\n"
                              "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
                              "3;name=value\r\na=b\r\n0\r\nX-Trailer: yes\r\n\r\n"));
  const std::vector<std::string> answers = connection.read_responses(1);
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].substr(0, 12), "HTTP/1.1 200") << answers[0];
  ASSERT_EQ(call_count(), 1u);
  EXPECT_EQ(calls()[0].params.at("a"), "b");
}

TEST_F(HardeningTest, SilentConnectionsAreClosedAfterTheHeadTimeout) {
  ApiServerOptions options;
  options.request_head_timeout_seconds = 1;
  options.idle_timeout_seconds = 600;  // a keep-alive idle time does not apply before a request
  start(options);
  RawConnection silent(port());
  ASSERT_TRUE(silent.connected());
  EXPECT_EQ(silent.read_all(), "");  // returns once the server closes
  // A slow head (one byte, then nothing) is cut off the same way.
  RawConnection slow(port());
  ASSERT_TRUE(slow.send("G"));
  EXPECT_EQ(slow.read_all(), "");
}

TEST_F(HardeningTest, OneClientCannotTakeEverySlot) {
  ApiServerOptions options;
  options.max_connections_per_client = 20;
  start(options);
  // The attacker connects from 127.0.0.2, everyone else from 127.0.0.1.
  std::vector<std::unique_ptr<RawConnection>> attack;
  for (int i = 0; i < 60; ++i) {
    attack.push_back(std::make_unique<RawConnection>(port(), "127.0.0.2"));
    ASSERT_TRUE(attack.back()->connected());
  }
  // Beyond its share, the attacker's connections are closed at once…
  int closed = 0;
  for (std::size_t i = 20; i < attack.size(); ++i) closed += attack[i]->closed_by_server();
  EXPECT_EQ(closed, 40);
  // …while everyone else is still served: health, and the API.
  HttpClient client(port());
  EXPECT_EQ(client.get("/healthz").status, 200);
  EXPECT_EQ(client.get("/v1/events?under=attack", {bearer()}).status, 200);
  // Its share frees up when it closes connections.
  attack.clear();
  for (int attempt = 0; attempt < 200; ++attempt) {
    RawConnection again(port(), "127.0.0.2");
    again.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const std::string answer = again.read_all();
    if (answer.substr(0, 12) == "HTTP/1.1 200") return;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL() << "the attacker's share did not free up";
}

}  // namespace
}  // namespace hookline::api::testing
