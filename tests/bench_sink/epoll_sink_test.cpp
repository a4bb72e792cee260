// The sink on a loopback connection: requests split across writes and
// pipelined in one write are each answered and counted; GET /count answers
// the count without counting itself.
#include "epoll_sink.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

namespace bench {
namespace {

class SinkClient {
 public:
  explicit SinkClient(uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    EXPECT_EQ(connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  }
  ~SinkClient() { close(fd_); }

  void send_text(const std::string& text) {
    ASSERT_EQ(send(fd_, text.data(), text.size(), 0), static_cast<ssize_t>(text.size()));
  }
  // Reads until `bytes` bytes have arrived (or the connection ends).
  std::string receive(std::size_t bytes) {
    std::string got;
    char buffer[4096];
    while (got.size() < bytes) {
      const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      got.append(buffer, static_cast<std::size_t>(n));
    }
    return got;
  }

 private:
  int fd_;
};

const std::string kOk = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
const std::string kPost = "POST /p1 HTTP/1.1\r\nContent-Length: 11\r\n\r\n{\"id\":\"e1\"}";

std::string count_answer(const std::string& count) {
  return "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
         std::to_string(count.size()) + "\r\n\r\n" + count;
}

TEST(EpollSink, AnswersAndCountsEachRequestOfAKeepAliveConnection) {
  EpollSink sink("127.0.0.1", 0);
  ASSERT_NE(sink.port(), 0);
  std::thread serving([&sink] { sink.run(); });
  {
    SinkClient client(sink.port());
    client.send_text(kPost.substr(0, 20));  // the head split across writes
    client.send_text(kPost.substr(20, 30));
    client.send_text(kPost.substr(50));
    EXPECT_EQ(client.receive(kOk.size()), kOk);
    client.send_text(kPost + kPost + "GET /count HTTP/1.1\r\n\r\n");  // pipelined
    const std::string expected = kOk + kOk + count_answer("3");
    EXPECT_EQ(client.receive(expected.size()), expected);
  }
  {
    SinkClient other(sink.port());
    other.send_text("GET /count HTTP/1.1\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(other.receive(1000), count_answer("3"));  // the sink closed the connection
  }
  sink.stop();
  serving.join();
}

TEST(EpollSink, ClosesAConnectionWhoseRequestEndCannotBeFound) {
  EpollSink sink("127.0.0.1", 0);
  std::thread serving([&sink] { sink.run(); });
  {
    SinkClient client(sink.port());
    client.send_text(
        "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    EXPECT_EQ(client.receive(1000), "");
  }
  SinkClient counter(sink.port());
  counter.send_text("GET /count HTTP/1.1\r\n\r\n");
  EXPECT_EQ(counter.receive(count_answer("0").size()), count_answer("0"));
  sink.stop();
  serving.join();
}

}  // namespace
}  // namespace bench
