// End to end: start build/hookline-example-receiver on a free port, send it real
// signed requests, check the status codes and what it prints.
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "hookline/webhook.hpp"

extern char** environ;

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

constexpr char kSecret[] = "whsec_exampleReceiverPlatformSecret01";
constexpr char kConnectSecret[] = "whsec_exampleReceiverConnectSecret02";

// A child process with its stdout and stderr readable line by line.
class Process {
 public:
  Process(const std::vector<std::string>& args, const std::vector<std::string>& env_extra) {
    int out[2], err[2];
    if (pipe(out) != 0 || pipe(err) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, err[0]);

    std::vector<std::string> env;  // the test's environment without HOOKLINE_*, plus env_extra
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::string_view(*e).substr(0, 9) != "HOOKLINE_") env.emplace_back(*e);
    }
    env.insert(env.end(), env_extra.begin(), env_extra.end());
    std::vector<char*> argv, envp;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
    argv.push_back(nullptr);
    envp.push_back(nullptr);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    close(err[1]);
    out_ = out[0];
    err_ = err[0];
    if (rc != 0) throw std::runtime_error("posix_spawn failed");
  }
  ~Process() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(out_);
    close(err_);
  }

  // The next line on stdout (without '\n'), or nullopt after `timeout` or at EOF.
  std::optional<std::string> stdout_line(
      std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    return read_line(out_, out_buffer_, timeout);
  }
  std::string stderr_text(std::chrono::milliseconds timeout = std::chrono::milliseconds(200)) {
    std::string all;
    while (auto line = read_line(err_, err_buffer_, timeout)) all += *line + "\n";
    return all;
  }

  // Sends `signal` and waits; returns the exit status (or -signal number).
  int stop(int signal = SIGTERM) {
    kill(pid_, signal);
    return wait();
  }
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }

 private:
  static std::optional<std::string> read_line(int fd, std::string& buffer,
                                              std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      if (auto nl = buffer.find('\n'); nl != std::string::npos) {
        std::string line = buffer.substr(0, nl);
        buffer.erase(0, nl + 1);
        return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[4096];
      const ssize_t n = read(fd, chunk, sizeof chunk);
      if (n <= 0) return std::nullopt;
      buffer.append(chunk, static_cast<size_t>(n));
    }
  }

  pid_t pid_ = -1;
  int out_ = -1;
  int err_ = -1;
  std::string out_buffer_;
  std::string err_buffer_;
};

struct Reply {
  int status;
  std::string body;
};

Reply send(unsigned short port, http::verb method, const std::string& path, const std::string& body,
           const std::optional<std::string>& signature) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> req{method, path, 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "application/json; charset=utf-8");
  if (signature) req.set("Stripe-Signature", *signature);
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  return {static_cast<int>(res.result_int()), res.body()};
}

Reply post(unsigned short port, const std::string& path, const std::string& body,
           const std::optional<std::string>& signature) {
  return send(port, http::verb::post, path, body, signature);
}

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string event(const std::string& id, const std::string& type, const std::string& account,
                  const std::string& object) {
  return R"({"id":")" + id + R"(","object":"event","api_version":"2026-10-28.endive","created":)" +
         std::to_string(now()) + R"(,"livemode":false,"pending_webhooks":1,"type":")" + type +
         "\"" + (account.empty() ? "" : R"(,"account":")" + account + "\"") +
         R"(,"data":{"object":)" + object + "}}";
}

std::string payment_intent(const std::string& id, const std::string& account = "") {
  return event(id, "payment_intent.succeeded", account,
               R"({"id":"pi_)" + id.substr(4) +
                   R"(","object":"payment_intent","amount":2000,"currency":"usd"})");
}

std::string sign(const std::string& body, const std::string& secret, std::int64_t t = now()) {
  return hookline::generate_test_header(body, secret, t);
}

class ExampleReceiver : public ::testing::Test {
 protected:
  // Secrets from the environment, as a user would run it.
  void SetUp() override {
    receiver_.emplace(
        std::vector<std::string>{HOOKLINE_EXAMPLE_RECEIVER, "--port", "0"},
        std::vector<std::string>{std::string("HOOKLINE_WEBHOOK_SECRET=") + kSecret,
                                 std::string("HOOKLINE_CONNECT_WEBHOOK_SECRET=") + kConnectSecret});
    const auto line = receiver_->stdout_line();
    ASSERT_TRUE(line) << "no startup line; stderr: " << receiver_->stderr_text();
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(*line, m, std::regex(R"(listening on http://127\.0\.0\.1:(\d+))")))
        << *line;
    port_ = static_cast<unsigned short>(std::stoi(m[1].str()));
    ASSERT_NE(port_, 0);
  }

  std::string next_line() { return receiver_->stdout_line().value_or("<no line>"); }

  std::optional<Process> receiver_;
  unsigned short port_ = 0;
};

TEST_F(ExampleReceiver, HandlesAGenuineEventAnd200s) {
  const std::string body = payment_intent("evt_good1");
  const Reply r = post(port_, "/webhook", body, sign(body, kSecret));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "{\"received\":true}\n");
  EXPECT_EQ(next_line(), "PaymentIntent pi_good1 succeeded: 2000 usd (evt_good1 on /webhook)");
  EXPECT_EQ(receiver_->stop(), 0);
}

TEST_F(ExampleReceiver, RejectsBadSignaturesAndPayloadsWith400) {
  const std::string body = payment_intent("evt_bad1");
  struct Case {
    std::string body;
    std::optional<std::string> signature;
    std::string reason;
  };
  std::string changed = body;
  changed[changed.size() - 3] = 'X';
  const std::vector<Case> cases = {
      {body, sign(body, "whsec_wrong"),
       "Webhook signature verification failed: No signatures found matching the expected signature "
       "for payload.\n"},
      {changed, sign(body, kSecret),
       "Webhook signature verification failed: No signatures found matching the expected signature "
       "for payload.\n"},
      {body, std::nullopt,
       "Webhook signature verification failed: No stripe-signature header value was provided.\n"},
      {body, "garbage",
       "Webhook signature verification failed: Unable to extract timestamp and signatures from "
       "header\n"},
      {body, hookline::generate_test_header(body, kSecret, now(), "v0"),
       "Webhook signature verification failed: No signatures found with expected scheme v1 for "
       "payload\n"},
      {body, sign(body, kSecret, now() - 3600), ""},  // too old
      {"not json", sign("not json", kSecret),
       "Invalid payload: Payload is not valid JSON: syntax error\n"},
      {"[1,2]", sign("[1,2]", kSecret), "Invalid payload: Payload is not a JSON object\n"},
      {"{}", sign("{}", kSecret), "Invalid payload: Event payload has no string field \"id\"\n"},
  };
  for (const Case& c : cases) {
    const Reply r = post(port_, "/webhook", c.body, c.signature);
    EXPECT_EQ(r.status, 400) << c.body;
    if (c.reason.empty()) {
      EXPECT_EQ(
          r.body.rfind(
              "Webhook signature verification failed: Timestamp outside the tolerance zone", 0),
          0u)
          << r.body;
    } else {
      EXPECT_EQ(r.body, c.reason);
    }
  }
  // Nothing was handled: the next line is the next genuine event's.
  const std::string good = payment_intent("evt_after_bad");
  EXPECT_EQ(post(port_, "/webhook", good, sign(good, kSecret)).status, 200);
  EXPECT_EQ(next_line(),
            "PaymentIntent pi_after_bad succeeded: 2000 usd (evt_after_bad on /webhook)");
  EXPECT_EQ(receiver_->stop(), 0);
  EXPECT_NE(receiver_->stderr_text().find("Rejected a request on /webhook"), std::string::npos);
}

TEST_F(ExampleReceiver, EachEndpointHasItsOwnSecret) {
  const std::string body = payment_intent("evt_conn1", "acct_1Conn");
  EXPECT_EQ(post(port_, "/connect_webhook", body, sign(body, kSecret)).status, 400);
  EXPECT_EQ(post(port_, "/webhook", body, sign(body, kConnectSecret)).status, 400);
  EXPECT_EQ(post(port_, "/connect_webhook", body, sign(body, kConnectSecret)).status, 200);
  EXPECT_EQ(
      next_line(),
      "PaymentIntent pi_conn1 succeeded: 2000 usd on acct_1Conn (evt_conn1 on /connect_webhook)");
}

TEST_F(ExampleReceiver, DeauthorizationCleansUpTheConnectedAccount) {
  for (const std::string id : {"evt_d1", "evt_d2"}) {
    const std::string body = payment_intent(id, "acct_1Deauth");
    ASSERT_EQ(post(port_, "/connect_webhook", body, sign(body, kConnectSecret)).status, 200);
    next_line();
  }
  const std::string other = event("evt_d3", "customer.created", "acct_1Other", R"({"id":"cus_1"})");
  ASSERT_EQ(post(port_, "/connect_webhook", other, sign(other, kConnectSecret)).status, 200);
  EXPECT_EQ(next_line(),
            "Unhandled event type customer.created on acct_1Other (evt_d3 on /connect_webhook)");

  const std::string deauth = event("evt_deauth", "account.application.deauthorized", "acct_1Deauth",
                                   R"({"id":"ca_1App","object":"application","name":"Platform"})");
  const Reply r = post(port_, "/connect_webhook", deauth, sign(deauth, kConnectSecret));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(next_line(),
            "Connected account acct_1Deauth deauthorized: cleaned up 2 stored event(s) "
            "(evt_deauth on /connect_webhook)");
  // A second one finds nothing left to clean up.
  const std::string again = event("evt_deauth2", "account.application.deauthorized", "acct_1Deauth",
                                  R"({"id":"ca_1App","object":"application"})");
  EXPECT_EQ(post(port_, "/connect_webhook", again, sign(again, kConnectSecret)).status, 200);
  EXPECT_EQ(next_line(),
            "Connected account acct_1Deauth deauthorized: cleaned up 0 stored event(s) "
            "(evt_deauth2 on /connect_webhook)");
}

TEST_F(ExampleReceiver, OnlyPostOnItsTwoPaths) {
  const std::string body = payment_intent("evt_m1");
  EXPECT_EQ(send(port_, http::verb::get, "/webhook", "", std::nullopt).status, 405);
  EXPECT_EQ(post(port_, "/other", body, sign(body, kSecret)).status, 404);
  EXPECT_EQ(post(port_, "/webhook?source=test", body, sign(body, kSecret)).status, 200);
  EXPECT_EQ(next_line(), "PaymentIntent pi_m1 succeeded: 2000 usd (evt_m1 on /webhook)");
}

TEST_F(ExampleReceiver, KeepAliveConnectionCarriesSeveralEvents) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  beast::flat_buffer buffer;
  for (int i = 0; i < 3; ++i) {
    const std::string body = payment_intent("evt_ka" + std::to_string(i));
    http::request<http::string_body> req{http::verb::post, "/webhook", 11};
    req.set(http::field::host, "127.0.0.1");
    req.set("Stripe-Signature", sign(body, kSecret));
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_TRUE(res.keep_alive());
    EXPECT_EQ(next_line(), "PaymentIntent pi_ka" + std::to_string(i) +
                               " succeeded: 2000 usd (evt_ka" + std::to_string(i) +
                               " on /webhook)");
  }
}

TEST(ExampleReceiverFlags, SecretsFromFlagsAndConnectSecretDefaultsToTheSame) {
  Process receiver({HOOKLINE_EXAMPLE_RECEIVER, "--port", "0", "--secret", kSecret}, {});
  const auto line = receiver.stdout_line();
  ASSERT_TRUE(line);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(*line, m, std::regex(R"(:(\d+) )")));
  const auto port = static_cast<unsigned short>(std::stoi(m[1].str()));
  const std::string body = payment_intent("evt_flag1", "acct_1Flag");
  EXPECT_EQ(post(port, "/webhook", body, sign(body, kSecret)).status, 200);
  EXPECT_EQ(post(port, "/connect_webhook", body, sign(body, kSecret)).status, 200);
  EXPECT_EQ(receiver.stop(SIGINT), 0);
}

TEST(ExampleReceiverFlags, RefusesToStartWithoutASecret) {
  Process receiver({HOOKLINE_EXAMPLE_RECEIVER, "--port", "0"}, {});
  EXPECT_EQ(receiver.wait(), 2);
  EXPECT_NE(receiver.stderr_text().find("HOOKLINE_WEBHOOK_SECRET"), std::string::npos);
}

}  // namespace
