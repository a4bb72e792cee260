#include "listen/listen_protocol.hpp"

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <stdexcept>

namespace hookline::listen {

namespace json = boost::json;

namespace {

std::string string_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

int64_t int_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  return 0;
}

bool bool_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->as_bool();
}

std::optional<json::object> parse_object(std::string_view text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) return std::nullopt;
  return std::move(value.as_object());
}

}  // namespace

std::string encode_listen_query(const ListenQuery& query) {
  std::string events;
  for (const std::string& type : query.events) {
    if (!events.empty()) events += ',';
    events += type;
  }
  std::string text = "events=" + boost::urls::encode(events, boost::urls::unreserved_chars);
  if (query.live) text += "&live=true";
  if (query.latest) text += "&latest=true";
  return text;
}

ListenQuery parse_listen_query(std::string_view query) {
  ListenQuery result;
  // Boost.URL 1.81's parse_query measures its input with strlen(data()): it
  // reads past the end of a view that is not NUL-terminated (and crashes on an
  // empty view without data). A std::string is always terminated.
  const std::string text(query);
  const auto parsed = boost::urls::parse_query(text);
  if (!parsed) {
    throw std::invalid_argument("Invalid listen query string (" + parsed.error().message() +
                                "): expected events=<type>,<type>…&live=true, percent-encoded.");
  }
  for (const auto& param : boost::urls::params_view(*parsed)) {
    if (param.key == "live") {
      result.live = param.value == "true" || param.value == "1";
    } else if (param.key == "latest") {
      result.latest = param.value == "true" || param.value == "1";
    } else if (param.key == "events") {
      std::vector<std::string> events;
      std::string_view rest = param.value;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) events.emplace_back(item);
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      }
      if (!events.empty()) result.events = std::move(events);
    }
  }
  return result;
}

std::string to_text(const ReadyFrame& frame) {
  json::array endpoints;
  for (const auto& id : frame.endpoint_ids) endpoints.emplace_back(id);
  return json::serialize(json::object{{"type", "ready"},
                                      {"secret", frame.secret},
                                      {"account", frame.account_id},
                                      {"livemode", frame.livemode},
                                      {"endpoints", std::move(endpoints)}});
}

std::string to_text(const DeliveryFrame& frame) {
  return json::serialize(json::object{{"type", "delivery"},
                                      {"id", frame.id},
                                      {"delivery_id", frame.delivery_id},
                                      {"event_id", frame.event_id},
                                      {"event_type", frame.event_type},
                                      {"connect", frame.connect},
                                      {"livemode", frame.livemode},
                                      {"signature", frame.signature},
                                      {"body", frame.body}});
}

std::string to_text(const ResultFrame& frame) {
  return json::serialize(json::object{{"type", "result"},
                                      {"id", frame.id},
                                      {"delivery_id", frame.delivery_id},
                                      {"status", frame.status},
                                      {"error", frame.error},
                                      {"latency_ms", frame.latency_ms}});
}

std::string to_text(const ErrorFrame& frame) {
  return json::serialize(json::object{{"type", "error"}, {"message", frame.message}});
}

std::optional<ServerFrame> parse_server_frame(std::string_view text) {
  auto object = parse_object(text);
  if (!object) return std::nullopt;
  const std::string type = string_of(*object, "type");
  if (type == "ready") {
    ReadyFrame frame;
    frame.secret = string_of(*object, "secret");
    frame.account_id = string_of(*object, "account");
    frame.livemode = bool_of(*object, "livemode");
    if (const json::value* ids = object->if_contains("endpoints"); ids && ids->is_array()) {
      for (const auto& id : ids->as_array()) {
        if (id.is_string()) frame.endpoint_ids.emplace_back(id.as_string());
      }
    }
    if (frame.secret.empty()) return std::nullopt;
    return frame;
  }
  if (type == "delivery") {
    DeliveryFrame frame;
    frame.id = string_of(*object, "id");
    frame.delivery_id = int_of(*object, "delivery_id");
    frame.event_id = string_of(*object, "event_id");
    frame.event_type = string_of(*object, "event_type");
    frame.connect = bool_of(*object, "connect");
    frame.livemode = bool_of(*object, "livemode");
    frame.signature = string_of(*object, "signature");
    frame.body = string_of(*object, "body");
    if (frame.id.empty()) return std::nullopt;
    return frame;
  }
  if (type == "error") return ErrorFrame{string_of(*object, "message")};
  return std::nullopt;
}

std::optional<ResultFrame> parse_result_frame(std::string_view text) {
  auto object = parse_object(text);
  if (!object || string_of(*object, "type") != "result") return std::nullopt;
  ResultFrame frame;
  frame.id = string_of(*object, "id");
  frame.delivery_id = int_of(*object, "delivery_id");
  frame.status = static_cast<int>(int_of(*object, "status"));
  frame.error = string_of(*object, "error");
  frame.latency_ms = int_of(*object, "latency_ms");
  if (frame.id.empty()) return std::nullopt;
  return frame;
}

}  // namespace hookline::listen
