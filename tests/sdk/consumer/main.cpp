// Verifies a webhook signed with a secret and prints the event's id and type:
// exit 0 only when construct_event accepts the right secret and rejects a wrong one.
#include <chrono>
#include <hookline/webhook.hpp>
#include <iostream>

int main() {
  const std::string payload =
      R"({"id":"evt_consumer","object":"event","type":"payment_intent.succeeded",)"
      R"("created":1700000000,"livemode":false,"api_version":"2026-10-28.endive",)"
      R"("data":{"object":{"id":"pi_1","object":"payment_intent"}}})";
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const std::string header = hookline::generate_test_header(payload, "whsec_consumer", now);
  try {
    hookline::construct_event(payload, header, "whsec_other");
    std::cerr << "a wrong secret was accepted\n";
    return 1;
  } catch (const hookline::SignatureVerificationError&) {
  }
  const hookline::Event event = hookline::construct_event(payload, header, "whsec_consumer");
  std::cout << event.id() << ' ' << event.type() << '\n';
  return 0;
}
