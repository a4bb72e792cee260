#include "core/exact_json.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>
#include <charconv>
#include <cmath>
#include <vector>

namespace hookline {

namespace json = boost::json;

namespace {

// A decimal number as digits × 10^exponent, without leading or trailing zeros
// in `digits` (zero: no digits), so that two spellings of one value compare equal.
struct Decimal {
  bool negative = false;
  std::string digits;
  int64_t exponent = 0;
  bool operator==(const Decimal&) const = default;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// `text` is a JSON number (or std::to_chars output, which has the same shape).
Decimal to_decimal(std::string_view text) {
  constexpr int64_t kExponentCap = 1'000'000'000;  // far beyond any double; no overflow
  Decimal d;
  std::size_t i = 0;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) d.negative = text[i++] == '-';
  for (; i < text.size() && is_digit(text[i]); ++i) d.digits += text[i];
  if (i < text.size() && text[i] == '.') {
    for (++i; i < text.size() && is_digit(text[i]); ++i) {
      d.digits += text[i];
      --d.exponent;
    }
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool negative_exponent = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative_exponent = text[i++] == '-';
    int64_t exponent = 0;
    for (; i < text.size() && is_digit(text[i]); ++i) {
      exponent = std::min(exponent * 10 + (text[i] - '0'), kExponentCap);
    }
    d.exponent += negative_exponent ? -exponent : exponent;
  }
  const std::size_t first = d.digits.find_first_not_of('0');
  if (first == std::string::npos) return Decimal{};
  d.digits.erase(0, first);
  const std::size_t last = d.digits.find_last_not_of('0');
  d.exponent += static_cast<int64_t>(d.digits.size() - last - 1);
  d.digits.erase(last + 1);
  return d;
}

// The double that `text` (a JSON number with a fraction or an exponent) means,
// if a double holds that value exactly as written: its shortest spelling
// names the same decimal value.
std::optional<double> exact_double(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  char shortest[64];
  const auto written = std::to_chars(shortest, shortest + sizeof shortest, value);
  if (written.ec != std::errc()) return std::nullopt;
  if (to_decimal(std::string_view(shortest, written.ptr - shortest)) != to_decimal(text)) {
    return std::nullopt;
  }
  return value;
}

// Builds the value as boost::json's own parser does, but checks each number
// that is not an int64/uint64, and knows where in the document it is.
class ExactNumberHandler {
 public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  json::value_stack stack;
  // Set when a number was refused: the number as sent, and where it was.
  std::optional<std::string> refused_number;
  std::string refused_at;

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    frames_.push_back(Frame{false, {}, 0});
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code&) {
    stack.push_object(n);
    frames_.pop_back();
    value_done();
    return true;
  }
  bool on_array_begin(json::error_code&) {
    frames_.push_back(Frame{true, {}, 0});
    return true;
  }
  bool on_array_end(std::size_t n, json::error_code&) {
    stack.push_array(n);
    frames_.pop_back();
    value_done();
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    stack.push_chars(s);
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    stack.push_key(s);
    key_.append(s.data(), s.size());
    if (!frames_.empty()) frames_.back().key = std::move(key_);
    key_.clear();
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    stack.push_string(s);
    value_done();
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    number_.clear();
    stack.push_int64(i);
    value_done();
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    number_.clear();
    stack.push_uint64(u);
    value_done();
    return true;
  }
  // Every number that is not an int64/uint64 comes here, integers out of
  // their range included (the parser turns them into doubles).
  bool on_double(double, json::string_view s, json::error_code& ec) {
    number_.append(s.data(), s.size());
    const bool integer = number_.find_first_of(".eE") == std::string::npos;
    const std::optional<double> value = integer ? std::nullopt : exact_double(number_);
    if (!value) {
      refuse(std::move(number_));
      ec = json::error::not_exact;
      return false;
    }
    number_.clear();
    stack.push_double(*value);
    value_done();
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    stack.push_bool(b);
    value_done();
    return true;
  }
  bool on_null(json::error_code&) {
    stack.push_null();
    value_done();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

  // The parser gave up on a number it was reading (an exponent beyond int range).
  void refuse_current_number() { refuse(number_); }

 private:
  struct Frame {
    bool array;
    std::string key;    // objects: the key of the value being read
    std::size_t index;  // arrays: the index of the value being read
  };

  void value_done() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().index;
  }
  void refuse(std::string number) {
    refused_number = std::move(number);
    refused_at.clear();
    for (const Frame& frame : frames_) {
      const std::string name = frame.array ? std::to_string(frame.index) : frame.key;
      refused_at += refused_at.empty() ? name : "[" + name + "]";
    }
  }

  std::vector<Frame> frames_;
  std::string key_;     // a key read in parts
  std::string number_;  // a number read in parts
};

}  // namespace

ExactJson parse_exact_json(std::string_view text) {
  constexpr std::size_t kShown = 40;
  json::basic_parser<ExactNumberHandler> parser{json::parse_options{}};
  ExactNumberHandler& handler = parser.handler();
  handler.stack.reset();
  ExactJson result;
  json::error_code& ec = result.error;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used < text.size()) ec = json::error::extra_data;
  if (ec == json::error::exponent_overflow) {
    handler.refuse_current_number();
    ec = json::error::not_exact;
  }
  if (handler.refused_number) {
    std::string shown = std::move(*handler.refused_number);
    if (shown.size() > kShown) shown = shown.substr(0, kShown) + "…";
    result.inexact_number = std::move(shown);
    result.inexact_at = std::move(handler.refused_at);
    return result;
  }
  if (!ec) result.value = handler.stack.release();
  return result;
}

}  // namespace hookline
