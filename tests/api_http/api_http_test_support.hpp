#pragma once
// A running ApiServer on a free loopback port with a temporary SQLite store
// and a recording call handler, and two clients: libcurl for well-formed
// HTTP, a raw TCP socket for whatever bytes a test wants to send.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/api_server.hpp"
#include "core/metrics.hpp"
#include "events/event_publisher.hpp"
#include "store/group_commit.hpp"
#include "store/store_test_support.hpp"

namespace hookline::api::testing {

inline constexpr const char* kTestKey = "sk_test_51TransportTestKey000000000000001234";
inline constexpr const char* kLiveKey = "sk_live_51TransportLiveKey000000000000005678";
inline constexpr const char* kPlatform = "acct_platform";
inline constexpr const char* kApiVersion = "2026-10-28.endive";

struct HttpResult {
  long status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string error;  // libcurl's, when there was no answer
  long new_connections = 0;  // connections libcurl opened for this request

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  boost::json::value json() const { return boost::json::parse(body); }
};

struct HttpRequest {
  std::string method = "GET";
  std::string path = "/";
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  std::string basic_user;  // set: basic auth "<user>:" by libcurl
};

// One libcurl handle: requests made through one client reuse its connection.
class HttpClient {
 public:
  explicit HttpClient(uint16_t port) : port_(port), curl_(curl_easy_init()) {}
  ~HttpClient() { curl_easy_cleanup(curl_); }
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResult send(const HttpRequest& request) {
    HttpResult result;
    curl_easy_reset(curl_);
    const std::string url = "http://127.0.0.1:" + std::to_string(port_) + request.path;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method == "POST") {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
    curl_slist* headers = nullptr;
    for (const std::string& header : request.headers) {
      headers = curl_slist_append(headers, header.c_str());
    }
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, headers);
    if (!request.basic_user.empty()) {
      curl_easy_setopt(curl_, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(curl_, CURLOPT_USERNAME, request.basic_user.c_str());
      curl_easy_setopt(curl_, CURLOPT_PASSWORD, "");
    }
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &HttpClient::on_body);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &result.body);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &HttpClient::on_header);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &result.headers);
    const CURLcode code = curl_easy_perform(curl_);
    curl_slist_free_all(headers);
    if (code != CURLE_OK) {
      result.error = curl_easy_strerror(code);
    } else {
      curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &result.status);
      curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &result.new_connections);
    }
    return result;
  }

  HttpResult get(const std::string& path, std::vector<std::string> headers = {}) {
    return send(HttpRequest{"GET", path, std::move(headers), {}, {}});
  }
  HttpResult post(const std::string& path, std::string body,
                  std::vector<std::string> headers = {}) {
    return send(HttpRequest{"POST", path, std::move(headers), std::move(body), {}});
  }

 private:
  static size_t on_body(char* data, size_t size, size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
  }
  static size_t on_header(char* data, size_t size, size_t count, void* out) {
    std::string line(data, size * count);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      const auto first = value.find_first_not_of(" \t");
      const auto last = value.find_last_not_of(" \t\r\n");
      value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
      (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
    }
    return size * count;
  }

  uint16_t port_;
  CURL* curl_;
};

inline std::string bearer(const std::string& key = kTestKey) {
  return "Authorization: Bearer " + key;
}

// A plain TCP connection to the server, for bytes no HTTP client would send.
class RawConnection {
 public:
  // `source`: another loopback address to connect from ("127.0.0.2": all of
  // 127.0.0.0/8 is loopback on Linux), to play a second client.
  explicit RawConnection(uint16_t port, const char* source = nullptr)
      : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (source != nullptr) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      inet_pton(AF_INET, source, &local.sin_addr);
      ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local);
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{20, 0};  // a safety net: no test waits this long when things work
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }

  // False if the server closed the connection before taking it all.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }
  void finish_sending() { ::shutdown(fd_, SHUT_WR); }

  // Everything until the server closes (or the safety timeout, or a reset).
  std::string read_all() {
    std::string received;
    char chunk[16384];
    for (;;) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) break;
      received.append(chunk, static_cast<std::size_t>(n));
    }
    return received;
  }

  // True once the server closed the connection without a byte more.
  bool closed_by_server() {
    char byte;
    return ::recv(fd_, &byte, 1, 0) == 0;
  }

  // At least `count` complete HTTP responses with Content-Length bodies.
  std::vector<std::string> read_responses(std::size_t count) {
    std::vector<std::string> responses;
    std::string pending;
    char chunk[16384];
    while (responses.size() < count) {
      const auto end = pending.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::string head = pending.substr(0, end);
        for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto at = head.find("content-length:");
        const std::size_t length = at == std::string::npos ? 0 : std::stoul(head.substr(at + 15));
        if (pending.size() >= end + 4 + length) {
          responses.push_back(pending.substr(0, end + 4 + length));
          pending.erase(0, end + 4 + length);
          continue;
        }
      }
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) break;
      pending.append(chunk, static_cast<std::size_t>(n));
    }
    return responses;
  }

 private:
  int fd_;
  bool connected_ = false;
};

// The server with a handler that records each call and answers it with the
// call as JSON (or with `respond`, when a test sets it).
class ApiServerTest : public hookline::testing::StoreTest {
 protected:
  ApiServerTest() {
    identity_.account_id = kPlatform;
    identity_.test_secret_key = kTestKey;
    identity_.live_secret_key = kLiveKey;
    store().put_account(hookline::testing::make_account(kPlatform, AccountType::kPlatform));
  }
  ~ApiServerTest() override { stop(); }

  void start(ApiServerOptions options = {}, ListenAcceptor acceptor = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<ApiServer>(context_, options, std::move(acceptor),
                                          [this](const ApiCall& call) { return answer(call); });
    server_->start();
  }
  void stop() {
    if (server_) server_->stop();
    server_.reset();
  }
  uint16_t port() const { return server_->port(); }

  std::vector<ApiCall> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::size_t call_count() {
    std::lock_guard lock(mutex_);
    return calls_.size();
  }

  static ApiResponse echo(const ApiCall& call) {
    boost::json::object out;
    out["method"] = call.method;
    out["path"] = call.path;
    out["params"] = call.params;
    out["json_body"] = call.json_body;
    out["api_key"] = call.api_key;
    out["livemode"] = call.livemode;
    out["account_id"] = call.account_id;
    out["as_connected_account"] = call.as_connected_account;
    out["platform_account_id"] = call.platform_account_id;
    out["request_id"] = call.request_id;
    out["idempotency_key"] = call.idempotency_key;
    return ApiResponse{200, boost::json::serialize(out), {}};
  }

  std::function<ApiResponse(const ApiCall&)> respond_ = &ApiServerTest::echo;

 private:
  ApiResponse answer(const ApiCall& call) {
    {
      std::lock_guard lock(mutex_);
      calls_.push_back(call);
    }
    return respond_(call);
  }

 protected:
  ManualClock clock_;
  Metrics metrics_;
  GroupCommitWriter writer_{store()};
  EventPublisher publisher_{store(), clock_, writer_, kPlatform, kApiVersion};
  PlatformIdentity identity_;
  ApiContext context_{store(), clock_, publisher_, identity_, nullptr, &metrics_};
  std::unique_ptr<ApiServer> server_;

 private:
  std::mutex mutex_;
  std::vector<ApiCall> calls_;
};

}  // namespace hookline::api::testing
