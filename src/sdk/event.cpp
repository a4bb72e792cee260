// Event: the parsed, typed view of a webhook payload.
#include <boost/json/parse.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>

#include "hookline/webhook.hpp"

namespace hookline {

namespace json = boost::json;

struct Event::Data {
  std::string raw;
  json::value document;
  std::string id;
  std::string type;
  std::optional<std::string> account;
  bool livemode = false;
  std::int64_t created = 0;
  std::string api_version;
  const json::object* data_object = nullptr;
  const json::object* previous_attributes = nullptr;
};

namespace {

[[noreturn]] void invalid(const std::string& message) { throw PayloadError(message); }

const json::value* field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

std::string required_string(const json::object& o, std::string_view key) {
  const json::value* v = field(o, key);
  if (v == nullptr || !v->is_string()) {
    invalid("Event payload has no string field \"" + std::string(key) + "\"");
  }
  return std::string(v->get_string());
}

// Absent or null: nullopt. Of another type than string: PayloadError.
std::optional<std::string> optional_string(const json::object& o, std::string_view key) {
  const json::value* v = field(o, key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string()) invalid("Event payload field \"" + std::string(key) + "\" is not a string");
  return std::string(v->get_string());
}

}  // namespace

Event parse_event(std::string_view payload) {
  auto data = std::make_shared<Event::Data>();
  data->raw.assign(payload);

  json::parse_options options;
  options.max_depth = 128;  // Stripe objects nest deeper than Boost.JSON's default of 32.
  boost::system::error_code ec;
  data->document = json::parse(data->raw, ec, json::storage_ptr(), options);
  if (ec) invalid("Payload is not valid JSON: " + ec.message());
  if (!data->document.is_object()) invalid("Payload is not a JSON object");
  const json::object& event = data->document.get_object();

  data->id = required_string(event, "id");
  data->type = required_string(event, "type");
  data->account = optional_string(event, "account");
  data->api_version = optional_string(event, "api_version").value_or("");

  if (const json::value* v = field(event, "livemode"); v != nullptr && !v->is_null()) {
    if (!v->is_bool()) invalid("Event payload field \"livemode\" is not a boolean");
    data->livemode = v->get_bool();
  }
  if (const json::value* v = field(event, "created"); v != nullptr && !v->is_null()) {
    if (v->is_int64()) {
      data->created = v->get_int64();
    } else if (v->is_uint64() && v->get_uint64() <= INT64_MAX) {
      data->created = static_cast<std::int64_t>(v->get_uint64());
    } else {
      invalid("Event payload field \"created\" is not an integer");
    }
  }

  const json::value* d = field(event, "data");
  if (d == nullptr || !d->is_object()) invalid("Event payload has no object field \"data\"");
  const json::value* object = field(d->get_object(), "object");
  if (object == nullptr || !object->is_object()) {
    invalid("Event payload has no object field \"data.object\"");
  }
  data->data_object = &object->get_object();
  if (const json::value* p = field(d->get_object(), "previous_attributes");
      p != nullptr && !p->is_null()) {
    if (!p->is_object()) {
      invalid("Event payload field \"data.previous_attributes\" is not an object");
    }
    data->previous_attributes = &p->get_object();
  }
  return Event(std::move(data));
}

const std::string& Event::id() const { return data_->id; }
const std::string& Event::type() const { return data_->type; }
const std::optional<std::string>& Event::account() const { return data_->account; }
bool Event::livemode() const { return data_->livemode; }
std::int64_t Event::created() const { return data_->created; }
const std::string& Event::api_version() const { return data_->api_version; }
const json::object& Event::data_object() const { return *data_->data_object; }
const json::object* Event::previous_attributes() const { return data_->previous_attributes; }
const json::object& Event::json() const { return data_->document.get_object(); }
const std::string& Event::raw() const { return data_->raw; }

}  // namespace hookline
