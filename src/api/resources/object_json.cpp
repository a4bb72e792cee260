#include "api/resources/object_json.hpp"

#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace hookline::api {

namespace json = boost::json;

namespace {

constexpr std::string_view kAttemptPrefix = "wha_";

json::value string_or_null(const std::string& text) {
  return text.empty() ? json::value(nullptr) : json::value(text);
}

json::value parse_metadata(const std::string& text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  return !ec && value.is_object() ? value : json::value(json::object());
}

}  // namespace

std::string webhook_endpoint_json(const WebhookEndpoint& endpoint, const std::string& application,
                                  bool with_secret) {
  json::object object;
  object["id"] = endpoint.id;
  object["object"] = "webhook_endpoint";
  object["api_version"] = string_or_null(endpoint.api_version);
  object["application"] = endpoint.connect ? json::value(application) : json::value(nullptr);
  object["created"] = endpoint.created;
  object["description"] = string_or_null(endpoint.description);
  json::array events;
  for (const std::string& type : endpoint.enabled_events) events.emplace_back(type);
  object["enabled_events"] = std::move(events);
  object["livemode"] = endpoint.livemode;
  object["metadata"] = parse_metadata(endpoint.metadata_json);
  if (with_secret && !endpoint.secrets.empty()) object["secret"] = endpoint.secrets.front().secret;
  object["status"] = endpoint.status == EndpointStatus::kEnabled ? "enabled" : "disabled";
  object["url"] = endpoint.url;
  return json::serialize(object);
}

std::string deleted_json(const std::string& id, const std::string& object) {
  return json::serialize(json::object{{"id", id}, {"object", object}, {"deleted", true}});
}

std::string webhook_attempt_json(const Attempt& attempt) {
  json::object object;
  object["id"] = std::string(kAttemptPrefix) + std::to_string(attempt.id);
  object["object"] = "webhook_attempt";
  object["created"] = attempt.at_ms / 1000;
  object["error"] = string_or_null(attempt.error);
  object["event"] = attempt.event_id;
  object["http_status"] =
      attempt.http_status == 0 ? json::value(nullptr) : json::value(attempt.http_status);
  object["latency_ms"] = attempt.latency_us / 1000;
  object["response_body"] = attempt.response_excerpt;
  object["success"] = attempt.success;
  object["webhook_endpoint"] = attempt.endpoint_id;
  return json::serialize(object);
}

std::string attempt_cursor(const std::string& attempt_id) {
  std::string_view digits = attempt_id;
  if (digits.substr(0, kAttemptPrefix.size()) == kAttemptPrefix) {
    digits.remove_prefix(kAttemptPrefix.size());
  }
  const bool numeric =
      !digits.empty() && digits.size() <= 18 &&
      std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  return numeric ? std::string(digits) : std::string();
}

std::string event_json(const StoredEvent& event) {
  // The body's keys are in a fixed order and pending_webhooks is the last
  // top-level key before `request` and `type`, whose values cannot contain the
  // unescaped quotes of this needle: its last occurrence is the top-level one
  // (data.object, earlier, may hold a key of the same name).
  static constexpr std::string_view kNeedle = "\"pending_webhooks\":";
  const std::size_t at = event.body.rfind(kNeedle);
  if (at == std::string::npos) return event.body;
  const std::size_t start = at + kNeedle.size();
  std::size_t end = start;
  while (end < event.body.size() && event.body[end] >= '0' && event.body[end] <= '9') ++end;
  std::string body = event.body;
  body.replace(start, end - start, std::to_string(event.pending_webhooks));
  return body;
}

}  // namespace hookline::api
