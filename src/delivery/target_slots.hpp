#pragma once
// Per-endpoint concurrency for the dispatcher, so that a slow or dead endpoint
// never holds back the others, even on the same host. A target is one
// endpoint (HTTP or listen session).
//
// - At most `per_target` attempts are in flight to one target.
// - Deliveries beyond that wait in memory, in claim order, as many as the
//   target can be expected to take soon: without limit while it has been
//   saturated for less than one window; then, if it completed anything in the
//   current or the last window, four windows' worth (at least `per_target`);
//   if it completed nothing, none.
// - The rest are deferred: handed back to the store, due again after a delay
//   that starts at `min_defer_ms` and doubles (up to `max_defer_ms`) each time
//   the target is still behind when its deferred deliveries come back; it
//   starts over once the target answers 2xx with nothing waiting. So what a
//   stuck endpoint is owed neither fills memory nor stops the claiming of what
//   others are owed, and costs the store little to set aside again and again.
//
// Items are opaque ids. Time is passed in (steady milliseconds). A pure data
// structure; not thread-safe (the dispatcher's loop owns it).
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace hookline::delivery {

struct TargetSlotsOptions {
  std::size_t per_target = 64;  // >= 1
  int64_t window_ms = 250;      // >= 1
  int64_t min_defer_ms = 1'000;
  int64_t max_defer_ms = 300'000;
};

class TargetSlots {
 public:
  enum class Admission { kStart, kWait, kDefer };

  struct Deferred {
    int64_t id;
    int64_t delay_ms;  // from now until it is due again
  };

  explicit TargetSlots(TargetSlotsOptions options);

  // A newly claimed item for `target`: start it now (a slot is taken), keep
  // it waiting (queued), or defer it (then by defer_delay_ms()).
  Admission admit(const std::string& target, int64_t id, int64_t now_ms);

  // An attempt to `target` ended (`succeeded`: a 2xx). Returns the next
  // waiting item to start in its place (the slot stays taken), or nullopt (the
  // slot is freed).
  std::optional<int64_t> complete(const std::string& target, bool succeeded, int64_t now_ms);

  // Waiting items beyond what their target is now expected to take, newest
  // first: the caller defers them.
  std::vector<Deferred> trim(int64_t now_ms);

  // How long to defer an item of `target` now (see above).
  int64_t defer_delay_ms(const std::string& target, int64_t now_ms);

  // Every waiting item (on stop), oldest first per target.
  std::vector<int64_t> take_all_waiting();

  std::size_t in_flight() const { return in_flight_; }
  std::size_t waiting() const { return waiting_; }

 private:
  struct Target {
    std::size_t in_flight = 0;
    std::deque<int64_t> waiting;
    int64_t saturated_since_ms = -1;  // -1: a slot is free
    int64_t window_start_ms = 0;
    std::size_t completed_this_window = 0;
    std::size_t completed_last_window = 0;
  };
  struct Backoff {
    int64_t delay_ms = 0;
    int64_t grown_at_ms = 0;
  };

  void roll_window(Target& target, int64_t now_ms) const;
  std::size_t keep(Target& target, int64_t now_ms) const;

  TargetSlotsOptions options_;
  std::unordered_map<std::string, Target> targets_;  // with something in flight or waiting
  std::unordered_map<std::string, Backoff> backoff_;  // targets behind, until they catch up
  std::size_t in_flight_ = 0;
  std::size_t waiting_ = 0;
};

}  // namespace hookline::delivery
