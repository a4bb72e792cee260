// `hookline listen`: opens a session to the server and forwards its events to
// a local server, with the Stripe CLI's flags.
#include <CLI/CLI.hpp>
#include <boost/url/parse.hpp>
#include <iostream>

#include "catalog/event_types.hpp"
#include "cli/api_client.hpp"
#include "cli/client_commands.hpp"
#include "cli/client_options.hpp"
#include "cli/flag_values.hpp"
#include "cli/header_flags.hpp"
#include "cli/http_client.hpp"
#include "cli/listen_forwarder.hpp"
#include "cli/listen_routes.hpp"
#include "cli/listen_websocket.hpp"

namespace hookline::cli {

namespace {

struct ListenOptions {
  std::shared_ptr<ApiConfig> api = std::make_shared<ApiConfig>();
  std::string forward_to;
  std::string forward_connect_to;
  std::vector<std::string> events{"*"};
  std::vector<std::string> headers;
  std::vector<std::string> connect_headers;
  std::string format;
  bool live = false;
  bool print_secret = false;
  bool skip_verify = false;
  bool load_from_webhooks_api = false;
  bool latest = false;
  int timeout_seconds = 30;
};

void warn_unknown_events(const std::vector<std::string>& events) {
  for (const std::string& type : events) {
    if (type == "*" || catalog::is_known_event_type(type)) continue;
    std::string line = "Warning: unknown event type " + type;
    const auto nearest = catalog::nearest_event_types(type, 1);
    if (!nearest.empty()) line += " (did you mean " + nearest.front() + "?)";
    std::cerr << line << std::endl;
  }
}

HeaderList parse_headers(const std::vector<std::string>& values) {
  HeaderList headers;
  for (const std::string& value : values) {
    try {
      HeaderList parsed = parse_header_flag(value);
      headers.insert(headers.end(), parsed.begin(), parsed.end());
    } catch (const std::invalid_argument& e) {
      fail(e.what());
    }
  }
  return headers;
}

// Refuses at once what cannot be forwarded to (ftp://, a typo), naming the flag.
void require_http_url(const std::string& flag, const std::string& url) {
  if (url.empty()) return;
  const std::string full = with_default_scheme(url);  // parse_uri's view refers to it
  const auto parsed = boost::urls::parse_uri(full);
  if (!parsed || (parsed->scheme() != "http" && parsed->scheme() != "https") ||
      parsed->host().empty()) {
    fail(flag + " must be an http:// or https:// URL (or host:port/path), not '" + url + "'.");
  }
}

// --load-from-webhooks-api: the routes of the account's enabled endpoints,
// printed so that the user sees where each type goes.
std::vector<ForwardRoute> routes_of_registered_endpoints(const ListenOptions& options,
                                                         const HeaderList& headers,
                                                         const HeaderList& connect_headers) {
  if (options.forward_to.empty()) {
    fail("--load-from-webhooks-api needs --forward-to: the host (and path prefix) to forward "
         "to, e.g. --forward-to localhost:4242.");
  }
  std::vector<ForwardRoute> routes;
  try {
    const ApiClient api(*options.api);
    routes = routes_from_endpoints(api.get("/v1/webhook_endpoints", {{"limit", "100"}}),
                                   options.forward_to, options.forward_connect_to, headers,
                                   connect_headers);
  } catch (const ApiError& e) {
    fail(e.what());
  } catch (const std::invalid_argument& e) {
    fail(e.what());
  }
  if (routes.empty()) {
    std::cerr << "Warning: the account has no enabled webhook endpoint: events are only printed."
              << std::endl;
  }
  for (const ForwardRoute& route : routes) {
    std::string types;
    for (const std::string& type : route.event_types) types += (types.empty() ? "" : ",") + type;
    std::cerr << "Forwarding " << (route.connect ? "Connect " : "") << "events [" << types
              << "] to " << route.url << std::endl;
  }
  return routes;
}

void run_listen(const ListenOptions& options) {
  require_http_url("--forward-to", options.forward_to);
  require_http_url("--forward-connect-to", options.forward_connect_to);
  require_api_key(*options.api);
  ListenTarget target;
  target.api_base = with_default_scheme(options.api->api_base);
  target.api_key = options.api->api_key;
  target.query.events = options.events;
  target.query.live = options.live;
  target.query.latest = options.latest;

  if (options.print_secret) {
    ListenWebSocket* socket = nullptr;
    ListenEvents events;
    events.on_ready = [&](const listen::ReadyFrame& ready, bool) {
      std::cout << ready.secret << std::endl;
      socket->stop();
    };
    ListenWebSocket session(target, events);
    socket = &session;
    if (session.run() != 0) throw CLI::RuntimeError(1);
    return;
  }

  warn_unknown_events(options.events);
  ForwardOptions forward;
  const HeaderList headers = parse_headers(options.headers);
  const HeaderList connect_headers = parse_headers(options.connect_headers);
  if (options.load_from_webhooks_api) {
    forward.routes = routes_of_registered_endpoints(options, headers, connect_headers);
  } else {
    // The server already sends only the --events types.
    forward.routes = default_routes(options.forward_to, options.forward_connect_to, {"*"}, headers,
                                    connect_headers);
  }
  forward.timeout_seconds = options.timeout_seconds;
  forward.skip_verify = options.skip_verify;
  forward.print_json = wants_json(options.format);

  ListenWebSocket* socket = nullptr;
  ListenForwarder* forwarder = nullptr;
  ListenEvents events;
  events.on_ready = [&](const listen::ReadyFrame& ready, bool reconnected) {
    if (reconnected) {
      std::cerr << "Reconnected to hookline; forwarding resumes." << std::endl;
    } else {
      std::cerr << "Ready! Your webhook signing secret is " << ready.secret << " (^C to quit)"
                << std::endl;
    }
  };
  events.on_delivery = [&](listen::DeliveryFrame delivery, uint64_t generation) {
    forwarder->enqueue(std::move(delivery), generation);
  };
  events.on_lost = [](const std::string& reason) {
    std::cerr << "Lost connection to hookline (" << reason << "); reconnecting…" << std::endl;
  };
  ListenWebSocket session(target, events);
  socket = &session;
  ListenForwarder worker(
      forward,
      [socket](const listen::ResultFrame& result, uint64_t generation) {
        socket->send_result(result, generation);
      },
      [socket](uint64_t generation) { return socket->is_current(generation); });
  forwarder = &worker;
  const int code = session.run();
  if (code != 0) throw CLI::RuntimeError(code);
}

}  // namespace

void add_listen_command(CLI::App& app) {
  auto options = std::make_shared<ListenOptions>();
  CLI::App* listen = app.add_subcommand(
      "listen", "Receive events in a local session and forward them to your local server");
  listen->add_option("-f,--forward-to", options->forward_to,
                     "The URL to forward events to, e.g. localhost:4242/webhook");
  listen->add_option("-c,--forward-connect-to", options->forward_connect_to,
                     "The URL to forward events of connected accounts to (default: same as "
                     "--forward-to)");
  add_comma_list_option(*listen, "-e,--events", options->events,
                        "A comma-separated list of event types to listen for (default: *)");
  listen->add_option("-H,--headers", options->headers,
                     "Comma-separated headers to add to forwarded requests: \"Key1:Value1, "
                     "Key2:Value2\"")
      ->allow_extra_args(false);
  listen->add_option("--connect-headers", options->connect_headers,
                     "Comma-separated headers to add to forwarded Connect requests")
      ->allow_extra_args(false);
  listen->add_flag("--live", options->live, "Receive live events too (needs a live key)");
  listen->add_option("--format", options->format, "JSON: print each event as one JSON line")
      ->check(CLI::IsMember({"JSON", "json"}));
  listen->add_flag("--print-secret", options->print_secret,
                   "Only print the session's webhook signing secret and exit");
  listen->add_flag("--skip-verify", options->skip_verify,
                   "Skip TLS certificate verification when forwarding to https:// URLs");
  listen->add_option("--timeout", options->timeout_seconds,
                     "Seconds to wait for your server's answer to each forwarded event")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  listen->add_flag("-a,--load-from-webhooks-api,--use-configured-webhooks",
                   options->load_from_webhooks_api,
                   "Forward to the paths of the account's webhook endpoints, on the host of "
                   "--forward-to (--forward-connect-to for Connect endpoints), for the events "
                   "each endpoint is enabled for");
  listen->add_flag("-l,--latest", options->latest,
                   "Receive events with the latest API version in their api_version field "
                   "(default: the platform's default API version)");
  add_api_options(*listen, options->api);
  listen->callback([options] { run_listen(*options); });
}

}  // namespace hookline::cli
