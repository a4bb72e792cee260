// `hookline send`: signs a body with a secret and POSTs it to a URL, as hookline
// (or Stripe) would deliver it. Needs no server.
#include <CLI/CLI.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/client_commands.hpp"
#include "cli/client_options.hpp"
#include "cli/flag_values.hpp"
#include "cli/fixture.hpp"
#include "cli/http_client.hpp"
#include "core/clock.hpp"
#include "core/ids.hpp"
#include "events/event_body.hpp"
#include "signing/signature.hpp"

namespace hookline::cli {

namespace {

struct SendOptions {
  std::string url;
  std::string secret;
  std::string body;
  std::string event_type;
  std::string stripe_account;
  std::string api_version = "2026-10-28.endive";
  std::vector<std::string> headers;
  int timeout_seconds = 30;
  bool skip_verify = false;
};

std::string read_body(const std::string& spec) {
  if (!spec.starts_with("@")) return spec;
  const std::string path = spec.substr(1);
  std::ifstream file(path, std::ios::binary);
  if (!file) fail("Cannot read the body file " + path + ".");
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// A whole event of `type` built from its fixture, as the server would render it.
std::string event_from_fixture(const SendOptions& options, int64_t now) {
  const Fixture* fixture = find_fixture(options.event_type);
  if (fixture == nullptr) {
    fail("No fixture for " + options.event_type +
         ". `hookline trigger --list` lists the event types with fixtures.");
  }
  FixtureContext context;
  context.now = now;
  context.account_id = options.stripe_account;
  if (fixture->requires_connected_account && context.account_id.empty()) {
    context.account_id = new_id("acct");
  }
  const boost::json::object data = render_fixture(*fixture, context);
  const boost::json::value object = data.at("object");
  const boost::json::value* previous = data.if_contains("previous_attributes");
  EventBodyFields fields;
  fields.id = new_id("evt");
  fields.account_id = context.account_id;
  fields.api_version = options.api_version;
  fields.created = now;
  fields.data_object = &object;
  fields.previous_attributes = previous;
  fields.pending_webhooks = 1;
  fields.type = fixture->event;
  return render_event_body(fields);
}

void run_send(const SendOptions& options) {
  if (options.body.empty() == options.event_type.empty()) {
    fail("Give exactly one of --body (JSON, or @file.json) and --event (an event type).");
  }
  if (options.secret.empty()) {
    fail("No signing secret: pass --secret whsec_… or set HOOKLINE_WEBHOOK_SECRET.");
  }
  if (!options.secret.starts_with("whsec_")) {
    fail("The secret must be a webhook signing secret (whsec_…).");
  }
  SystemClock clock;
  const int64_t now = clock.now_seconds();
  const std::string body =
      options.event_type.empty() ? read_body(options.body) : event_from_fixture(options, now);

  HttpRequest request;
  request.method = "POST";
  request.url = with_default_scheme(options.url);
  request.body = body;
  request.timeout = std::chrono::seconds(options.timeout_seconds);
  request.skip_tls_verify = options.skip_verify;
  request.headers.emplace_back("Content-Type", kWebhookContentType);
  request.headers.emplace_back("User-Agent", kWebhookUserAgent);
  request.headers.emplace_back("Stripe-Signature",
                               signing::signature_header(now, body, {options.secret}, true));
  for (const std::string& header : options.headers) {
    const auto colon = header.find(':');
    if (colon == std::string::npos) fail("Header \"" + header + "\" is not of the form Key:Value.");
    std::string value = header.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    request.headers.emplace_back(header.substr(0, colon), value);
  }

  std::cout << "--> POST " << request.url << " (" << body.size() << " bytes, signed)"
            << std::endl;
  const HttpResponse response = send_http_request(request);
  if (response.status == 0) {
    fail("Failed to POST to " + request.url + ": " + response.error);
  }
  std::cout << "<-- [" << response.status << "] POST " << request.url << " ("
            << response.latency.count() / 1000 << " ms)" << std::endl;
  std::cout << response.body;
  if (!response.body.empty() && response.body.back() != '\n') std::cout << '\n';
  std::cout.flush();
  if (response.status < 200 || response.status >= 300) throw CLI::RuntimeError(1);
}

}  // namespace

void add_send_command(CLI::App& app) {
  auto options = std::make_shared<SendOptions>();
  CLI::App* send = app.add_subcommand(
      "send", "Sign a webhook body with a secret and POST it to a URL (no server needed)");
  send->add_option("--url", options->url, "Where to POST, e.g. localhost:4242/webhook")
      ->required();
  add_env_backed_option(*send, "--secret", options->secret, "HOOKLINE_WEBHOOK_SECRET", "",
                        "The endpoint's signing secret (whsec_…)");
  send->add_option("--body", options->body, "The exact body: JSON text, or @file.json");
  send->add_option("--event", options->event_type,
                   "Send an event of this type built from its fixture instead");
  send->add_option("--stripe-account", options->stripe_account,
                   "With --event: the connected account the event is on");
  send->add_option("--api-version", options->api_version, "With --event: the api_version field")
      ->capture_default_str();
  send->add_option("-H,--header", options->headers, "Extra header \"Key: Value\" (repeatable)");
  send->add_option("--timeout", options->timeout_seconds, "Seconds to wait for the answer")
      ->capture_default_str();
  send->add_flag("--skip-verify", options->skip_verify, "Skip TLS certificate verification");
  send->callback([options] { run_send(*options); });
}

}  // namespace hookline::cli
