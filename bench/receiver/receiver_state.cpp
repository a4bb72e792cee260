#include "receiver_state.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

namespace bench {

namespace {

// The event id of a hookline delivery: the value of the first "id" key, which
// is the event's own (the body is rendered with "id" first). Not a JSON parser:
// a cheap scan, so that recording arrivals costs the receiver next to nothing.
std::string_view first_id_value(std::string_view body) {
  const std::size_t key = body.find("\"id\"");
  if (key == std::string_view::npos) return {};
  std::size_t i = key + 4;
  while (i < body.size() && (body[i] == ' ' || body[i] == ':' || body[i] == '\n')) ++i;
  if (i >= body.size() || body[i] != '"') return {};
  const std::size_t end = body.find('"', i + 1);
  if (end == std::string_view::npos) return {};
  return body.substr(i + 1, end - i - 1);
}

}  // namespace

int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

ReceiverState::ReceiverState(ReceiverBehaviour behaviour) : behaviour_(std::move(behaviour)) {}

void ReceiverState::record_request(std::string_view path, std::string_view body,
                                   int64_t arrival_ns) {
  requests_.fetch_add(1, std::memory_order_relaxed);
  body_bytes_.fetch_add(body.size(), std::memory_order_relaxed);
  int64_t zero = 0;
  first_ns_.compare_exchange_strong(zero, arrival_ns, std::memory_order_relaxed);
  int64_t last = last_ns_.load(std::memory_order_relaxed);
  while (last < arrival_ns &&
         !last_ns_.compare_exchange_weak(last, arrival_ns, std::memory_order_relaxed)) {
  }
  std::lock_guard lock(mutex_);
  ++requests_by_path_[std::string(path)];
  if (behaviour_.record_arrivals) arrivals_.emplace_back(first_id_value(body), arrival_ns);
}

bool ReceiverState::draw_failure() {
  if (behaviour_.fail_rate <= 0) return false;
  std::lock_guard lock(mutex_);
  return std::uniform_real_distribution<double>(0, 1)(random_) < behaviour_.fail_rate;
}

void ReceiverState::record_answer(bool failed) {
  (failed ? answered_failed_ : answered_ok_).fetch_add(1, std::memory_order_relaxed);
}

void ReceiverState::record_never_answered() {
  never_answered_.fetch_add(1, std::memory_order_relaxed);
}

std::string ReceiverState::stats_json() {
  boost::json::object stats;
  stats["requests"] = requests_.load();
  stats["answered_ok"] = answered_ok_.load();
  stats["answered_failed"] = answered_failed_.load();
  stats["never_answered"] = never_answered_.load();
  stats["body_bytes"] = body_bytes_.load();
  stats["first_ns"] = first_ns_.load();
  stats["last_ns"] = last_ns_.load();
  stats["now_ns"] = steady_now_ns();
  boost::json::object paths;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [path, count] : requests_by_path_) paths[path] = count;
    stats["arrivals_recorded"] = arrivals_.size();
  }
  stats["paths"] = std::move(paths);
  return boost::json::serialize(stats);
}

std::string ReceiverState::arrivals_text() {
  std::string text;
  std::lock_guard lock(mutex_);
  text.reserve(arrivals_.size() * 48);
  for (const auto& [id, ns] : arrivals_) {
    text += id.empty() ? "-" : id;
    text += ' ';
    text += std::to_string(ns);
    text += '\n';
  }
  return text;
}

void ReceiverState::reset() {
  std::lock_guard lock(mutex_);
  requests_ = 0;
  answered_ok_ = 0;
  answered_failed_ = 0;
  never_answered_ = 0;
  body_bytes_ = 0;
  first_ns_ = 0;
  last_ns_ = 0;
  requests_by_path_.clear();
  arrivals_.clear();
}

}  // namespace bench
