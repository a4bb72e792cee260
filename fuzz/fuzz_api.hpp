#pragma once
// What the API fuzz targets share: the real request path (RequestPipeline and
// handle_call) over a real SQLite store in a temporary directory, made once
// per process, and the checks every answer must pass.
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "api/api_context.hpp"
#include "api/http/request_pipeline.hpp"
#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "events/event_publisher.hpp"
#include "store/platform_identity.hpp"
#include "store/group_commit.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace hookline::fuzz {

// The keys and accounts the seed corpora and dictionaries use.
inline constexpr const char* kTestKey = "sk_test_51FuzzPlatformKey0000000000000000000001";
inline constexpr const char* kLiveKey = "sk_live_51FuzzPlatformKey0000000000000000000002";
inline constexpr const char* kPlatform = "acct_1FuzzPlatform0000";
inline constexpr const char* kConnected = "acct_1FuzzConnected000";
inline constexpr const char* kApiVersion = "2026-10-28.endive";

// Stops the fuzzer with a message: libFuzzer saves the input as a crash.
[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz property violated: %s\n", what.c_str());
  std::abort();
}

class ApiUnderTest {
 public:
  ApiUnderTest() : dir_(make_dir()), store_(open_sqlite_store((dir_ / "hookline.db").string())) {
    identity_.account_id = kPlatform;
    identity_.test_secret_key = kTestKey;
    identity_.live_secret_key = kLiveKey;
    store_->put_account(account(kPlatform, AccountType::kPlatform));
    store_->put_account(account(kConnected, AccountType::kExpress));
  }
  ~ApiUnderTest() {
    pipeline_.reset();
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  api::RequestPipeline& pipeline() { return *pipeline_; }
  Store& store() { return *store_; }

  // One per process: the store keeps what earlier inputs created, as a server would.
  static ApiUnderTest& instance() {
    static ApiUnderTest api;
    return api;
  }

 private:
  static std::filesystem::path make_dir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "hookline-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) fail("mkdtemp failed");
    return pattern;
  }
  static Account account(const std::string& id, AccountType type) {
    Account a;
    a.id = id;
    a.type = type;
    a.connected_live = type != AccountType::kPlatform;
    a.connected_test = type != AccountType::kPlatform;
    a.created = 1'767'225'600;
    a.object_json = R"({"id":")" + id + R"(","object":"account"})";
    return a;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  ManualClock clock_;
  Metrics metrics_;
  PlatformIdentity identity_;
  GroupCommitWriter writer_{*store_};
  EventPublisher publisher_{*store_, clock_, writer_, kPlatform, kApiVersion};
  api::ApiContext context_{*store_, clock_, publisher_, identity_, nullptr, &metrics_};
  std::unique_ptr<api::RequestPipeline> pipeline_ = std::make_unique<api::RequestPipeline>(
      context_, [this](const api::ApiCall& call) { return api::handle_call(context_, call); },
      /*listen_enabled=*/true);
};

inline bool has_header(const api::ApiResponse& response, std::string_view name) {
  for (const auto& [n, v] : response.headers) {
    if (n == name) return true;
  }
  return false;
}

// Every answer of the API: a status Stripe uses, Request-Id and Stripe-Version,
// header values that cannot split the response, and a JSON body; an error is
// {"error":{"type","message",…}}, or under /oauth/ Stripe's OAuth shape
// {"error":"<code>","error_description":"…"}. A 500 is a bug (an unexpected exception).
inline void check_answer(const api::ApiResponse& response, bool oauth = false) {
  if (response.status < 200 || response.status > 599) {
    fail("status " + std::to_string(response.status));
  }
  if (response.status == 500) fail("500: " + response.body);
  if (!has_header(response, "Request-Id") || !has_header(response, "Stripe-Version")) {
    fail("Request-Id or Stripe-Version missing");
  }
  bool json = true;
  for (const auto& [name, value] : response.headers) {
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
      fail("header " + name + " holds CR, LF or NUL");
    }
    if (name == "Content-Type") json = value.starts_with("application/json");
  }
  if (!json) return;  // GET /metrics: Prometheus text
  boost::system::error_code ec;
  const boost::json::value body = boost::json::parse(response.body, ec);
  if (ec || !body.is_object()) fail("body is not a JSON object: " + response.body);
  if (response.status < 400) return;
  const auto* error = body.as_object().if_contains("error");
  if (oauth && error != nullptr && error->is_string()) {
    const auto* description = body.as_object().if_contains("error_description");
    if (description == nullptr || !description->is_string() || description->as_string().empty()) {
      fail("OAuth error without error_description: " + response.body);
    }
    return;
  }
  if (error == nullptr || !error->is_object()) fail("error body without error: " + response.body);
  const auto* type = error->as_object().if_contains("type");
  const auto* message = error->as_object().if_contains("message");
  if (type == nullptr || !type->is_string() || message == nullptr || !message->is_string() ||
      message->as_string().empty()) {
    fail("error without type or message: " + response.body);
  }
}

}  // namespace hookline::fuzz
