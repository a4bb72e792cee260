#include "event_request_body.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace bench {

std::string event_request_body(const std::string& type, int64_t index, std::size_t size) {
  boost::json::object object;
  object["id"] = "cus_bench" + std::to_string(index);
  object["object"] = "customer";
  object["email"] = "bench" + std::to_string(index) + "@example.com";
  object["description"] = "";
  boost::json::object body;
  body["type"] = type;
  body["data"] = boost::json::object{{"object", object}};
  const std::size_t bare = boost::json::serialize(body).size();
  if (bare < size) {
    body["data"].as_object()["object"].as_object()["description"] = std::string(size - bare, 'x');
  }
  return boost::json::serialize(body);
}

}  // namespace bench
