#pragma once
// Flags every API client command shares, and how commands report failure.
#include <memory>
#include <string>

#include "cli/api_client.hpp"

namespace CLI {
class App;
}

namespace hookline::cli {

// Adds --api-base (env HOOKLINE_API_BASE, default http://127.0.0.1:7420) and
// --api-key (env HOOKLINE_API_KEY) to `command`; they fill `*config`, flag >
// environment > default (add_env_backed_option, flag_values.hpp).
void add_api_options(CLI::App& command, const std::shared_ptr<ApiConfig>& config);

// Adds --format (table by default; JSON for scripts) to `command`.
void add_format_option(CLI::App& command, const std::shared_ptr<std::string>& format);
bool wants_json(const std::string& format);

// Fails (as fail() does) when no API key was given, saying where one comes from.
void require_api_key(const ApiConfig& config);

// Prints "Error: <message>" on stderr and throws CLI::RuntimeError(exit_code).
[[noreturn]] void fail(const std::string& message, int exit_code = 1);

// The headers every webhook request carries besides Stripe-Signature, as
// Stripe sends them.
inline constexpr const char* kWebhookContentType = "application/json; charset=utf-8";
inline constexpr const char* kWebhookUserAgent = "Stripe/1.0 (+https://stripe.com/docs/webhooks)";

}  // namespace hookline::cli
