#include "server/startup_banner.hpp"

#include <fmt/format.h>

#include "api/http/api_key_auth.hpp"

namespace hookline {

namespace {

std::string shown_key(const std::string& key, KeySource source, bool whole_when_kept) {
  const bool whole =
      source == KeySource::kGenerated || (source == KeySource::kDataDir && whole_when_kept);
  return whole ? key : api::mask_api_key(key);
}

}  // namespace

std::string render_startup_banner(const StartupBanner& banner) {
  std::string text = fmt::format("hookline listening on http://{}:{}\n", banner.host, banner.port);
  text += fmt::format("  platform account  {}\n", banner.platform_account_id);
  text += fmt::format("  {}    {}\n", banner.in_database ? "database      " : "data directory",
                      banner.store);
  text += fmt::format("  test secret key   {}\n",
                      shown_key(banner.test_secret_key, banner.test_key_source, true));
  text += fmt::format("  live secret key   {}\n",
                      shown_key(banner.live_secret_key, banner.live_key_source, false));
  if (banner.test_key_source == KeySource::kGenerated ||
      banner.live_key_source == KeySource::kGenerated) {
    text += fmt::format(
        "  (generated and kept in the {}; set HOOKLINE_SECRET_KEY and\n"
        "   HOOKLINE_LIVE_SECRET_KEY to choose your own)\n",
        banner.in_database ? "database" : "data directory");
  }
  return text;
}

}  // namespace hookline
