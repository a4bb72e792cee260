#include "api/api_error.hpp"

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "core/utf8.hpp"

namespace hookline::api {

std::string ApiError::doc_url(const std::string& code) {
  std::string slug = code;
  std::replace(slug.begin(), slug.end(), '_', '-');
  return "https://docs.stripe.com/error-codes/" + slug;
}

std::string ApiError::body() const {
  boost::json::object error;
  if (!code_.empty()) {
    error["code"] = code_;
    error["doc_url"] = doc_url(code_);
  }
  // Messages and params may quote the request (a path, a parameter name).
  error["message"] = valid_utf8(what());
  if (!param_.empty()) error["param"] = valid_utf8(param_);
  error["type"] = type_;
  boost::json::object root;
  root["error"] = std::move(error);
  return boost::json::serialize(root);
}

ApiError ApiError::no_such(const std::string& what, const std::string& id, std::string param) {
  return ApiError(404, "invalid_request_error", "No such " + what + ": '" + id + "'",
                  std::move(param), "resource_missing");
}

}  // namespace hookline::api
