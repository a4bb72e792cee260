#pragma once
// What `hookline serve` prints on stdout once it listens: where, the platform
// account, the data directory and both secret keys. A key set in the
// environment is shown masked (its owner has it; the banner may end up in a
// terminal log); a key generated now is shown whole, since this is the only
// time it is shown; a key kept in the data directory is shown whole for the
// test key (every terminal of the local flow needs it), masked for the live key.
#include <cstdint>
#include <string>

namespace hookline {

enum class KeySource { kEnvironment, kGenerated, kDataDir };

struct StartupBanner {
  std::string host;
  uint16_t port = 0;
  std::string platform_account_id;
  std::string store;         // the data directory, or the database (no password)
  bool in_database = false;  // PostgreSQL: `store` names a database
  std::string test_secret_key;
  KeySource test_key_source = KeySource::kDataDir;
  std::string live_secret_key;
  KeySource live_key_source = KeySource::kDataDir;
};

// The banner's text, lines ending in '\n'. Its first line, "hookline listening
// on http://HOST:PORT", is what scripts and tests wait for.
std::string render_startup_banner(const StartupBanner& banner);

}  // namespace hookline
