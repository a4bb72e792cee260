#pragma once
// `hookline serve`: the engine composed — the store in the data dir, group
// commit, the event publisher, the dispatcher, the listen hub and the API
// server — started and stopped in the order that loses nothing.
#include <cstdint>
#include <memory>
#include <string>

#include "delivery/dispatcher.hpp"

namespace hookline {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 7420;  // 0: any free port
  std::string data_dir = "./hookline-data";
  // A libpq connection string or URI: the PostgreSQL store (data_dir unused).
  // Empty: the SQLite store in data_dir.
  std::string database;
  std::size_t database_connections = 16;  // the PostgreSQL store's pool
  DispatcherOptions delivery;
  // Platform keys given by the environment (empty: kept in the data dir or generated).
  std::string test_secret_key;
  std::string live_secret_key;
  // The api_version of every event: the version stripe-node 23.1.0 pins.
  std::string api_version = "2026-10-28.endive";
  int64_t retention_days = 30;
  int api_threads = 2;
  std::size_t max_connections_per_client = 256;
  int rate_limit_per_second = 0;  // per API key; 0: no limit (serve --rate-limit)
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Opens the store, loads or creates the platform identity, starts every
  // part. Throws (StoreError, std::runtime_error, std::invalid_argument) with a
  // message for the operator when it cannot.
  void start();
  uint16_t port() const;
  const std::string& platform_account_id() const;
  // The keys and whether they were generated now (to print them once).
  const std::string& test_secret_key() const;
  const std::string& live_secret_key() const;
  bool generated_test_key() const;
  bool generated_live_key() const;

  // Stops taking requests, lets attempts in flight finish, closes the store.
  void stop();

 private:
  struct Parts;
  ServerOptions options_;
  std::unique_ptr<Parts> parts_;
};

}  // namespace hookline
