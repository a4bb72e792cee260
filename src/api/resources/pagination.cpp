#include "api/resources/pagination.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string.hpp>

#include "api/api_error.hpp"

namespace hookline::api {

PageRequest read_page_request(Params& params) {
  PageRequest page;
  page.limit = static_cast<int>(params.integer_in("limit", 1, 100).value_or(10));
  std::optional<std::string> starting_after = params.string("starting_after");
  std::optional<std::string> ending_before = params.string("ending_before");
  if (starting_after && !starting_after->empty() && ending_before && !ending_before->empty()) {
    throw ApiError::invalid_request(
        "Received both starting_after and ending_before parameters. Please pass in only one.");
  }
  page.starting_after = starting_after.value_or("");
  page.ending_before = ending_before.value_or("");
  return page;
}

const std::string& page_cursor(const PageRequest& page) {
  return page.starting_after.empty() ? page.ending_before : page.starting_after;
}

std::string page_cursor_param(const PageRequest& page) {
  return page.starting_after.empty() ? "ending_before" : "starting_after";
}

void require_cursor(const PageRequest& page, std::string_view what,
                    const std::function<bool(const std::string&)>& exists) {
  const std::string& cursor = page_cursor(page);
  if (cursor.empty() || exists(cursor)) return;
  throw ApiError::no_such(std::string(what), cursor, page_cursor_param(page));
}

std::string render_list(std::string_view url, const std::vector<std::string>& items,
                        bool has_more) {
  std::string body = R"({"object":"list","url":)";
  body += boost::json::serialize(boost::json::string(url));
  body += has_more ? R"(,"has_more":true,"data":[)" : R"(,"has_more":false,"data":[)";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) body += ',';
    body += items[i];
  }
  body += "]}";
  return body;
}

}  // namespace hookline::api
