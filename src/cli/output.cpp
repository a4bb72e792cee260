#include "cli/output.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <ctime>

namespace hookline::cli {

void print_table(std::ostream& out, const std::vector<std::string>& header,
                 const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths(header.size());
  for (std::size_t i = 0; i < header.size(); ++i) widths[i] = header[i].size();
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  auto print_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      const std::string cell = i < cells.size() ? cells[i] : "";
      line += cell;
      if (i + 1 < widths.size()) line += std::string(widths[i] - cell.size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << '\n';
  };
  print_row(header);
  for (const auto& row : rows) print_row(row);
}

namespace {

void write_json(std::ostream& out, const boost::json::value& value, int indent) {
  const std::string pad(static_cast<std::size_t>(indent + 2), ' ');
  const std::string close_pad(static_cast<std::size_t>(indent), ' ');
  if (value.is_object() && !value.as_object().empty()) {
    out << "{\n";
    bool first = true;
    for (const auto& field : value.as_object()) {
      if (!first) out << ",\n";
      first = false;
      out << pad << boost::json::serialize(boost::json::value(field.key())) << ": ";
      write_json(out, field.value(), indent + 2);
    }
    out << "\n" << close_pad << "}";
  } else if (value.is_array() && !value.as_array().empty()) {
    out << "[\n";
    bool first = true;
    for (const auto& item : value.as_array()) {
      if (!first) out << ",\n";
      first = false;
      out << pad;
      write_json(out, item, indent + 2);
    }
    out << "\n" << close_pad << "]";
  } else {
    out << boost::json::serialize(value);
  }
}

}  // namespace

void print_json(std::ostream& out, const boost::json::value& value) {
  write_json(out, value, 0);
  out << '\n';
}

std::string text_field(const boost::json::value& object, std::string_view key) {
  if (!object.is_object()) return {};
  const boost::json::value* v = object.as_object().if_contains(key);
  if (v == nullptr || v->is_null()) return {};
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_array()) {
    std::string joined;
    for (const auto& item : v->as_array()) {
      if (!joined.empty()) joined += ',';
      joined += item.is_string() ? std::string(item.as_string()) : boost::json::serialize(item);
    }
    return joined;
  }
  return boost::json::serialize(*v);
}

std::string format_time(int64_t unix_seconds) {
  if (unix_seconds == 0) return {};
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &tm);
  return buffer;
}

}  // namespace hookline::cli
