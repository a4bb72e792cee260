// SqliteStore: listen session holds and once-per-cluster job locks, which one
// node has no one to share with (postgres/pg_cluster.cpp is the counterpart).
#include "store/sqlite/sqlite_store_impl.hpp"

namespace hookline::sqlite {

void SqliteStore::hold_listen_endpoints(const std::vector<std::string>&) {}

void SqliteStore::release_listen_endpoints(const std::vector<std::string>&) {}

std::unique_ptr<Store::JobLock> SqliteStore::try_lock_job(const std::string&) {
  return std::make_unique<JobLock>();
}

}  // namespace hookline::sqlite
