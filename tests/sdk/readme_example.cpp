// The SDK sample of README.md, verbatim between the markers (a test
// checks that the README shows exactly this code, and runs it).
#include "readme_example.hpp"

// readme:begin
#include <boost/json.hpp>
#include <hookline/webhook.hpp>
#include <iostream>
#include <string>

void handle_event(const hookline::Event& event) {
  if (event.type() == "account.application.deauthorized") {
    // Connect: the account revoked your platform's access. Forget what you keep for it.
    std::cout << "Connected account " << event.account().value_or("?") << " deauthorized\n";
  } else if (event.type() == "payment_intent.succeeded") {
    const boost::json::object& intent = event.data_object();
    std::cout << "PaymentIntent " << intent.at("id").as_string().c_str() << " succeeded"
              << (event.account() ? " on " + *event.account() : "") << "\n";
  } else {
    std::cout << "Unhandled event type " << event.type() << "\n";
  }
}

// Call from your HTTP handler with the raw request body and the value of its
// Stripe-Signature header; answer with the status code it returns.
int handle_webhook(const std::string& body, const std::string& signature_header,
                   const std::string& endpoint_secret /* whsec_… */) {
  try {
    handle_event(hookline::construct_event(body, signature_header, endpoint_secret));
  } catch (const hookline::SignatureVerificationError& e) {
    std::cerr << "Bad signature: " << e.what() << "\n";
    return 400;
  } catch (const hookline::PayloadError& e) {
    std::cerr << "Bad payload: " << e.what() << "\n";
    return 400;
  }
  return 200;
}
// readme:end
