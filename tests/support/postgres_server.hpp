#pragma once
// A private PostgreSQL server for tests: `initdb` in a fresh temporary
// directory, `pg_ctl start` listening only on a unix socket in that directory
// (no TCP port to collide on), stopped and removed afterwards. fsync and
// synchronous_commit stay at their defaults, so durability is the real one.
//
// One server per test binary (shared_postgres(), started on first use and
// stopped by a gtest Environment after the last test); a fresh database per
// test (TestDatabase), so that tests share no state.
//
// Runs as the `postgres` user when the tests run as root (initdb refuses
// root). Binaries: /usr/lib/postgresql/<newest>/bin, or $HOOKLINE_PG_BIN.
#include <filesystem>
#include <string>

namespace hookline::testing {

class PostgresServer {
 public:
  // Starts the server; throws std::runtime_error with its log on failure.
  PostgresServer();
  ~PostgresServer();  // stops it and removes its directory
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // A libpq connection string for `database` as the superuser.
  std::string conninfo(const std::string& database = "postgres") const;
  // The same as a postgresql:// URI (for the command line and node tests).
  std::string uri(const std::string& database = "postgres") const;
  // Runs `sql` on `database` as the superuser; throws std::runtime_error.
  void admin(const std::string& sql, const std::string& database = "postgres") const;
  // The same, returning the first column of the first row as text ("" if none).
  std::string value(const std::string& sql, const std::string& database = "postgres") const;
  // `pg_ctl restart -m fast` (for fault tests).
  void restart();

 private:
  void run_as_owner(const std::string& command) const;
  std::filesystem::path dir_;  // data/ and the socket live here
  std::filesystem::path bin_;
  bool started_ = false;
};

// The server shared by every test of this binary, started on first use.
PostgresServer& shared_postgres();

// A database created empty for one test, under a name no other test uses. It is
// left in place (the server and its directory go at the end of the binary).
class TestDatabase {
 public:
  TestDatabase();
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  const std::string& name() const { return name_; }
  std::string conninfo() const { return shared_postgres().conninfo(name_); }

 private:
  std::string name_;
};

}  // namespace hookline::testing
