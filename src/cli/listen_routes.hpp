#pragma once
// Where `hookline listen` forwards each event. By default: account events to
// --forward-to, events of connected accounts to --forward-connect-to (or
// --forward-to). With --load-from-webhooks-api, as the Stripe CLI does: one
// route per enabled webhook endpoint of the account, to the forward URL's
// scheme, host and path followed by the endpoint URL's path and query
// (--forward-to localhost:4242 + https://example.com/hooks/stripe?x=1 ->
// http://localhost:4242/hooks/stripe?x=1), for the endpoint's enabled_events;
// Connect endpoints use --forward-connect-to.
#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "cli/header_flags.hpp"

namespace hookline::cli {

struct ForwardRoute {
  std::string url;                       // with its scheme
  bool connect = false;                  // events of connected accounts, or the account's
  std::vector<std::string> event_types;  // "*" for all
  HeaderList headers;

  bool matches(bool connect_event, const std::string& type) const;
};

// The two routes of --forward-to / --forward-connect-to (none for an empty URL).
std::vector<ForwardRoute> default_routes(const std::string& forward_to,
                                         const std::string& forward_connect_to,
                                         const std::vector<std::string>& event_types,
                                         const HeaderList& headers,
                                         const HeaderList& connect_headers);

// `forward_url`'s scheme, host and path, then `endpoint_url`'s path and query.
// Throws std::invalid_argument when either is not a URL.
std::string join_forward_url(const std::string& forward_url, const std::string& endpoint_url);

// One route per enabled endpoint of a webhook_endpoints list object. Throws
// std::invalid_argument for a forward URL that is not a URL.
std::vector<ForwardRoute> routes_from_endpoints(const boost::json::value& endpoint_list,
                                                const std::string& forward_to,
                                                const std::string& forward_connect_to,
                                                const HeaderList& headers,
                                                const HeaderList& connect_headers);

}  // namespace hookline::cli
