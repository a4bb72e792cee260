#include "store/sqlite/sqlite_pagination.hpp"

#include <charconv>

namespace hookline::sqlite {

namespace {

Param cursor_param(const std::string& id, bool integer_cursor) {
  if (!integer_cursor) return id;
  int64_t value = -1;  // no row has a negative id: an unparsable cursor finds nothing
  std::from_chars(id.data(), id.data() + id.size(), value);
  return value;
}

std::string descending_order(const std::string& order) {
  const auto comma = order.find(',');
  return order.substr(0, comma) + " DESC," + order.substr(comma + 1) + " DESC";
}

}  // namespace

PageStatement build_page_statement(const PageQuery& query, const PageRequest& request) {
  PageStatement statement;
  statement.limit = static_cast<std::size_t>(std::max(1, request.limit));
  statement.params = query.params;
  std::string where = query.where;
  auto add_condition = [&where](const std::string& condition) {
    where = where.empty() ? condition : "(" + where + ") AND " + condition;
  };
  // Row values compare lexicographically: (created, seq) < (c, s).
  if (!request.starting_after.empty()) {
    add_condition("(" + query.order + ") < (" + query.cursor_lookup + ")");
    statement.params.push_back(cursor_param(request.starting_after, query.integer_cursor));
  } else if (!request.ending_before.empty()) {
    add_condition("(" + query.order + ") > (" + query.cursor_lookup + ")");
    statement.params.push_back(cursor_param(request.ending_before, query.integer_cursor));
    statement.descending = false;
  }
  statement.sql = query.select;
  if (!where.empty()) statement.sql += " WHERE " + where;
  statement.sql += " ORDER BY " +
                   (statement.descending ? descending_order(query.order) : query.order) +
                   " LIMIT ?";
  statement.params.push_back(static_cast<int64_t>(statement.limit + 1));
  return statement;
}

}  // namespace hookline::sqlite
