#include "delivery/throttled_error_log.hpp"

namespace hookline {

std::optional<std::string> ThrottledErrorLog::failure(int64_t now_ms, const std::string& message) {
  if (failing_ && now_ms - last_logged_ms_ < interval_ms_) {
    ++left_out_;
    return std::nullopt;
  }
  std::string line = message;
  if (left_out_ > 0) {
    line += " (and " + std::to_string(left_out_) + " more times since the last report)";
  }
  failing_ = true;
  last_logged_ms_ = now_ms;
  left_out_ = 0;
  return line;
}

std::optional<std::string> ThrottledErrorLog::success() {
  if (!failing_) return std::nullopt;
  std::string line = "works again";
  if (left_out_ > 0) line += " (after " + std::to_string(left_out_) + " more failures)";
  failing_ = false;
  left_out_ = 0;
  return line;
}

}  // namespace hookline
