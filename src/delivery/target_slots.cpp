#include "delivery/target_slots.hpp"

#include <algorithm>
#include <limits>

namespace hookline::delivery {

namespace {

// A target making progress keeps about this many windows' worth waiting.
constexpr std::size_t kWindowsKept = 4;

}  // namespace

TargetSlots::TargetSlots(TargetSlotsOptions options) : options_(options) {
  options_.per_target = std::max<std::size_t>(1, options_.per_target);
  options_.window_ms = std::max<int64_t>(1, options_.window_ms);
  options_.min_defer_ms = std::max<int64_t>(1, options_.min_defer_ms);
  options_.max_defer_ms = std::max(options_.min_defer_ms, options_.max_defer_ms);
}

void TargetSlots::roll_window(Target& target, int64_t now_ms) const {
  const int64_t elapsed = now_ms - target.window_start_ms;
  if (elapsed < options_.window_ms) return;
  target.completed_last_window =
      elapsed < 2 * options_.window_ms ? target.completed_this_window : 0;
  target.completed_this_window = 0;
  target.window_start_ms = now_ms;
}

std::size_t TargetSlots::keep(Target& target, int64_t now_ms) const {
  if (target.saturated_since_ms < 0 || now_ms - target.saturated_since_ms < options_.window_ms) {
    return std::numeric_limits<std::size_t>::max();
  }
  roll_window(target, now_ms);
  const std::size_t completed =
      std::max(target.completed_last_window, target.completed_this_window);
  if (completed == 0) return 0;  // stuck: nothing answered for a whole window
  return std::max(kWindowsKept * completed, options_.per_target);
}

TargetSlots::Admission TargetSlots::admit(const std::string& name, int64_t id, int64_t now_ms) {
  auto [it, inserted] = targets_.try_emplace(name);
  Target& target = it->second;
  if (inserted) target.window_start_ms = now_ms;
  if (target.in_flight < options_.per_target) {
    ++target.in_flight;
    ++in_flight_;
    if (target.in_flight == options_.per_target) target.saturated_since_ms = now_ms;
    return Admission::kStart;
  }
  if (target.waiting.size() < keep(target, now_ms)) {
    target.waiting.push_back(id);
    ++waiting_;
    return Admission::kWait;
  }
  return Admission::kDefer;
}

std::optional<int64_t> TargetSlots::complete(const std::string& name, bool succeeded,
                                             int64_t now_ms) {
  auto it = targets_.find(name);
  if (it == targets_.end()) return std::nullopt;
  Target& target = it->second;
  roll_window(target, now_ms);
  ++target.completed_this_window;
  if (succeeded && target.waiting.empty()) backoff_.erase(name);  // caught up
  if (!target.waiting.empty()) {
    const int64_t next = target.waiting.front();
    target.waiting.pop_front();
    --waiting_;
    return next;
  }
  if (target.in_flight > 0) {
    --target.in_flight;
    --in_flight_;
  }
  target.saturated_since_ms = -1;
  if (target.in_flight == 0) targets_.erase(it);
  return std::nullopt;
}

int64_t TargetSlots::defer_delay_ms(const std::string& name, int64_t now_ms) {
  auto [it, inserted] = backoff_.try_emplace(name);
  Backoff& backoff = it->second;
  if (inserted) {
    backoff.delay_ms = options_.min_defer_ms;
    backoff.grown_at_ms = now_ms;
  } else if (now_ms - backoff.grown_at_ms >= backoff.delay_ms) {
    // What was deferred last time is back, and the target is still behind.
    backoff.delay_ms = std::min(2 * backoff.delay_ms, options_.max_defer_ms);
    backoff.grown_at_ms = now_ms;
  }
  return backoff.delay_ms;
}

std::vector<TargetSlots::Deferred> TargetSlots::trim(int64_t now_ms) {
  std::vector<Deferred> deferred;
  if (waiting_ == 0) return deferred;
  for (auto& [name, target] : targets_) {
    if (target.waiting.empty()) continue;
    const std::size_t limit = keep(target, now_ms);
    if (target.waiting.size() <= limit) continue;
    const int64_t delay = defer_delay_ms(name, now_ms);
    while (target.waiting.size() > limit) {
      deferred.push_back({target.waiting.back(), delay});
      target.waiting.pop_back();
      --waiting_;
    }
  }
  return deferred;
}

std::vector<int64_t> TargetSlots::take_all_waiting() {
  std::vector<int64_t> all;
  all.reserve(waiting_);
  for (auto& [name, target] : targets_) {
    all.insert(all.end(), target.waiting.begin(), target.waiting.end());
    target.waiting.clear();
  }
  waiting_ = 0;
  return all;
}

}  // namespace hookline::delivery
