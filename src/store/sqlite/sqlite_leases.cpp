#include "store/sqlite/sqlite_leases.hpp"

#include <sys/stat.h>

#include <map>
#include <utility>

#include "store/store.hpp"

namespace hookline::sqlite {

namespace {

// The file's identity (device, inode): two path names of one file, one table.
std::pair<uint64_t, uint64_t> file_identity(const std::string& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    throw StoreError("sqlite: cannot stat " + path);
  }
  return {static_cast<uint64_t>(status.st_dev), static_cast<uint64_t>(status.st_ino)};
}

}  // namespace

std::shared_ptr<DeliveryLeases> DeliveryLeases::for_database(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::pair<uint64_t, uint64_t>, std::weak_ptr<DeliveryLeases>> tables;
  const auto identity = file_identity(path);
  std::lock_guard lock(mutex);
  std::erase_if(tables, [](const auto& entry) { return entry.second.expired(); });
  std::weak_ptr<DeliveryLeases>& slot = tables[identity];
  std::shared_ptr<DeliveryLeases> table = slot.lock();
  if (!table) {
    table = std::make_shared<DeliveryLeases>();
    slot = table;
  }
  return table;
}

void DeliveryLeases::hold(const std::vector<int64_t>& ids, int64_t now_ms, int64_t until_ms) {
  std::lock_guard lock(mutex_);
  std::erase_if(until_by_id_, [now_ms](const auto& lease) { return lease.second <= now_ms; });
  for (const int64_t id : ids) until_by_id_[id] = until_ms;
}

void DeliveryLeases::release(const std::vector<int64_t>& ids) {
  std::lock_guard lock(mutex_);
  for (const int64_t id : ids) until_by_id_.erase(id);
}

std::optional<int64_t> DeliveryLeases::end_of(int64_t id) const {
  std::lock_guard lock(mutex_);
  const auto found = until_by_id_.find(id);
  if (found == until_by_id_.end()) return std::nullopt;
  return found->second;
}

bool DeliveryLeases::held(int64_t id, int64_t now_ms) const {
  const std::optional<int64_t> end = end_of(id);
  return end && *end > now_ms;
}

std::size_t DeliveryLeases::size() const {
  std::lock_guard lock(mutex_);
  return until_by_id_.size();
}

}  // namespace hookline::sqlite
