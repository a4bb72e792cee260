#pragma once
// One store suite, two backends: a value-parameterised fixture whose store is
// SQLite (a temp file) or PostgreSQL (a fresh database on the binary's private
// server), so that the same test body runs on both.
//
//   class MyTest : public BackendStoreTest {};
//   HOOKLINE_STORE_BACKENDS(MyTest);
//   TEST_P(MyTest, Something) { store().put_setting(…); }
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "postgres_server.hpp"
#include "store/postgres/pg_store.hpp"
#include "store_test_support.hpp"

namespace hookline::testing {

enum class Backend { kSqlite, kPostgres };

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

class BackendStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  BackendStoreTest() {
    if (GetParam() == Backend::kPostgres) database_.emplace();
    store_ = open();
  }
  ~BackendStoreTest() override { store_.reset(); }  // before the database is dropped

  // A new store on the same data (what a restart or another node sees).
  std::unique_ptr<Store> open() {
    if (GetParam() == Backend::kSqlite) return open_sqlite_store(dir_.file("hookline.db"));
    PostgresOptions options;
    options.conninfo = database_->conninfo();
    return open_postgres_store(options);
  }
  void reopen() {
    store_.reset();
    store_ = open();
  }
  Store& store() { return *store_; }
  bool postgres() const { return GetParam() == Backend::kPostgres; }

  TempDir dir_;
  std::optional<TestDatabase> database_;
  std::unique_ptr<Store> store_;
};

#define HOOKLINE_STORE_BACKENDS(Suite)                                                     \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                \
                           ::testing::Values(::hookline::testing::Backend::kSqlite,        \
                                             ::hookline::testing::Backend::kPostgres),     \
                           ::hookline::testing::backend_name)

}  // namespace hookline::testing
