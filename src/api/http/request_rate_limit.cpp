#include "api/http/request_rate_limit.hpp"

#include <algorithm>

namespace hookline::api {

RequestRateLimit::RequestRateLimit(int per_second, const Clock& clock)
    : per_second_(std::max(0, per_second)), clock_(clock) {}

bool RequestRateLimit::admit(std::string_view key) {
  if (per_second_ == 0) return true;
  const int64_t now_ms = clock_.now_ms();
  std::lock_guard lock(mutex_);
  auto [it, inserted] = buckets_.try_emplace(std::string(key));
  Bucket& bucket = it->second;
  if (inserted) {
    bucket.tokens = per_second_;
  } else {
    const double elapsed_s =
        static_cast<double>(std::max<int64_t>(0, now_ms - bucket.updated_ms)) / 1000.0;
    bucket.tokens = std::min<double>(per_second_, bucket.tokens + elapsed_s * per_second_);
  }
  bucket.updated_ms = now_ms;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

}  // namespace hookline::api
