// Issue 12 item 3: only Stripe's published API versions are accepted.
#include "catalog/api_versions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace hookline::catalog {
namespace {

TEST(ApiVersionsTest, Issue12Item3OnlyPublishedVersionsAreKnown) {
  struct Case {
    const char* version;
    bool published;
  };
  const Case cases[] = {
      {"2011-01-01", true},          {"2017-08-15", true},         {"2020-08-27", true},
      {"2024-06-20", true},          {"2024-09-30.acacia", true},  {"2025-03-31.basil", true},
      {"2025-09-30.clover", true},   {"2026-03-25.dahlia", true},  {"2026-10-28.endive", true},
      {"2099-01-01.zzz", false},     {"2099-01-01", false},        {"foo", false},
      {"", false},                   {"2025-03-31", false},        {"2025-03-31.acacia", false},
      {"2026-10-28.ENDIVE", false},  {"2026-10-28.endive ", false}, {"2010-12-31", false},
      {"2024-06-20.basil", false},   {"latest", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(is_published_api_version(c.version), c.published) << '"' << c.version << '"';
  }
}

TEST(ApiVersionsTest, TableIsSortedAndFromOldestToStripeNodesPinnedVersion) {
  const auto versions = published_api_versions();
  ASSERT_FALSE(versions.empty());
  EXPECT_TRUE(std::is_sorted(versions.begin(), versions.end()));
  EXPECT_EQ(std::adjacent_find(versions.begin(), versions.end()), versions.end());
  EXPECT_EQ(versions.front(), "2011-01-01");
  EXPECT_EQ(versions.back(), "2026-10-28.endive");
  const std::regex shape(R"(\d{4}-\d{2}-\d{2}(\.[a-z]+)?)");
  for (std::string_view version : versions) {
    EXPECT_TRUE(std::regex_match(version.begin(), version.end(), shape)) << version;
  }
}

// The table is stripe-node's WebhookEndpointCreateParams.ApiVersion, exactly.
TEST(ApiVersionsTest, TableEqualsTheVersionsStripeNodeDeclares) {
  std::ifstream file(STRIPE_NODE_WEBHOOK_ENDPOINTS_DTS);
  ASSERT_TRUE(file) << "stripe-node is not installed: " << STRIPE_NODE_WEBHOOK_ENDPOINTS_DTS;
  std::stringstream text;
  text << file.rdbuf();
  const std::string source = text.str();
  const std::size_t start = source.find("type ApiVersion = ");
  ASSERT_NE(start, std::string::npos);
  const std::string declaration = source.substr(start, source.find(';', start) - start);
  std::vector<std::string> declared;
  const std::regex quoted("'([^']+)'");
  for (auto it = std::sregex_iterator(declaration.begin(), declaration.end(), quoted);
       it != std::sregex_iterator(); ++it) {
    declared.push_back((*it)[1]);
  }
  const auto table = published_api_versions();
  EXPECT_EQ(declared, std::vector<std::string>(table.begin(), table.end()));
}

}  // namespace
}  // namespace hookline::catalog
