// hookline-sign-tool: the hookline side of the conformance tests, batched so a
// test spawns it once. Reads {"cases":[…]} on stdin, writes [{…}] on stdout.
//
// A case:
//   {"payload": "<body to verify>", "secret": "whsec_…", "now": <unix s>, "tolerance": <s>,
//    "header": "<Stripe-Signature to verify>"                       (either this …)
//    "sign": {"payload": "<body>", "timestamp": <unix s>,           (… or this: hookline
//             "secrets": ["whsec_…", …], "fake_v0": <bool>,          signs, then verifies;
//             "scheme": "v0"}}                        with a scheme: generate_test_header)
// A result:
//   {"header": "<the header verified>", "verdict": "accepted" | "SignatureVerificationError"
//    | "PayloadError", "message": "<error message>", "event_id": "<id when accepted>"}
#include <boost/json.hpp>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "hookline/webhook.hpp"
#include "signing/signature.hpp"

namespace json = boost::json;

namespace {

json::object run_case(const json::object& c) {
  const std::string payload(c.at("payload").as_string());
  const std::string secret(c.at("secret").as_string());
  const std::int64_t now = json::value_to<std::int64_t>(c.at("now"));
  const std::int64_t tolerance = json::value_to<std::int64_t>(c.at("tolerance"));

  std::string header;
  if (const json::value* sign = c.if_contains("sign")) {
    const json::object& s = sign->as_object();
    std::vector<std::string> secrets;
    for (const json::value& v : s.at("secrets").as_array()) secrets.emplace_back(v.as_string());
    const json::value* signed_payload = s.if_contains("payload");
    const std::string body = signed_payload ? std::string(signed_payload->as_string()) : payload;
    const std::int64_t timestamp = json::value_to<std::int64_t>(s.at("timestamp"));
    if (const json::value* scheme = s.if_contains("scheme")) {
      header = hookline::generate_test_header(body, secrets.at(0), timestamp, scheme->as_string());
    } else {
      header = hookline::signing::signature_header(
          timestamp, body, secrets, s.contains("fake_v0") && s.at("fake_v0").as_bool());
    }
  } else {
    header = std::string(c.at("header").as_string());
  }

  json::object result;
  result["header"] = header;
  try {
    hookline::Event event =
        hookline::construct_event(payload, header, secret, std::chrono::seconds(tolerance),
                                  std::chrono::system_clock::time_point(std::chrono::seconds(now)));
    result["verdict"] = "accepted";
    result["event_id"] = event.id();
  } catch (const hookline::SignatureVerificationError& e) {
    result["verdict"] = "SignatureVerificationError";
    result["message"] = e.what();
  } catch (const hookline::PayloadError& e) {
    result["verdict"] = "PayloadError";
    result["message"] = e.what();
  }
  return result;
}

}  // namespace

int main() {
  try {
    const std::string input(std::istreambuf_iterator<char>(std::cin), {});
    const json::value request = json::parse(input);
    json::array results;
    for (const json::value& c : request.at("cases").as_array()) {
      results.push_back(run_case(c.as_object()));
    }
    std::cout << json::serialize(results) << "\n";
    return 0;
  } catch (const std::exception& e) {  // a malformed request: the test's bug, not hookline's
    std::cerr << "hookline-sign-tool: " << e.what() << "\n";
    return 2;
  }
}
