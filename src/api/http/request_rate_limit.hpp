#pragma once
// `serve --rate-limit N`: at most N requests a second per API key (a token
// bucket holding up to one second of requests, refilled continuously), so
// that clients' retry logic can be tried against hookline. Off when N is 0.
//
// Thread-safe.
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.hpp"

namespace hookline::api {

class RequestRateLimit {
 public:
  // `per_second` 0: every request is admitted.
  RequestRateLimit(int per_second, const Clock& clock);

  // Takes one request of `key` from its bucket; false if it is empty (the
  // request must be answered 429). Keys are authenticated API keys, so the
  // number of buckets stays small.
  bool admit(std::string_view key);

 private:
  struct Bucket {
    double tokens = 0;
    int64_t updated_ms = 0;
  };

  const int per_second_;
  const Clock& clock_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;  // GUARDED_BY(mutex_)
};

}  // namespace hookline::api
