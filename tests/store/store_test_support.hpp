#pragma once
// Helpers for store tests: a temporary data directory and model builders.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/models.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/store.hpp"

namespace hookline::testing {

// Polls `condition` until it holds (true) or 30 s have passed (false).
inline bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "hookline-store-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A fixture with an open store in a temp dir; reopen() closes and opens it again.
class StoreTest : public ::testing::Test {
 protected:
  StoreTest() : store_(open_sqlite_store(db_path())) {}
  std::string db_path() const { return dir_.file("hookline.db"); }
  void reopen() {
    store_.reset();
    store_ = open_sqlite_store(db_path());
  }
  Store& store() { return *store_; }

  TempDir dir_;
  std::unique_ptr<Store> store_;
};

inline Account make_account(const std::string& id, AccountType type, int64_t created = 1000) {
  Account account;
  account.id = id;
  account.type = type;
  account.connected_live = true;
  account.connected_test = true;
  account.created = created;
  account.object_json = R"({"id":")" + id + R"("})";
  return account;
}

inline WebhookEndpoint make_endpoint(const std::string& id, const std::string& account_id,
                                     bool connect, bool livemode, int64_t created = 1000) {
  WebhookEndpoint endpoint;
  endpoint.id = id;
  endpoint.account_id = account_id;
  endpoint.connect = connect;
  endpoint.livemode = livemode;
  endpoint.url = "https://example.com/" + id;
  endpoint.enabled_events = {"*"};
  endpoint.api_version = "2026-10-28.endive";
  endpoint.secrets = {{"whsec_" + id, 0}};
  endpoint.created = created;
  return endpoint;
}

inline NewEvent make_event(const std::string& id, const std::string& account_id, int64_t created,
                           std::vector<std::string> endpoint_ids = {},
                           const std::string& type = "payment_intent.succeeded",
                           bool livemode = false, int64_t first_attempt_ms = 0) {
  NewEvent item;
  item.event.id = id;
  item.event.account_id = account_id;
  item.event.livemode = livemode;
  item.event.type = type;
  item.event.created = created;
  item.event.body = R"({"id":")" + id + R"(","object":"event"})";
  item.event.pending_webhooks = static_cast<int>(endpoint_ids.size());
  item.endpoint_ids = std::move(endpoint_ids);
  item.first_attempt_ms = first_attempt_ms;
  return item;
}

template <typename T>
std::vector<std::string> ids_of(const Page<T>& page) {
  std::vector<std::string> ids;
  for (const T& item : page.items) ids.push_back(item.id);
  return ids;
}

}  // namespace hookline::testing
