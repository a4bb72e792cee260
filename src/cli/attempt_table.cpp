#include "cli/attempt_table.hpp"

#include <boost/json.hpp>
#include <thread>

#include "cli/output.hpp"

namespace hookline::cli {

namespace json = boost::json;

void print_attempts(std::ostream& out, const json::value& list, AttemptsOf of) {
  std::vector<std::vector<std::string>> rows;
  for (const json::value& attempt : list.at("data").as_array()) {
    const std::string status = text_field(attempt, "http_status");
    rows.push_back({text_field(attempt, "id"),
                    text_field(attempt, of == AttemptsOf::kEvent ? "webhook_endpoint" : "event"),
                    status.empty() ? "-" : status,
                    text_field(attempt, "success") == "true" ? "succeeded" : "failed",
                    text_field(attempt, "latency_ms") + " ms", text_field(attempt, "error"),
                    format_time(attempt.at("created").to_number<int64_t>())});
  }
  print_table(out,
              {"ID", of == AttemptsOf::kEvent ? "ENDPOINT" : "EVENT", "STATUS", "RESULT", "LATENCY",
               "ERROR", "TIME (UTC)"},
              rows);
}

std::optional<json::value> newest_attempt(const ApiClient& api, const std::string& event_id,
                                          const std::string& endpoint_id,
                                          const std::string& stripe_account) {
  const json::value list =
      api.get("/v1/events/" + event_id + "/attempts", {{"limit", "100"}}, stripe_account);
  for (const json::value& attempt : list.at("data").as_array()) {
    if (text_field(attempt, "webhook_endpoint") == endpoint_id) return attempt;
  }
  return std::nullopt;
}

std::optional<json::value> wait_for_attempt(const ApiClient& api, const std::string& event_id,
                                            const std::string& endpoint_id,
                                            const std::string& stripe_account,
                                            const std::string& after_id,
                                            std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    std::optional<json::value> newest = newest_attempt(api, event_id, endpoint_id, stripe_account);
    if (newest && text_field(*newest, "id") != after_id) return newest;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace hookline::cli
