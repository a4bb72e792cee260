#pragma once
// Writes delivery outcomes on a thread of its own, so that the dispatcher's
// loop goes on claiming and starting attempts while a batch commits; what is
// submitted while one commits is written together in the next transaction. A
// batch that fails is kept and tried again (200 ms later). Endpoints the store
// disables on the way (failing for longer than `disable_after_ms`) are logged
// and counted in the metrics.
//
// Thread safety: submit() from one thread (the dispatcher's loop); unrecorded(),
// failing() and stop() from any.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "store/store.hpp"

namespace hookline::delivery {

class OutcomeRecorder {
 public:
  // `on_written` runs on the recorder's thread after each batch is written
  // (the loop may be waiting for the room those outcomes held). `metrics` may
  // be null.
  OutcomeRecorder(Store& store, Clock& clock, int64_t disable_after_ms, Metrics* metrics,
                  std::function<void()> on_written);
  ~OutcomeRecorder();  // stop(0)
  OutcomeRecorder(const OutcomeRecorder&) = delete;
  OutcomeRecorder& operator=(const OutcomeRecorder&) = delete;

  // Takes the outcomes (`outcomes` is left empty).
  void submit(std::vector<DeliveryOutcome>& outcomes);

  // Submitted and not yet committed.
  std::size_t unrecorded() const { return unrecorded_.load(); }
  // The last write failed (and is being tried again).
  bool failing() const { return failing_.load(); }

  // Writes what is left, trying until `give_up_at` (steady ms), then stops.
  void stop(int64_t give_up_at);

 private:
  void run();
  bool write(const std::vector<DeliveryOutcome>& batch);

  Store& store_;
  Clock& clock_;
  const int64_t disable_after_ms_;
  Metrics* const metrics_;
  const std::function<void()> on_written_;
  std::atomic<std::size_t> unrecorded_{0};
  std::atomic<bool> failing_{false};
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<DeliveryOutcome> queue_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;               // GUARDED_BY(mutex_)
  int64_t give_up_at_ = 0;              // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace hookline::delivery
