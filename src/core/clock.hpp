#pragma once
// Time comes from a Clock so that tests can run a three-day retry schedule in
// milliseconds. Thread-safe: every method may be called from any thread.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace hookline {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, milliseconds since the Unix epoch.
  virtual int64_t now_ms() const = 0;
  int64_t now_seconds() const { return now_ms() / 1000; }
};

class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that only moves when told to. Starts at a fixed, realistic instant.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_ms = 1'767'225'600'000) : now_(start_ms) {}
  int64_t now_ms() const override { return now_.load(); }
  void advance_ms(int64_t ms) { now_ += ms; }
  void set_ms(int64_t ms) { now_ = ms; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace hookline
