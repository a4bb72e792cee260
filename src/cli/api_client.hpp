#pragma once
// A small client of hookline's REST API for the CLI commands: Stripe-shaped
// requests (Bearer key, form-encoded or JSON bodies, Stripe-Account header)
// and Stripe-shaped errors turned into one readable message.
#include <boost/json/value.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace hookline::cli {

inline constexpr const char* kDefaultApiBase = "http://127.0.0.1:7420";
inline constexpr const char* kNoApiKeyMessage =
    "No API key: set HOOKLINE_API_KEY or pass --api-key (the sk_test_… key `hookline serve` "
    "printed, or the one it read from HOOKLINE_SECRET_KEY).";

struct ApiConfig {
  std::string api_base = kDefaultApiBase;  // HOOKLINE_API_BASE / --api-base
  std::string api_key;                     // HOOKLINE_API_KEY / --api-key
  std::string stripe_version;              // sent as Stripe-Version when set (trigger --api-version)
};

// The server could not be reached, or it answered with an error. what() is a
// sentence for the user: the server's error message, or why it was unreachable.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }  // 0: no answer

 private:
  int status_;
};

using FormParams = std::vector<std::pair<std::string, std::string>>;

class ApiClient {
 public:
  explicit ApiClient(ApiConfig config);

  // Each call returns the parsed JSON of a 2xx answer and throws ApiError
  // otherwise. `stripe_account` (non-empty) acts as that connected account.
  boost::json::value get(const std::string& path, const FormParams& query = {},
                         const std::string& stripe_account = {}) const;
  boost::json::value post_form(const std::string& path, const FormParams& params,
                               const std::string& stripe_account = {}) const;
  boost::json::value post_json(const std::string& path, const boost::json::value& body,
                               const std::string& stripe_account = {}) const;
  boost::json::value del(const std::string& path, const std::string& stripe_account = {}) const;

  const ApiConfig& config() const { return config_; }

 private:
  boost::json::value call(const std::string& method, const std::string& path_and_query,
                          std::string body, const std::string& content_type,
                          const std::string& stripe_account) const;

  ApiConfig config_;
};

// application/x-www-form-urlencoded encoding of `params`.
std::string encode_form(const FormParams& params);

}  // namespace hookline::cli
