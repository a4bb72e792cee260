#include "api/http/readiness.hpp"

#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace hookline::api {

Readiness::Readiness(Store& store, Clock& clock, int64_t interval_ms)
    : store_(store), clock_(clock), interval_ms_(interval_ms) {}

ApiResponse Readiness::check() {
  std::lock_guard lock(mutex_);
  const int64_t now_ms = clock_.now_ms();
  if (!probed_ || now_ms - probed_at_ms_ >= interval_ms_ || now_ms < probed_at_ms_) {
    std::string failure;
    try {
      store_.probe();
    } catch (const std::exception& error) {
      failure = error.what();
    }
    if (failure != failure_) {
      if (failure.empty()) {
        spdlog::info("readiness: the store answers again");
      } else {
        spdlog::error("readiness: not ready: {}", failure);
      }
    }
    failure_ = std::move(failure);
    probed_ = true;
    probed_at_ms_ = now_ms;
  }
  if (failure_.empty()) return ApiResponse{200, R"({"status":"ready"})", {}};
  boost::json::object body{{"status", "unavailable"}, {"reason", failure_}};
  return ApiResponse{503, boost::json::serialize(body), {}};
}

}  // namespace hookline::api
