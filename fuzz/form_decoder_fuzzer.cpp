// The form decoder (application/x-www-form-urlencoded with bracket notation).
// Properties: it throws nothing but ApiError (400 invalid_request_error); what
// it returns is valid JSON (UTF-8 checked by re-parsing) whose leaves are
// strings, nested no deeper than its limit allows; a form split in two
// (query string, then body) decodes as the whole; tighter limits either
// refuse the input or give the same result.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/api_error.hpp"
#include "api/http/form_decoder.hpp"

namespace json = boost::json;
using hookline::api::ApiError;
using hookline::api::FormLimits;

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz property violated: %s\n", what);
  std::abort();
}

// Containers from the root down to the deepest leaf; checks leaves are strings.
std::size_t depth(const json::value& value) {
  std::size_t deepest = 0;
  if (value.is_object()) {
    for (const auto& field : value.as_object()) deepest = std::max(deepest, depth(field.value()));
  } else if (value.is_array()) {
    for (const auto& element : value.as_array()) deepest = std::max(deepest, depth(element));
  } else if (!value.is_string()) {
    fail("a leaf that is not a string");
  } else {
    return 0;
  }
  return deepest + 1;
}

template <typename Decode>
std::optional<json::object> decode(Decode&& run) {
  try {
    return run();
  } catch (const ApiError& error) {
    if (error.status() != 400 || error.type() != "invalid_request_error") fail("not a 400");
    if (std::string_view(error.what()).empty()) fail("an error without a message");
    return std::nullopt;
  }
  // Any other exception escapes: libFuzzer reports it as a crash.
}

void check_result(const json::object& result, const FormLimits& limits) {
  boost::system::error_code ec;
  const json::value again = json::parse(json::serialize(result), ec);
  if (ec || again != json::value(result)) fail("result does not re-serialise to itself");
  if (depth(result) > limits.max_depth + 1) fail("nested deeper than max_depth");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view form(reinterpret_cast<const char*>(data), size);
  const FormLimits limits;
  const auto whole = decode([&] { return hookline::api::decode_form(form, limits); });
  if (whole) check_result(*whole, limits);

  const std::size_t split = form.find('&', form.size() / 2);
  if (split != std::string_view::npos) {
    const auto parts = decode([&] {
      return hookline::api::decode_forms({form.substr(0, split), form.substr(split + 1)}, limits);
    });
    if (parts.has_value() != whole.has_value() || (parts && *parts != *whole)) {
      fail("a form split in two decodes differently from the whole");
    }
  }

  const FormLimits tight{4, 3};
  const auto small = decode([&] { return hookline::api::decode_form(form, tight); });
  if (small) {
    check_result(*small, tight);
    if (!whole || *small != *whole) fail("tighter limits changed the result");
  }
  return 0;
}
