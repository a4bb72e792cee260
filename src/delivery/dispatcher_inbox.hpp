#pragma once
// The dispatcher loop's plumbing: where other threads reach the loop (listen
// answers, the group commit's hand-overs, claimed batches, wake-ups), each
// raising the eventfd the loop's epoll watches, once per batch.
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "delivery/claim_ahead.hpp"
#include "store/store.hpp"

namespace hookline::delivery {

// An attempt's result, whichever way it went.
struct Completion {
  int64_t delivery_id = 0;
  int http_status = 0;
  std::string error;
  int64_t latency_us = 0;
  std::string response_excerpt;
};

// Shared with the callbacks, which may outlive the dispatcher (a listen answer
// after stop() gave up).
struct DispatcherInbox {
  DispatcherInbox() : wake_fd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (wake_fd < 0) throw std::runtime_error("eventfd failed");
  }
  ~DispatcherInbox() { close(wake_fd); }
  DispatcherInbox(const DispatcherInbox&) = delete;
  DispatcherInbox& operator=(const DispatcherInbox&) = delete;

  void notify() const { eventfd_write(wake_fd, 1); }

  const int wake_fd;
  std::mutex mutex;
  std::vector<Completion> completions;  // GUARDED_BY(mutex): listen answers
  std::vector<DueDelivery> handed;      // GUARDED_BY(mutex): from the group commit
  std::size_t handed_reserved = 0;      // GUARDED_BY(mutex): the room they had reserved
  std::optional<ClaimedBatch> claimed;  // GUARDED_BY(mutex): from the claim thread
  bool woken = false;                   // GUARDED_BY(mutex)
  bool stopping = false;                // GUARDED_BY(mutex)

  void push(Completion completion) {
    bool was_empty = false;
    {
      std::lock_guard lock(mutex);
      was_empty = completions.empty();
      completions.push_back(std::move(completion));
    }
    // The loop takes every completion at once: one wake-up per batch (while
    // it has not taken them, it does not sleep).
    if (was_empty) notify();
  }

  void push(ClaimedBatch batch) {
    {
      std::lock_guard lock(mutex);
      claimed = std::move(batch);
    }
    notify();
  }
};

}  // namespace hookline::delivery
