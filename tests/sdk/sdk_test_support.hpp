#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace hookline::testing {

inline constexpr std::int64_t kT = 1700000000;  // the signing time of most cases
inline constexpr char kSecret[] = "whsec_5u7n0dT6UeZ2xVq9Yk4bHf8Lm3Rp1Wc0";

// "now" for construct_event, `age` seconds after kT.
inline std::chrono::system_clock::time_point at(std::int64_t unix_seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(unix_seconds));
}

inline std::string event_json(const std::string& id = "evt_1",
                              const std::string& type = "payment_intent.succeeded",
                              const std::string& extra = R"(,"account":"acct_1")") {
  return R"({"id":")" + id + R"(","object":"event","api_version":"2026-10-28.endive",)" +
         R"("created":1700000000,"livemode":false,"pending_webhooks":1,)" +
         R"("request":{"id":null,"idempotency_key":null},"type":")" + type + "\"" + extra +
         R"(,"data":{"object":{"id":"pi_1","object":"payment_intent","amount":2000,"currency":"usd"}}})";
}

}  // namespace hookline::testing
