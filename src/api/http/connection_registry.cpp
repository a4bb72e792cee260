#include "api/http/connection_registry.hpp"

namespace hookline::api {

bool ConnectionRegistry::full() const {
  std::lock_guard lock(mutex_);
  return open_.size() >= max_;
}

bool ConnectionRegistry::add(const std::shared_ptr<RegisteredConnection>& connection) {
  std::lock_guard lock(mutex_);
  if (stopping_) return false;
  open_.emplace(connection.get(), connection);
  return true;
}

void ConnectionRegistry::remove(const RegisteredConnection* connection) {
  std::lock_guard lock(mutex_);
  open_.erase(connection);
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
  for (const auto& [key, weak] : open_) {
    if (auto connection = weak.lock()) open.push_back(std::move(connection));
  }
  return open;
}

}  // namespace hookline::api
