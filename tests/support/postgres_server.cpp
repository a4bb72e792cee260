#include "postgres_server.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace hookline::testing {

namespace fs = std::filesystem;

namespace {

// The socket's port number only names the socket file: the directory is private.
constexpr int kPort = 5432;

fs::path find_bin() {
  if (const char* given = std::getenv("HOOKLINE_PG_BIN"); given != nullptr && *given != '\0') {
    return given;
  }
  std::vector<fs::path> found;
  std::error_code ignored;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ignored)) {
    if (fs::exists(entry.path() / "bin" / "initdb")) found.push_back(entry.path() / "bin");
  }
  if (found.empty()) {
    throw std::runtime_error(
        "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)");
  }
  // The newest major version: compare numerically ("15" > "9").
  return *std::max_element(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
    return std::stoi(a.parent_path().filename().string()) <
           std::stoi(b.parent_path().filename().string());
  });
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

PostgresServer::PostgresServer() : bin_(find_bin()) {
  std::string pattern = (fs::temp_directory_path() / "hookline-pg-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  if (geteuid() == 0) {
    const passwd* owner = getpwnam("postgres");
    if (owner == nullptr) throw std::runtime_error("running as root, but no `postgres` user");
    if (chown(dir_.c_str(), owner->pw_uid, owner->pw_gid) != 0) {
      throw std::runtime_error("cannot chown " + dir_.string() + " to postgres");
    }
  }
  // initdb --no-sync only skips initdb's own fsyncs; the server keeps fsync on.
  run_as_owner((bin_ / "initdb").string() + " -D " + (dir_ / "data").string() +
               " -U postgres -A trust -E UTF8 --locale=C --no-sync >" +
               (dir_ / "initdb.log").string() + " 2>&1");
  {
    std::ofstream conf(dir_ / "data" / "postgresql.conf", std::ios::app);
    conf << "\nlisten_addresses = ''\n"
         << "unix_socket_directories = '" << dir_.string() << "'\n"
         << "port = " << kPort << "\n";
  }
  run_as_owner((bin_ / "pg_ctl").string() + " -D " + (dir_ / "data").string() + " -l " +
               (dir_ / "server.log").string() + " -w -t 60 start >/dev/null 2>&1");
  started_ = true;
}

PostgresServer::~PostgresServer() {
  if (started_) {
    try {
      run_as_owner((bin_ / "pg_ctl").string() + " -D " + (dir_ / "data").string() +
                   " -m immediate -w stop >/dev/null 2>&1");
    } catch (const std::exception&) {
      // Removing its directory below makes a stray server exit on its own.
    }
  }
  std::error_code ignored;
  fs::remove_all(dir_, ignored);
}

void PostgresServer::run_as_owner(const std::string& command) const {
  const std::string full =
      geteuid() == 0 ? "runuser -u postgres -- sh -c '" + command + "'" : command;
  if (std::system(full.c_str()) != 0) {
    throw std::runtime_error("postgres test server: `" + command + "` failed\n" +
                             read_file(dir_ / "initdb.log") + read_file(dir_ / "server.log"));
  }
}

std::string PostgresServer::conninfo(const std::string& database) const {
  return "host=" + dir_.string() + " port=" + std::to_string(kPort) +
         " user=postgres dbname=" + database;
}

std::string PostgresServer::uri(const std::string& database) const {
  return "postgresql://postgres@/" + database + "?host=" + dir_.string() +
         "&port=" + std::to_string(kPort);
}

void PostgresServer::admin(const std::string& sql, const std::string& database) const {
  value(sql, database);
}

std::string PostgresServer::value(const std::string& sql, const std::string& database) const {
  PGconn* conn = PQconnectdb(conninfo(database).c_str());
  std::unique_ptr<PGconn, decltype(&PQfinish)> guard(conn, &PQfinish);
  if (PQstatus(conn) != CONNECTION_OK) {
    throw std::runtime_error(std::string("postgres test server: ") + PQerrorMessage(conn));
  }
  PGresult* result = PQexec(conn, sql.c_str());
  const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK ||
                  PQresultStatus(result) == PGRES_TUPLES_OK;
  const std::string error = ok ? "" : PQresultErrorMessage(result);
  const std::string first =
      ok && PQntuples(result) > 0 && PQnfields(result) > 0 ? PQgetvalue(result, 0, 0) : "";
  PQclear(result);
  if (!ok) throw std::runtime_error("postgres test server: " + sql + ": " + error);
  return first;
}

void PostgresServer::restart() {
  run_as_owner((bin_ / "pg_ctl").string() + " -D " + (dir_ / "data").string() + " -l " +
               (dir_ / "server.log").string() + " -m fast -w -t 60 restart >/dev/null 2>&1");
}

namespace {

// Stops the shared server after the last test of the binary.
class PostgresEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { server.reset(); }
  std::unique_ptr<PostgresServer> server;
};

std::mutex shared_mutex;
// Registered before main (gtest owns it), so that its TearDown runs after the
// last test; the server itself starts only when a test first asks for it.
PostgresEnvironment* const environment = [] {
  auto* created = new PostgresEnvironment;
  ::testing::AddGlobalTestEnvironment(created);
  return created;
}();

}  // namespace

PostgresServer& shared_postgres() {
  std::lock_guard lock(shared_mutex);
  if (!environment->server) environment->server = std::make_unique<PostgresServer>();
  return *environment->server;
}

TestDatabase::TestDatabase() {
  static std::atomic<int> next{0};
  name_ = "hookline_test_" + std::to_string(getpid()) + "_" + std::to_string(next++);
  shared_postgres().admin("CREATE DATABASE " + name_);
}

// Not dropped: DROP DATABASE forces a checkpoint (about a second each on a busy
// disk), and the whole server with every database goes at the end of the binary.
TestDatabase::~TestDatabase() = default;

}  // namespace hookline::testing
