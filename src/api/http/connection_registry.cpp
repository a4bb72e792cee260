#include "api/http/connection_registry.hpp"

namespace hookline::api {

bool ConnectionRegistry::full() const {
  std::lock_guard lock(mutex_);
  return open_.size() >= max_;
}

bool ConnectionRegistry::add(const std::shared_ptr<RegisteredConnection>& connection,
                             const std::string& client) {
  std::lock_guard lock(mutex_);
  if (stopping_) return false;
  std::size_t& count = per_client_[client];
  if (count >= max_per_client_) {
    if (count == 0) per_client_.erase(client);
    return false;
  }
  if (!open_.emplace(connection.get(), Entry{connection, client}).second) return true;
  ++count;
  return true;
}

void ConnectionRegistry::remove(const RegisteredConnection* connection) {
  std::lock_guard lock(mutex_);
  const auto found = open_.find(connection);
  if (found == open_.end()) return;
  const auto client = per_client_.find(found->second.client);
  if (client != per_client_.end() && --client->second == 0) per_client_.erase(client);
  open_.erase(found);
}

bool ConnectionRegistry::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

std::vector<std::shared_ptr<RegisteredConnection>> ConnectionRegistry::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  return snapshot();
}

std::vector<std::shared_ptr<RegisteredConnection>> ConnectionRegistry::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<RegisteredConnection>> open;
  open.reserve(open_.size());
  for (const auto& [key, entry] : open_) {
    if (auto connection = entry.connection.lock()) open.push_back(std::move(connection));
  }
  return open;
}

}  // namespace hookline::api
