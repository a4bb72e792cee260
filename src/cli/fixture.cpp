#include "cli/fixture.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <charconv>
#include <map>
#include <stdexcept>

#include "cli/embedded_fixtures.hpp"
#include "core/ids.hpp"

namespace hookline::cli {

namespace json = boost::json;

namespace {

Fixture load_fixture(std::string_view file_name, std::string_view text) {
  auto fail = [&](const std::string& why) {
    throw std::runtime_error("fixtures/" + std::string(file_name) + ": " + why);
  };
  boost::system::error_code ec;
  json::value doc = json::parse(text, ec);
  if (ec || !doc.is_object()) fail("not a JSON object");
  const json::object& o = doc.as_object();
  auto text_field = [&](std::string_view key) -> std::string {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) fail("missing string field \"" + std::string(key) + "\"");
    return std::string(v->as_string());
  };
  Fixture fixture;
  fixture.event = text_field("event");
  fixture.name = text_field("name");
  fixture.description = text_field("description");
  fixture.requires_connected_account = text_field("connect") == "required";
  const json::value* data = o.if_contains("data");
  if (data == nullptr || !data->is_object() || !data->as_object().contains("object") ||
      !data->as_object().at("object").is_object()) {
    fail("missing object \"data.object\"");
  }
  fixture.data = data->as_object();
  return fixture;
}

class Renderer {
 public:
  explicit Renderer(const FixtureContext& context) : context_(context) {}

  void render(json::value& value) {
    if (value.is_object()) {
      for (auto& field : value.as_object()) render(field.value());
    } else if (value.is_array()) {
      for (auto& element : value.as_array()) render(element);
    } else if (value.is_string()) {
      value = render_string(std::string(value.as_string()));
    }
  }

 private:
  json::value render_string(const std::string& text) {
    if (text == "${account}") {
      return context_.account_id.empty() ? json::value(nullptr) : json::value(context_.account_id);
    }
    if (text.starts_with("${now") && text.ends_with("}")) {
      int64_t offset = 0;
      if (text.size() > 7 && text[5] == '+') {
        const char* begin = text.data() + 6;
        const char* end = text.data() + text.size() - 1;
        auto [ptr, ec] = std::from_chars(begin, end, offset);
        if (ec != std::errc() || ptr != end) return json::value(text);
      } else if (text != "${now}") {
        return json::value(text);
      }
      return json::value(context_.now + offset);
    }
    std::string out;
    std::size_t pos = 0;
    while (true) {
      const auto start = text.find("${id:", pos);
      if (start == std::string::npos) break;
      const auto end = text.find('}', start);
      if (end == std::string::npos) break;
      out.append(text, pos, start - pos);
      const std::string prefix = text.substr(start + 5, end - start - 5);
      auto [it, inserted] = ids_.try_emplace(prefix);
      if (inserted) it->second = new_id(prefix);
      out += it->second;
      pos = end + 1;
    }
    out.append(text, pos, std::string::npos);
    return json::value(out);
  }

  const FixtureContext& context_;
  std::map<std::string, std::string> ids_;
};

}  // namespace

const std::vector<Fixture>& all_fixtures() {
  static const std::vector<Fixture> fixtures = [] {
    std::vector<Fixture> list;
    for (const EmbeddedFixture& file : embedded_fixtures()) {
      if (file.file_name.find('/') != std::string_view::npos) continue;  // triggers/, model/
      list.push_back(load_fixture(file.file_name, file.text));
    }
    std::sort(list.begin(), list.end(),
              [](const Fixture& a, const Fixture& b) { return a.event < b.event; });
    return list;
  }();
  return fixtures;
}

const std::string_view* find_embedded_fixture(std::string_view file_name) {
  for (const EmbeddedFixture& file : embedded_fixtures()) {
    if (file.file_name == file_name) return &file.text;
  }
  return nullptr;
}

const Fixture* find_fixture(std::string_view event_type) {
  for (const Fixture& fixture : all_fixtures()) {
    if (fixture.event == event_type) return &fixture;
  }
  return nullptr;
}

json::object render_fixture(const Fixture& fixture, const FixtureContext& context) {
  json::value data = fixture.data;
  Renderer(context).render(data);
  return data.as_object();
}

}  // namespace hookline::cli
