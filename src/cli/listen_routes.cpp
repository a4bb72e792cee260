#include "cli/listen_routes.hpp"

#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <stdexcept>

#include "cli/http_client.hpp"
#include "cli/output.hpp"
#include "routing/router.hpp"

namespace hookline::cli {

namespace json = boost::json;

bool ForwardRoute::matches(bool connect_event, const std::string& type) const {
  if (connect != connect_event) return false;
  return routing::subscribes(event_types, type);
}

std::vector<ForwardRoute> default_routes(const std::string& forward_to,
                                         const std::string& forward_connect_to,
                                         const std::vector<std::string>& event_types,
                                         const HeaderList& headers,
                                         const HeaderList& connect_headers) {
  std::vector<ForwardRoute> routes;
  if (!forward_to.empty()) {
    routes.push_back({with_default_scheme(forward_to), false, event_types, headers});
  }
  const std::string& connect_to = forward_connect_to.empty() ? forward_to : forward_connect_to;
  if (!connect_to.empty()) {
    routes.push_back({with_default_scheme(connect_to), true, event_types, connect_headers});
  }
  return routes;
}

std::string join_forward_url(const std::string& forward_url, const std::string& endpoint_url) {
  const std::string base_text = with_default_scheme(forward_url);
  const auto base = boost::urls::parse_uri(base_text);
  if (!base) throw std::invalid_argument("'" + forward_url + "' is not a URL");
  const auto endpoint = boost::urls::parse_uri(endpoint_url);
  if (!endpoint) throw std::invalid_argument("'" + endpoint_url + "' is not a URL");
  std::string path(base->encoded_path());
  while (!path.empty() && path.back() == '/') path.pop_back();  // no "//" when joined
  std::string joined = std::string(base->scheme()) + "://" +
                       std::string(base->encoded_authority()) + path +
                       std::string(endpoint->encoded_path());
  if (endpoint->has_query()) joined += "?" + std::string(endpoint->encoded_query());
  return joined;
}

std::vector<ForwardRoute> routes_from_endpoints(const json::value& endpoint_list,
                                                const std::string& forward_to,
                                                const std::string& forward_connect_to,
                                                const HeaderList& headers,
                                                const HeaderList& connect_headers) {
  std::vector<ForwardRoute> routes;
  for (const json::value& endpoint : endpoint_list.at("data").as_array()) {
    if (text_field(endpoint, "status") == "disabled") continue;
    // A Connect endpoint is the one with an `application`, as on Stripe.
    const bool connect = !text_field(endpoint, "application").empty();
    std::string url;
    try {
      url =
          join_forward_url(connect && !forward_connect_to.empty() ? forward_connect_to : forward_to,
                           text_field(endpoint, "url"));
    } catch (const std::invalid_argument&) {
      if (!boost::urls::parse_uri(with_default_scheme(forward_to))) throw;
      continue;  // an endpoint URL that does not parse is skipped, as the Stripe CLI does
    }
    std::vector<std::string> types;
    for (const json::value& type : endpoint.at("enabled_events").as_array()) {
      types.emplace_back(type.as_string());
    }
    routes.push_back({url, connect, types, connect ? connect_headers : headers});
  }
  return routes;
}

}  // namespace hookline::cli
