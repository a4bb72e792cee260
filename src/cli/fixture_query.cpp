#include "cli/fixture_query.hpp"

#include <boost/json/serialize.hpp>
#include <boost/uuid/uuid_generators.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>

#include "cli/fixture_file.hpp"

namespace hookline::cli {

namespace json = boost::json;

namespace {

std::string as_text(const json::value& value) {
  return value.is_string() ? std::string(value.as_string()) : json::serialize(value);
}

// VAR from the environment, else from ./.env (KEY=VALUE lines), else empty.
std::string env_value(const std::string& name) {
  if (const char* value = std::getenv(name.c_str()); value != nullptr && *value != '\0')
    return value;
  std::ifstream file(".env");
  std::string line;
  while (std::getline(file, line)) {
    if (line.starts_with("export ")) line.erase(0, 7);
    const auto equals = line.find('=');
    if (equals == std::string::npos || line.substr(0, equals) != name) continue;
    std::string value = line.substr(equals + 1);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
        value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return {};
}

std::string rfc3339_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// The value of one reference (the text between "${" and "}").
json::value lookup(const std::string& reference, const StepAnswers& answers) {
  if (reference == "time-now-RFC3339") return json::string(rfc3339_now());
  if (reference == "generate-uuid") {
    return json::string(boost::uuids::to_string(boost::uuids::random_generator()()));
  }
  const auto colon = reference.find(':');
  if (colon == std::string::npos) {
    throw FixtureFileError("${" + reference + "} is not a reference (${step:path.to.field}).");
  }
  const std::string name = reference.substr(0, colon);
  std::string path = reference.substr(colon + 1);
  std::optional<std::string> fallback;
  if (const auto bar = path.find('|'); bar != std::string::npos) {
    fallback = path.substr(bar + 1);
    path.resize(bar);
  }
  if (name == ".env") {
    std::string value = env_value(path);
    if (!value.empty()) return json::string(value);
    if (fallback) return json::string(*fallback);
    throw FixtureFileError("${.env:" + path + "}: " + path +
                           " is set neither in the environment nor in ./.env.");
  }
  const auto answer = answers.find(name);
  if (answer == answers.end()) {
    std::string known;
    for (const auto& [step, unused] : answers) known += (known.empty() ? "" : ", ") + step;
    throw FixtureFileError("${" + reference + "}: no earlier step is named \"" + name + "\"" +
                           (known.empty() ? "." : " (earlier steps: " + known + ")."));
  }
  const json::value* found = find_answer_field(answer->second, path);
  if (found != nullptr && !found->is_null()) return *found;
  if (fallback) return json::string(*fallback);
  throw FixtureFileError("${" + reference + "}: the answer of step \"" + name + "\" has no " +
                         path + ".");
}

json::value resolve_string(const std::string& text, const StepAnswers& answers) {
  const auto start = text.find("${");
  if (start == std::string::npos) return json::string(text);
  const auto end = text.find('}', start);
  if (start == 0 && end == text.size() - 1) return lookup(text.substr(2, end - 2), answers);
  std::string out;
  std::size_t pos = 0;
  while (true) {
    const auto open = text.find("${", pos);
    const auto close = open == std::string::npos ? open : text.find('}', open);
    if (close == std::string::npos) break;
    out.append(text, pos, open - pos);
    out += as_text(lookup(text.substr(open + 2, close - open - 2), answers));
    pos = close + 1;
  }
  out.append(text, pos, std::string::npos);
  return json::string(out);
}

}  // namespace

const json::value* find_answer_field(const json::value& value, std::string_view path) {
  const json::value* current = &value;
  while (!path.empty()) {
    const auto dot = path.find('.');
    const std::string_view segment = path.substr(0, dot);
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    if (current->is_object()) {
      current = current->as_object().if_contains(segment);
    } else if (current->is_array()) {
      std::size_t index = 0;
      const auto [ptr, ec] =
          std::from_chars(segment.data(), segment.data() + segment.size(), index);
      if (ec != std::errc() || ptr != segment.data() + segment.size() ||
          index >= current->as_array().size()) {
        return nullptr;
      }
      current = &current->as_array()[index];
    } else {
      return nullptr;
    }
    if (current == nullptr) return nullptr;
  }
  return current;
}

json::value resolve_references(const json::value& value, const StepAnswers& answers) {
  if (value.is_string()) return resolve_string(std::string(value.as_string()), answers);
  if (value.is_array()) {
    json::array out;
    for (const json::value& element : value.as_array())
      out.push_back(resolve_references(element, answers));
    return out;
  }
  if (value.is_object()) {
    json::object out;
    for (const auto& field : value.as_object())
      out[field.key()] = resolve_references(field.value(), answers);
    return out;
  }
  return value;
}

}  // namespace hookline::cli
