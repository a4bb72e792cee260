#include "api/resources/account_typing.hpp"

#include <boost/json/array.hpp>
#include <string_view>

#include "api/resources/params.hpp"
#include "catalog/account_schema.hpp"

namespace hookline::api {

namespace json = boost::json;
using catalog::AccountField;
using catalog::FieldKind;

namespace {

std::string child_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// A form value as the field's kind wants it; throws ApiError naming `param`.
json::value typed(const json::value& value, const AccountField* field, const std::string& param) {
  if (value.is_string() && value.as_string().empty()) return nullptr;
  if (field == nullptr) return value;
  switch (field->kind) {
    case FieldKind::kInteger:
      return parse_integer(value, param);
    case FieldKind::kBoolean:
      return parse_boolean(value, param);
    default:
      return value;
  }
}

// What a stored value of an older version becomes: a string that reads as the
// field's integer or boolean is converted; anything else is kept.
void convert_stored(json::value& value, const AccountField& field) {
  if (!value.is_string()) return;
  try {
    if (field.kind == FieldKind::kInteger) value = parse_integer(value, std::string(field.path));
    if (field.kind == FieldKind::kBoolean) value = parse_boolean(value, std::string(field.path));
  } catch (const std::exception&) {
    // Not a number or boolean: left as it was stored.
  }
}

void complete(json::object& object, const std::string& path) {
  for (const AccountField* field : catalog::account_field_children(path)) {
    const std::string_view name = field->path.substr(path.empty() ? 0 : path.size() + 1);
    json::value* value = object.if_contains(name);
    if (value == nullptr) {
      if (field->nullable) {
        object[name] = nullptr;
      } else if (!field->optional) {
        // Required and never null: the empty value of its kind (Stripe's
        // defaults for the booleans of settings are false).
        switch (field->kind) {
          case FieldKind::kObject: {
            json::object inner;
            complete(inner, std::string(field->path));
            object[name] = std::move(inner);
            break;
          }
          case FieldKind::kArray:
            object[name] = json::array();
            break;
          case FieldKind::kBoolean:
            object[name] = false;
            break;
          default:
            break;  // no value to make up
        }
      }
      continue;
    }
    if (field->kind == FieldKind::kObject && value->is_object()) {
      complete(value->as_object(), std::string(field->path));
    } else {
      convert_stored(*value, *field);
    }
  }
}

}  // namespace

void merge_typed(json::object& target, const json::object& given, const std::string& path,
                 const std::string& param) {
  for (const auto& [key, value] : given) {
    const std::string field_path = child_path(path, key);
    const std::string field_param = param + "[" + std::string(key) + "]";
    const AccountField* field = catalog::find_account_field(field_path);
    const bool free_form = field != nullptr && field->kind != FieldKind::kObject;
    if (value.is_object() && !free_form) {
      json::value& slot = target[key];
      if (!slot.is_object()) slot = json::object();
      merge_typed(slot.as_object(), value.as_object(), field_path, field_param);
    } else {
      target[key] = typed(value, field, field_param);
    }
  }
}

void complete_account_object(json::object& account) {
  // hookline's requirements never change, so what is due in the future is
  // what is due now.
  if (!account.contains("future_requirements")) {
    const json::value* requirements = account.if_contains("requirements");
    account["future_requirements"] =
        requirements != nullptr && requirements->is_object() ? *requirements : json::object();
  }
  for (auto& [key, value] : account) {
    const AccountField* field = catalog::find_account_field(key);
    if (field == nullptr) continue;
    if (field->kind == FieldKind::kObject && value.is_object()) {
      complete(value.as_object(), std::string(key));
    } else {
      convert_stored(value, *field);
    }
  }
}

}  // namespace hookline::api
