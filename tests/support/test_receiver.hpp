#pragma once
// A local HTTP server for tests that deliver webhooks: listens on 127.0.0.1 on
// an ephemeral port, answers each path as scripted, and keeps every request
// (method, path, headers, body) for the test to inspect.
//
//   TestReceiver receiver;
//   receiver.script("/hook", {Reply::status(500), Reply::status(200)});
//   ... deliver to receiver.url("/hook") ...
//   ASSERT_TRUE(receiver.wait_for_requests("/hook", 2));
//
// A path without a script answers 200 "ok". Each request to a path takes the
// next reply of its script; the last one repeats. Replies are answered
// concurrently: a delayed or never-answered request holds back no other.
// HTTP/1.1 keep-alive is honoured.
//
// Thread safety: every method may be called from any thread.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hookline::testing {

struct Reply {
  enum class Kind {
    kAnswer,       // an HTTP response (after `delay`)
    kNeverAnswer,  // read the request, then keep the connection open, silent
    kReset,        // read the request, then reset the connection (RST)
  };
  Kind kind = Kind::kAnswer;
  int status = 200;
  std::chrono::milliseconds delay{0};
  std::string body = "ok";
  std::string location;  // sent as `Location` when not empty

  static Reply with_status(int status, std::string body = "ok");
  static Reply delayed(int status, std::chrono::milliseconds delay);
  static Reply redirect(std::string location, int status = 302);
  static Reply never_answer();
  static Reply reset();
};

struct ReceivedRequest {
  std::string method;
  std::string target;  // as sent, with any query
  std::string path;    // without the query
  std::map<std::string, std::string> headers;  // names lowercased; repeated names joined by ", "
  std::string body;
  std::chrono::steady_clock::time_point received_at;

  // The value of a header (name in any case), or "" when absent.
  std::string header(const std::string& name) const;
};

class TestReceiver {
 public:
  TestReceiver();  // listening once constructed
  ~TestReceiver();  // stop()
  TestReceiver(const TestReceiver&) = delete;
  TestReceiver& operator=(const TestReceiver&) = delete;

  uint16_t port() const;
  // "http://127.0.0.1:<port><path>"
  std::string url(const std::string& path) const;

  // Replaces the script of `path` (and restarts it at its first reply).
  void script(const std::string& path, std::vector<Reply> replies);
  void script(const std::string& path, Reply reply) { script(path, std::vector<Reply>{reply}); }

  // Every request received so far to `path` ("" for every path), oldest first.
  std::vector<ReceivedRequest> requests(const std::string& path = "") const;
  std::size_t request_count(const std::string& path = "") const;
  // TCP connections accepted so far (to check that clients reuse them).
  std::size_t connection_count() const;
  // Waits (real time) until at least `count` requests reached `path`; false on timeout.
  bool wait_for_requests(const std::string& path, std::size_t count,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

  // Closes the listener and every connection (held ones included). Idempotent.
  void stop();

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

// A 127.0.0.1 port bound but not listening, for as long as this lives:
// connections to it are refused, and nothing else can take the port meanwhile
// (a port merely found free could be taken by another test before it is used).
class RefusingPort {
 public:
  RefusingPort();
  ~RefusingPort();
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;

  uint16_t port() const;
  // "http://127.0.0.1:<port><path>"
  std::string url(const std::string& path) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hookline::testing
