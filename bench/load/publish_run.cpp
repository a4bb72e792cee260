#include "publish_run.hpp"

#include <cmath>

namespace bench {

PublishRun::PublishRun(const PublishOptions& options, int64_t start_ns)
    : options_(options), start_ns_(start_ns) {
  if (options.duration_s > 0) end_ns_ = start_ns + static_cast<int64_t>(options.duration_s * 1e9);
  limit_ = options.count;
  if (options.rate > 0 && options.duration_s > 0) {
    const auto at_rate = static_cast<int64_t>(std::llround(options.rate * options.duration_s));
    if (limit_ == 0 || at_rate < limit_) limit_ = at_rate;
  }
}

std::optional<PublishRun::Next> PublishRun::take_next(int64_t now_ns) {
  if (end_ns_ != 0 && now_ns >= end_ns_ && options_.rate <= 0) return std::nullopt;
  const int64_t index = next_index_.fetch_add(1);
  if (limit_ != 0 && index >= limit_) return std::nullopt;
  int64_t due_ns = now_ns;
  if (options_.rate > 0) {
    due_ns = start_ns_ + static_cast<int64_t>(static_cast<double>(index) * 1e9 / options_.rate);
  }
  return Next{index, due_ns};
}

void PublishRun::add_records(std::vector<PublishedEvent> records) {
  std::lock_guard lock(mutex_);
  records_.insert(records_.end(), std::make_move_iterator(records.begin()),
                  std::make_move_iterator(records.end()));
}

void PublishRun::note_error_body(int status, const std::string& body) {
  std::lock_guard lock(mutex_);
  error_bodies_.try_emplace(status, body.substr(0, 500));
}

}  // namespace bench
