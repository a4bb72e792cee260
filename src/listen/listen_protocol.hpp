#pragma once
// The `hookline listen` protocol: JSON text frames over the WebSocket of
// GET /v1/listen?<query>. Both ends (the hub, src/listen/listen_hub.*, and the
// CLI, src/cli/listen_*) use these types, so the wire format lives here only.
//
//   server -> CLI  {"type":"ready","secret":"whsec_…","account":"acct_…",
//                   "livemode":false,"endpoints":["we_…",…]}        once, first
//   server -> CLI  {"type":"delivery","id":"…","delivery_id":N,"event_id":"evt_…",
//                   "event_type":"…","connect":true,"livemode":false,
//                   "signature":"t=…,v1=…","body":"<the exact event body>"}
//   CLI -> server  {"type":"result","id":"…","delivery_id":N,"status":200,
//                   "error":"","latency_ms":12}                    one per delivery
//   server -> CLI  {"type":"error","message":"…"}                    then close
// `id` names one delivery frame (a delivery attempted twice gets two ids); a
// result answers the frame with the same id. status 0 with an error: the
// local endpoint gave no HTTP answer.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hookline::listen {

// What the CLI asks for, in the upgrade request's query string.
struct ListenQuery {
  std::vector<std::string> events{"*"};  // enabled_events of the session's endpoints
  bool live = false;                     // also live events (needs a live key)
  bool latest = false;  // bodies with the latest API version (hookline listen --latest)
};
std::string encode_listen_query(const ListenQuery& query);  // "events=a,b&live=true&latest=true"
// Unknown parameters are ignored; a missing or empty `events` means "*".
// Throws std::invalid_argument (what(): a sentence for the user) when `query`
// is not a query string (RFC 3986: a bad %-escape, a space, …).
ListenQuery parse_listen_query(std::string_view query);

struct ReadyFrame {
  std::string secret;
  std::string account_id;
  bool livemode = false;
  std::vector<std::string> endpoint_ids;
};

struct DeliveryFrame {
  std::string id;
  int64_t delivery_id = 0;
  std::string event_id;
  std::string event_type;
  bool connect = false;  // from a Connect endpoint: an event of a connected account
  bool livemode = false;
  std::string signature;  // the Stripe-Signature header value
  std::string body;
};

struct ResultFrame {
  std::string id;
  int64_t delivery_id = 0;
  int status = 0;
  std::string error;
  int64_t latency_ms = 0;
};

struct ErrorFrame {
  std::string message;
};

std::string to_text(const ReadyFrame& frame);
std::string to_text(const DeliveryFrame& frame);
std::string to_text(const ResultFrame& frame);
std::string to_text(const ErrorFrame& frame);

using ServerFrame = std::variant<ReadyFrame, DeliveryFrame, ErrorFrame>;
// nullopt for anything that is not a well-formed server frame.
std::optional<ServerFrame> parse_server_frame(std::string_view text);
std::optional<ResultFrame> parse_result_frame(std::string_view text);

}  // namespace hookline::listen
