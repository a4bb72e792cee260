#include "delivery/outcome_recorder.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>
#include <string>
#include <utility>

namespace hookline::delivery {

namespace {

constexpr int64_t kStoreRetryMs = 200;  // after a failed write

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

OutcomeRecorder::OutcomeRecorder(Store& store, Clock& clock, int64_t disable_after_ms,
                                 Metrics* metrics, std::function<void()> on_written)
    : store_(store),
      clock_(clock),
      disable_after_ms_(disable_after_ms),
      metrics_(metrics),
      on_written_(std::move(on_written)) {
  thread_ = std::thread([this] { run(); });
}

OutcomeRecorder::~OutcomeRecorder() { stop(0); }

void OutcomeRecorder::submit(std::vector<DeliveryOutcome>& outcomes) {
  if (outcomes.empty()) return;
  unrecorded_.fetch_add(outcomes.size());
  bool was_empty = false;
  {
    std::lock_guard lock(mutex_);
    was_empty = queue_.empty();
    if (was_empty) {
      queue_.swap(outcomes);
    } else {
      for (DeliveryOutcome& outcome : outcomes) queue_.push_back(std::move(outcome));
    }
  }
  outcomes.clear();
  if (was_empty) ready_.notify_one();
}

void OutcomeRecorder::stop(int64_t give_up_at) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    give_up_at_ = give_up_at;
  }
  ready_.notify_one();
  thread_.join();
}

void OutcomeRecorder::run() {
  pthread_setname_np(pthread_self(), "hl-outcomes");
  std::vector<DeliveryOutcome> batch;
  std::unique_lock lock(mutex_);
  for (;;) {
    ready_.wait(lock, [&] { return stopping_ || !queue_.empty() || !batch.empty(); });
    if (batch.empty()) batch.swap(queue_);
    if (batch.empty()) return;  // stopping, and everything is written
    lock.unlock();
    const bool written = write(batch);
    lock.lock();
    if (written) {
      unrecorded_.fetch_sub(batch.size());
      batch.clear();
      lock.unlock();
      if (on_written_) on_written_();
      lock.lock();
      continue;
    }
    if (stopping_ && steady_ms() >= give_up_at_) {
      spdlog::warn("dispatcher: stopped with {} delivery outcomes not recorded; they come due "
                   "again when their lease ends",
                   batch.size() + queue_.size());
      return;
    }
    // Tried again shortly, with whatever came meanwhile.
    ready_.wait_for(lock, std::chrono::milliseconds(kStoreRetryMs), [&] { return false; });
    for (DeliveryOutcome& outcome : queue_) batch.push_back(std::move(outcome));
    queue_.clear();
  }
}

bool OutcomeRecorder::write(const std::vector<DeliveryOutcome>& batch) {
  std::vector<std::string> disabled;
  try {
    disabled = store_.record_outcomes(batch, clock_.now_ms(), disable_after_ms_);
  } catch (const std::exception& e) {
    if (!failing_.exchange(true)) {
      spdlog::error("dispatcher: cannot record {} delivery outcomes: {}", batch.size(), e.what());
    }
    return false;
  }
  failing_.store(false);
  for (const std::string& endpoint_id : disabled) {
    spdlog::info("webhook endpoint {} disabled: its deliveries have failed for more than {} s",
                 endpoint_id, disable_after_ms_ / 1000);
  }
  if (metrics_ != nullptr && !disabled.empty()) {
    metrics_->record_endpoints_disabled(disabled.size());
  }
  return true;
}

}  // namespace hookline::delivery
