// Issue 15, the publish path through the running server: POST /v1/events is
// answered from its group commit's completion (no handler thread waits for
// the commit), and with an Idempotency-Key its answer is kept in the event's
// own transaction, the key held in memory meanwhile on SQLite (no
// reservation row); a failed commit is a 5xx that is not kept.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "api/http/idempotency.hpp"
#include "api/http/request_pipeline.hpp"
#include "api_http_test_support.hpp"
#include "store/sqlite/sqlite_connection.hpp"

namespace hookline::api::testing {
namespace {

constexpr const char* kEventBody =
    R"({"type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","object":"payment_intent","amount":2000}}})";

class PublishPathTest : public ApiServerTest {
 protected:
  PublishPathTest() {
    respond_ = [this](const ApiCall& call) { return start_call(context_, call); };
  }

  HttpResult publish(HttpClient& client, const std::string& key) {
    std::vector<std::string> headers = {bearer(), "Content-Type: application/json"};
    if (!key.empty()) headers.push_back("Idempotency-Key: " + key);
    return client.post("/v1/events", kEventBody, headers);
  }

  // Holds the group-commit writer (in the completion of a write of its own)
  // until release(): the publishes queued meanwhile wait for their commit.
  void hold_writer() {
    writer_.write_async(hookline::testing::make_event("evt_hold", kPlatform, 1), {},
                        [this](std::exception_ptr) {
                          std::unique_lock lock(gate_mutex_);
                          held_ = true;
                          gate_.notify_all();
                          gate_.wait(lock, [this] { return released_; });
                        });
    std::unique_lock lock(gate_mutex_);
    gate_.wait(lock, [this] { return held_; });
  }
  void release_writer() {
    {
      std::lock_guard lock(gate_mutex_);
      released_ = true;
    }
    gate_.notify_all();
  }

  // Every event insert fails, as a full or damaged disk would make it, until
  // `raw` runs "DROP TRIGGER refuse_events".
  static void refuse_event_inserts(sqlite::SqliteConnection& raw) {
    raw.exec(
        "CREATE TRIGGER refuse_events BEFORE INSERT ON events "
        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  }

  // Until the server has received `count` calls (it records each before answering it).
  void wait_for_calls(std::size_t count) {
    while (call_count() < count) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }

  std::mutex gate_mutex_;
  std::condition_variable gate_;
  bool held_ = false;
  bool released_ = false;
};

TEST_F(PublishPathTest, TheOnlyHandlerThreadIsFreeWhileAKeyedPublishCommits) {
  ApiServerOptions options;
  options.handler_threads = 1;
  start(options);
  hold_writer();
  HttpResult first;
  std::thread publisher([&] {
    HttpClient client(port());
    first = publish(client, "key-1");
  });
  wait_for_calls(1);

  // The one handler thread is not parked on that commit: other calls are
  // answered meanwhile, and the same key is in use (409)...
  HttpClient other(port());
  EXPECT_EQ(other.get("/healthz").status, 200);
  const HttpResult concurrent = publish(other, "key-1");
  EXPECT_EQ(concurrent.status, 409) << concurrent.body;
  EXPECT_EQ(concurrent.json().at("error").at("code"), "idempotency_key_in_use");
  // ...held in memory only: SQLite has one server per data dir, no row is written.
  const std::string scope = idempotency_scope(kTestKey, kPlatform);
  EXPECT_FALSE(store().get_idempotent(scope, "key-1"));

  release_writer();
  publisher.join();
  ASSERT_EQ(first.status, 200) << first.body;
  const std::string event_id(first.json().at("id").as_string());
  EXPECT_EQ(first.json().at("pending_webhooks"), 0);
  EXPECT_TRUE(store().get_event(event_id));

  // Kept with the event: replayed, not run again.
  const std::optional<IdempotentResponse> kept = store().get_idempotent(scope, "key-1");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->status, 200);
  EXPECT_EQ(kept->body, first.body);
  const HttpResult replay = publish(other, "key-1");
  EXPECT_EQ(replay.status, 200);
  EXPECT_EQ(replay.body, first.body);
  EXPECT_EQ(replay.header("idempotent-replayed"), "true");
  EXPECT_EQ(replay.header("original-request"), first.header("request-id"));
}

TEST_F(PublishPathTest, AFailedCommitIsA5xxThatIsNotKeptAndTheKeyRunsAgain) {
  start();
  sqlite::SqliteConnection raw(db_path());
  refuse_event_inserts(raw);
  HttpClient client(port());
  const HttpResult failed = publish(client, "key-2");
  EXPECT_EQ(failed.status, 500) << failed.body;
  EXPECT_EQ(failed.header("stripe-should-retry"), "true");
  EXPECT_EQ(failed.header("idempotency-key"), "key-2");
  EXPECT_FALSE(store().get_idempotent(idempotency_scope(kTestKey, kPlatform), "key-2"));

  raw.exec("DROP TRIGGER refuse_events");
  const HttpResult retried = publish(client, "key-2");
  EXPECT_EQ(retried.status, 200) << retried.body;
  EXPECT_TRUE(retried.header("idempotent-replayed").empty());
  EXPECT_TRUE(store().get_event(std::string(retried.json().at("id").as_string())));
}

// h17a: the answer's headers are made before the commit (on the thread that
// writes the answer); a failed commit's answer is made again, with its own.
TEST_F(PublishPathTest, AFailedUnkeyedCommitIsA5xxWithTheHeadersOfAnError) {
  start();
  sqlite::SqliteConnection raw(db_path());
  refuse_event_inserts(raw);
  HttpClient client(port());
  const HttpResult failed = publish(client, "");
  EXPECT_EQ(failed.status, 500) << failed.body;
  EXPECT_EQ(failed.header("stripe-should-retry"), "true");
  EXPECT_TRUE(failed.header("idempotency-key").empty());
  const std::string request_id = failed.header("request-id");
  EXPECT_EQ(request_id.substr(0, 4), "req_");
  EXPECT_NE(failed.body.find(request_id), std::string::npos) << failed.body;

  raw.exec("DROP TRIGGER refuse_events");
  const HttpResult published = publish(client, "");
  EXPECT_EQ(published.status, 200) << published.body;
  EXPECT_TRUE(published.header("stripe-should-retry").empty());
  EXPECT_EQ(published.header("request-id").substr(0, 4), "req_");
  EXPECT_EQ(published.json().at("request").at("id").as_string(), published.header("request-id"));
}

TEST_F(PublishPathTest, APublishWithoutAKeyIsAnsweredAfterItsCommit) {
  start();
  store().put_endpoint(hookline::testing::make_endpoint("we_1", kPlatform, false, false));
  hold_writer();
  HttpResult answered;
  std::atomic<bool> done{false};
  std::thread publisher([&] {
    HttpClient client(port());
    answered = publish(client, "");
    done = true;
  });
  wait_for_calls(1);
  // Not answered while its commit waits.
  HttpClient other(port());
  EXPECT_EQ(other.get("/healthz").status, 200);
  EXPECT_FALSE(done.load());
  release_writer();
  publisher.join();
  ASSERT_EQ(answered.status, 200) << answered.body;
  EXPECT_EQ(answered.json().at("pending_webhooks"), 1);
  EXPECT_TRUE(store().get_event(std::string(answered.json().at("id").as_string())));
}

// h16a: an unkeyed publish of the platform (bench_load's, and most
// publishers') runs on the I/O thread, with no hop to a handler thread and back.
// It is answered even while the only handler thread is busy.
TEST_F(PublishPathTest, AnUnkeyedPublishDoesNotWaitForAHandlerThread) {
  std::mutex mutex;
  std::condition_variable changed;
  bool busy = false;
  bool release = false;
  respond_ = [&](const ApiCall& call) {
    if (call.method == "GET" && call.path == "/v1/webhook_endpoints") {
      std::unique_lock lock(mutex);
      busy = true;
      changed.notify_all();
      changed.wait(lock, [&] { return release; });
    }
    return start_call(context_, call);
  };
  ApiServerOptions options;
  options.handler_threads = 1;
  start(options);
  HttpResult listed;
  std::thread lister([&] {
    HttpClient client(port());
    listed = client.get("/v1/webhook_endpoints", {bearer()});
  });
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return busy; });
  }

  HttpClient client(port());
  const HttpResult published = publish(client, "");
  EXPECT_EQ(published.status, 200) << published.body;
  EXPECT_EQ(published.json().at("object"), "event");
  EXPECT_FALSE(published.header("request-id").empty());
  EXPECT_TRUE(store().get_event(std::string(published.json().at("id").as_string())));
  // Bad input is answered there too, as a Stripe-shaped error.
  const HttpResult invalid =
      client.post("/v1/events", R"({"type":"no.such_type","data":{"object":{}}})",
                  {bearer(), "Content-Type: application/json"});
  EXPECT_EQ(invalid.status, 400) << invalid.body;
  EXPECT_EQ(invalid.json().at("error").at("param"), "type");

  {
    std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  lister.join();
  EXPECT_EQ(listed.status, 200) << listed.body;
}

TEST_F(PublishPathTest, WhatRunsOnTheIoThread) {
  RequestPipeline pipeline(context_, [](const ApiCall&) { return ApiResponse{}; }, false);
  HttpRequestView publish;
  publish.method = "POST";
  publish.target = "/v1/events";
  publish.body = kEventBody;
  EXPECT_TRUE(pipeline.answers_without_waiting(publish));
  HttpRequestView connected = publish;
  connected.stripe_account = "acct_conn";  // read through the account cache
  EXPECT_TRUE(pipeline.answers_without_waiting(connected));

  HttpRequestView keyed = publish;
  keyed.idempotency_key = "key-1";  // its kept answer is read from the store
  EXPECT_FALSE(pipeline.answers_without_waiting(keyed));
  const std::string large(64 * 1024 + 1, ' ');
  HttpRequestView big = publish;
  big.body = large;  // would hold up the I/O thread's other connections
  EXPECT_FALSE(pipeline.answers_without_waiting(big));
  HttpRequestView list = publish;
  list.method = "GET";
  EXPECT_FALSE(pipeline.answers_without_waiting(list));
  HttpRequestView other = publish;
  other.target = "/v1/webhook_endpoints";
  EXPECT_FALSE(pipeline.answers_without_waiting(other));
}

}  // namespace
}  // namespace hookline::api::testing
