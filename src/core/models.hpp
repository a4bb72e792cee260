#pragma once
// The engine's data model. Plain values; JSON rendering of the Stripe-shaped
// objects belongs to the API layer, except the event body, which is rendered
// once at creation (see events/) and never changes.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hookline {

enum class AccountType { kPlatform, kStandard, kExpress, kCustom };

std::string_view to_string(AccountType type);
// "standard" | "express" | "custom" (and "platform"); nullopt for anything else.
std::optional<AccountType> parse_account_type(std::string_view text);

struct Account {
  std::string id;  // acct_…
  AccountType type = AccountType::kStandard;
  // Standard accounts only: the platform controls the account (Stripe's
  // controller[...] settings). Custom and Express are always platform-controlled.
  bool platform_controls = false;
  bool connected_live = false;  // connected to the platform in live mode
  bool connected_test = false;  // connected to the platform in test mode
  bool deauthorized = false;
  int64_t created = 0;      // unix seconds
  std::string object_json;  // the Stripe `account` object as the API last rendered it

  bool is_platform() const { return type == AccountType::kPlatform; }
  // Custom, Express, or Standard with platform controls.
  bool platform_controlled() const {
    return type == AccountType::kCustom || type == AccountType::kExpress ||
           (type == AccountType::kStandard && platform_controls);
  }
  // Accounts with Stripe Dashboard access: Standard.
  bool has_dashboard_access() const { return type == AccountType::kStandard; }
};

enum class EndpointStatus { kEnabled, kDisabled };

struct EndpointSecret {
  std::string secret;         // whsec_…, the whole string is the HMAC key
  int64_t expires_at_ms = 0;  // 0: never (the current secret)
};

struct WebhookEndpoint {
  std::string id;          // we_…
  std::string account_id;  // the owner: the platform or a connected account
  bool connect = false;    // a Connect endpoint (events of connected accounts)
  bool livemode = false;
  std::string url;
  std::vector<std::string> enabled_events;  // event types, or "*"
  EndpointStatus status = EndpointStatus::kEnabled;
  // A `hookline listen` session: delivered over the listen hub, not HTTP.
  bool listen_session = false;
  std::string api_version;
  std::string description;
  std::string metadata_json = "{}";
  std::vector<EndpointSecret> secrets;  // current first, then rolled ones until they expire
  int64_t created = 0;                  // unix seconds
  // When the run of failed attempts that is still going on began; 0 if the last
  // attempt succeeded or there was none. Drives the automatic disable.
  int64_t failing_since_ms = 0;
};

// Not `Event`: that name belongs to the receiver SDK (include/hookline/webhook.hpp),
// and a program may link both.
struct StoredEvent {
  std::string id;          // evt_…
  std::string account_id;  // the account the event happened on
  bool livemode = false;
  std::string type;
  int64_t created = 0;  // unix seconds
  std::string body;     // the exact JSON bytes delivered to every endpoint
  // Endpoints still owed a 2xx now (the body holds the count at creation).
  int pending_webhooks = 0;
};

enum class DeliveryState { kPending, kSucceeded, kFailed };
std::string_view to_string(DeliveryState state);

// One event owed to one endpoint. The deliveries table is the queue.
struct Delivery {
  int64_t id = 0;
  std::string event_id;
  std::string endpoint_id;
  DeliveryState state = DeliveryState::kPending;
  bool manual = false;  // a manual resend: attempted once, never rescheduled
  int attempt_count = 0;
  int64_t next_attempt_ms = 0;
  int64_t created_ms = 0;
  int last_http_status = 0;  // 0: no HTTP answer
  std::string last_error;
};

// One HTTP exchange (or failure to have one) for a delivery.
struct Attempt {
  int64_t id = 0;
  int64_t delivery_id = 0;
  std::string event_id;
  std::string endpoint_id;
  // The event's type, written with the attempt by the dispatcher (the store's
  // trigger fills it in for a writer that leaves it empty).
  std::string event_type;
  int64_t at_ms = 0;
  int http_status = 0;     // 0: no HTTP answer (see error)
  std::string error;       // empty on an HTTP answer; else "timeout", "connection_refused", …
  int64_t latency_us = 0;
  std::string response_excerpt;  // first 4 KiB of the response body
  bool success = false;
};

}  // namespace hookline
