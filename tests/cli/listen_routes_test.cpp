#include "cli/listen_routes.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace hookline::cli {
namespace {

TEST(JoinForwardUrlTest, ForwardHostAndPathThenTheEndpointsPathAndQuery) {
  struct Case {
    std::string forward_to, endpoint_url, expected;
  };
  const Case cases[] = {
      {"localhost:4242", "https://example.com/hooks/stripe", "http://localhost:4242/hooks/stripe"},
      {"http://localhost:4242/", "https://example.com/hooks", "http://localhost:4242/hooks"},
      {"https://127.0.0.1:8443/base", "https://example.com/a/b?x=1&y=2",
       "https://127.0.0.1:8443/base/a/b?x=1&y=2"},
      {"localhost:4242/prefix/", "http://example.com", "http://localhost:4242/prefix"},
      {"localhost:4242", "https://user:pw@example.com:99/p", "http://localhost:4242/p"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(join_forward_url(c.forward_to, c.endpoint_url), c.expected)
        << c.forward_to << " + " << c.endpoint_url;
  }
  EXPECT_THROW(join_forward_url("localhost:4242", "not a url"), std::invalid_argument);
}

TEST(RoutesFromEndpointsTest, OneRoutePerEnabledEndpointWithItsEventsAndKind) {
  const boost::json::value list = boost::json::parse(R"({"object":"list","data":[
    {"id":"we_1","url":"https://example.com/webhook","status":"enabled","application":null,
     "enabled_events":["customer.created","charge.failed"]},
    {"id":"we_2","url":"https://example.com/connect?v=2","status":"enabled","application":"ca_1",
     "enabled_events":["*"]},
    {"id":"we_3","url":"https://example.com/off","status":"disabled","application":null,
     "enabled_events":["*"]}]})");
  const HeaderList headers = {{"X-A", "1"}};
  const HeaderList connect_headers = {{"X-C", "2"}};
  const auto routes =
      routes_from_endpoints(list, "localhost:4242", "localhost:5000", headers, connect_headers);
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[0].url, "http://localhost:4242/webhook");
  EXPECT_FALSE(routes[0].connect);
  EXPECT_EQ(routes[0].headers, headers);
  EXPECT_TRUE(routes[0].matches(false, "charge.failed"));
  EXPECT_FALSE(routes[0].matches(false, "customer.updated"));
  EXPECT_FALSE(routes[0].matches(true, "customer.created"));  // a Connect event
  EXPECT_EQ(routes[1].url, "http://localhost:5000/connect?v=2");
  EXPECT_TRUE(routes[1].connect);
  EXPECT_EQ(routes[1].headers, connect_headers);
  EXPECT_TRUE(routes[1].matches(true, "anything.at_all"));
  EXPECT_FALSE(routes[1].matches(false, "customer.created"));

  // Without --forward-connect-to, Connect endpoints use --forward-to's host.
  const auto same_host = routes_from_endpoints(list, "localhost:4242", "", {}, {});
  EXPECT_EQ(same_host[1].url, "http://localhost:4242/connect?v=2");
}

TEST(DefaultRoutesTest, ConnectEventsGoToForwardToWithoutForwardConnectTo) {
  const auto routes = default_routes("localhost:4242/webhook", "", {"*"}, {}, {});
  ASSERT_EQ(routes.size(), 2u);
  EXPECT_EQ(routes[1].url, "http://localhost:4242/webhook");
  EXPECT_TRUE(routes[1].matches(true, "customer.created"));
  EXPECT_TRUE(default_routes("", "", {"*"}, {}, {}).empty());
  const auto both = default_routes("localhost:1/a", "localhost:2/b", {"*"}, {}, {});
  EXPECT_EQ(both[1].url, "http://localhost:2/b");
}

}  // namespace
}  // namespace hookline::cli
