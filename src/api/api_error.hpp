#pragma once
// Stripe-shaped API errors: {"error":{"type","message","param","code",…}} with
// the status Stripe uses. Thrown by anything below the transport; the
// transport renders it.
#include <stdexcept>
#include <string>

namespace hookline::api {

class ApiError : public std::runtime_error {
 public:
  // type: "invalid_request_error" (also 401s, as Stripe's) | "permission_error"
  //       | "idempotency_error" | "rate_limit_error" | "api_error"
  ApiError(int status, std::string type, const std::string& message, std::string param = {},
           std::string code = {})
      : std::runtime_error(message),
        status_(status),
        type_(std::move(type)),
        param_(std::move(param)),
        code_(std::move(code)) {}

  int status() const { return status_; }
  const std::string& type() const { return type_; }
  const std::string& param() const { return param_; }
  const std::string& code() const { return code_; }

  // The JSON body. An error with a code has Stripe's doc_url for it; there is
  // no request_log_url (hookline has no request log page to point at).
  std::string body() const;

  // The common cases.
  // "https://docs.stripe.com/error-codes/<code, _ as ->".
  static std::string doc_url(const std::string& code);

  static ApiError invalid_request(const std::string& message, std::string param = {},
                                  std::string code = {}) {
    return ApiError(400, "invalid_request_error", message, std::move(param), std::move(code));
  }
  // 404 "No such <what>: '<id>'" with code resource_missing.
  static ApiError no_such(const std::string& what, const std::string& id, std::string param = "id");
  static ApiError unknown_parameter(const std::string& name) {
    return invalid_request("Received unknown parameter: " + name, name, "parameter_unknown");
  }
  static ApiError missing_parameter(const std::string& name) {
    return invalid_request("Missing required param: " + name + ".", name, "parameter_missing");
  }
  // A version not in Stripe's published list (an api_version parameter, or
  // the Stripe-Version header when `param` is empty).
  static ApiError invalid_api_version(const std::string& version, std::string param = {}) {
    return invalid_request("Invalid Stripe API version: " + version, std::move(param));
  }

 private:
  int status_;
  std::string type_;
  std::string param_;
  std::string code_;
};

}  // namespace hookline::api
