#include "events/event_body.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace hookline {

namespace json = boost::json;

namespace {
json::value string_or_null(const std::string& s) {
  return s.empty() ? json::value(nullptr) : json::value(s);
}
}  // namespace

std::string render_event_body(const EventBodyFields& f) {
  json::object data;
  data["object"] = *f.data_object;
  if (f.previous_attributes != nullptr) data["previous_attributes"] = *f.previous_attributes;

  json::object body;
  body["id"] = f.id;
  body["object"] = "event";
  if (!f.account_id.empty()) body["account"] = f.account_id;
  body["api_version"] = f.api_version;
  body["created"] = f.created;
  body["data"] = std::move(data);
  body["livemode"] = f.livemode;
  body["pending_webhooks"] = f.pending_webhooks;
  body["request"] = json::object{{"id", string_or_null(f.request_id)},
                                 {"idempotency_key", string_or_null(f.idempotency_key)}};
  body["type"] = f.type;
  return json::serialize(body);
}

}  // namespace hookline
