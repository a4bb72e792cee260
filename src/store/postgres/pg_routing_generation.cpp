#include "store/postgres/pg_routing_generation.hpp"

namespace hookline::postgres {

uint64_t SharedGenerationRead::get() {
  std::unique_lock lock(mutex_);
  const uint64_t ticket = ++requested_;
  while (answered_ < ticket) {
    if (reading_) {
      // The read in flight may have been sent before this call: wait for it,
      // then for the next one if it does not cover this ticket.
      done_.wait(lock);
      continue;
    }
    reading_ = true;
    const uint64_t covers = requested_;  // every caller so far: the read is sent after them
    ++reads_;
    lock.unlock();
    uint64_t value = 0;
    try {
      value = read_();
    } catch (...) {
      lock.lock();
      reading_ = false;
      done_.notify_all();  // a waiter takes over the reading
      throw;
    }
    lock.lock();
    reading_ = false;
    if (value > value_) value_ = value;
    if (covers > answered_) answered_ = covers;
    done_.notify_all();
  }
  return value_;
}

uint64_t SharedGenerationRead::reads() const {
  std::lock_guard lock(mutex_);
  return reads_;
}

uint64_t SharedGenerationRead::calls() const {
  std::lock_guard lock(mutex_);
  return requested_;
}

}  // namespace hookline::postgres
