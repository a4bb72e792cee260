#include "api/http/retry_advice.hpp"

namespace hookline::api {

std::optional<std::string_view> stripe_should_retry(int status) {
  if (status < 400) return std::nullopt;
  if (status == 409 || status == 429 || status >= 500) return "true";
  return "false";
}

}  // namespace hookline::api
