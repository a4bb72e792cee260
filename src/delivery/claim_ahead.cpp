#include "delivery/claim_ahead.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>
#include <limits>
#include <optional>
#include <utility>

namespace hookline::delivery {

namespace {

constexpr int64_t kStoreRetryMs = 200;  // after a store error reading the queue

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ClaimAhead::ClaimAhead(Store& store, Clock& clock, int64_t lease_ms, std::size_t per_endpoint,
                       Ready ready)
    : store_(store),
      clock_(clock),
      lease_ms_(lease_ms),
      per_endpoint_(per_endpoint),
      ready_(std::move(ready)) {
  thread_ = std::thread([this] { run(); });
}

ClaimAhead::~ClaimAhead() { stop(); }

void ClaimAhead::request(std::size_t limit) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    requested_ = limit;
  }
  asked_.notify_one();
}

void ClaimAhead::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  asked_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void ClaimAhead::run() {
  pthread_setname_np(pthread_self(), "hl-dispatch-clm");
  std::unique_lock lock(mutex_);
  for (;;) {
    asked_.wait(lock, [&] { return stopping_ || requested_ > 0; });
    if (stopping_) return;
    const std::size_t limit = std::exchange(requested_, 0);
    lock.unlock();
    ready_(claim(limit));
    lock.lock();
  }
}

ClaimedBatch ClaimAhead::claim(std::size_t limit) {
  ClaimedBatch batch;
  batch.limit = limit;
  batch.claimed_at_ms = clock_.now_ms();
  try {
    // The per-endpoint limit holds across every node sharing the store.
    batch.due = store_.claim_due(batch.claimed_at_ms, batch.claimed_at_ms + lease_ms_, limit,
                                 per_endpoint_);
  } catch (const std::exception& e) {
    if (auto line = claim_errors_.failure(steady_ms(), e.what())) {
      spdlog::error("dispatcher: cannot claim due deliveries: {}", *line);
    }
    batch.failed = true;
    return batch;
  }
  if (auto line = claim_errors_.success()) spdlog::info("dispatcher: claiming {}", *line);
  if (batch.due.size() < limit) batch.next_due_ms = next_due(batch.claimed_at_ms);
  return batch;
}

int64_t ClaimAhead::next_due(int64_t now_ms) {
  try {
    const std::optional<int64_t> next = store_.next_due_ms();
    if (auto line = queue_errors_.success()) spdlog::info("dispatcher: the queue {}", *line);
    return next ? *next : std::numeric_limits<int64_t>::max();
  } catch (const std::exception& e) {
    if (auto line = queue_errors_.failure(now_ms, e.what())) {
      spdlog::error("dispatcher: cannot read the queue: {}", *line);
    }
    return now_ms + kStoreRetryMs;
  }
}

}  // namespace hookline::delivery
