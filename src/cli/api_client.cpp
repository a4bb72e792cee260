#include "cli/api_client.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "cli/http_client.hpp"

namespace hookline::cli {

namespace json = boost::json;

std::string encode_form(const FormParams& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += boost::urls::encode(name, boost::urls::unreserved_chars);
    out += '=';
    out += boost::urls::encode(value, boost::urls::unreserved_chars);
  }
  return out;
}

ApiClient::ApiClient(ApiConfig config) : config_(std::move(config)) {
  while (!config_.api_base.empty() && config_.api_base.back() == '/') config_.api_base.pop_back();
  config_.api_base = with_default_scheme(config_.api_base);
}

json::value ApiClient::get(const std::string& path, const FormParams& query,
                           const std::string& stripe_account) const {
  const std::string encoded = encode_form(query);
  return call("GET", encoded.empty() ? path : path + "?" + encoded, "", "", stripe_account);
}

json::value ApiClient::post_form(const std::string& path, const FormParams& params,
                                 const std::string& stripe_account) const {
  return call("POST", path, encode_form(params), "application/x-www-form-urlencoded",
              stripe_account);
}

json::value ApiClient::post_json(const std::string& path, const json::value& body,
                                 const std::string& stripe_account) const {
  return call("POST", path, json::serialize(body), "application/json", stripe_account);
}

json::value ApiClient::del(const std::string& path, const std::string& stripe_account) const {
  return call("DELETE", path, "", "", stripe_account);
}

json::value ApiClient::call(const std::string& method, const std::string& path_and_query,
                            std::string body, const std::string& content_type,
                            const std::string& stripe_account) const {
  if (config_.api_key.empty()) {
    throw ApiError(0, kNoApiKeyMessage);
  }
  HttpRequest request;
  request.method = method;
  request.url = config_.api_base + path_and_query;
  request.headers.emplace_back("Authorization", "Bearer " + config_.api_key);
  request.headers.emplace_back("User-Agent", std::string("hookline-cli/") + HOOKLINE_VERSION);
  if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
  if (!stripe_account.empty()) request.headers.emplace_back("Stripe-Account", stripe_account);
  if (!config_.stripe_version.empty())
    request.headers.emplace_back("Stripe-Version", config_.stripe_version);
  request.body = std::move(body);
  const HttpResponse response = send_http_request(request);
  if (response.status == 0) {
    throw ApiError(0, "Could not reach the hookline server at " + config_.api_base + " (" +
                          response.error + "). Is `hookline serve` running? Set " +
                          "HOOKLINE_API_BASE or --api-base if it listens elsewhere.");
  }
  boost::system::error_code ec;
  json::value parsed = json::parse(response.body, ec);
  if (response.status >= 200 && response.status < 300) {
    if (ec) throw ApiError(response.status, "The server answered with invalid JSON.");
    return parsed;
  }
  std::string message;
  if (!ec && parsed.is_object()) {
    const json::value* error = parsed.as_object().if_contains("error");
    if (error != nullptr && error->is_object()) {
      const json::value* text = error->as_object().if_contains("message");
      if (text != nullptr && text->is_string()) message = std::string(text->as_string());
    }
    // OAuth endpoints answer {"error": "invalid_request", "error_description": …}.
    const json::value* description = parsed.as_object().if_contains("error_description");
    if (message.empty() && description != nullptr && description->is_string()) {
      message = std::string(description->as_string());
    }
  }
  if (message.empty()) {
    message = "The server answered " + std::to_string(response.status) + " to " + method + " " +
              path_and_query + ".";
  }
  if (response.status == 401) {
    message += " (Check HOOKLINE_API_KEY / --api-key: use a secret key of this server.)";
  }
  throw ApiError(response.status, message);
}

}  // namespace hookline::cli
