#pragma once
// A store error repeated on every pass of a loop (the database is away) is
// logged once, then at most once per interval with the number left out, and
// its end once. Pure: the caller writes the lines it returns.
#include <cstdint>
#include <optional>
#include <string>

namespace hookline {

class ThrottledErrorLog {
 public:
  explicit ThrottledErrorLog(int64_t interval_ms) : interval_ms_(interval_ms) {}

  // The line to log for a failure at `now_ms`, if any.
  std::optional<std::string> failure(int64_t now_ms, const std::string& message);
  // The line to log when the operation works again after failures, if any.
  std::optional<std::string> success();

 private:
  int64_t interval_ms_;
  bool failing_ = false;
  int64_t last_logged_ms_ = 0;
  uint64_t left_out_ = 0;
};

}  // namespace hookline
