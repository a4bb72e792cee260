#include "store/sqlite/sqlite_pagination.hpp"

#include <algorithm>
#include <charconv>

#include "store/sqlite/sqlite_rows.hpp"

namespace hookline::sqlite {

namespace {

void add_bound(const char* comparison, const std::optional<int64_t>& bound, PageQuery& query) {
  if (!bound) return;
  query.where += std::string(" AND created ") + comparison + " ?";
  query.params.push_back(*bound);
}

Param cursor_param(const std::string& id, bool integer_cursor) {
  if (!integer_cursor) return id;
  int64_t value = -1;  // no row has a negative id: an unparsable cursor finds nothing
  std::from_chars(id.data(), id.data() + id.size(), value);
  return value;
}

PageQuery attempts_query(const std::string& where, const std::string& key) {
  PageQuery query;
  query.select = "SELECT " + attempt_columns() + " FROM attempts";
  query.where = where;
  query.params.push_back(key);
  query.order = "at_ms, id";
  query.cursor_lookup = "SELECT at_ms, id FROM attempts WHERE id = ?";
  query.integer_cursor = true;
  return query;
}

std::string descending_order(const std::string& order) {
  const auto comma = order.find(',');
  return order.substr(0, comma) + " DESC," + order.substr(comma + 1) + " DESC";
}

}  // namespace

void add_type_condition(const std::string& column, const std::vector<std::string>& types,
                        PageQuery& query) {
  if (std::find(types.begin(), types.end(), "*") != types.end()) return;  // every type
  std::string condition;
  for (const std::string& type : types) {
    if (!condition.empty()) condition += " OR ";
    if (!type.empty() && type.back() == '*') {
      const std::string prefix = type.substr(0, type.size() - 1);
      condition += "substr(" + column + ", 1, ?) = ?";
      query.params.push_back(static_cast<int64_t>(prefix.size()));
      query.params.push_back(prefix);
    } else {
      condition += column + " = ?";
      query.params.push_back(type);
    }
  }
  if (!condition.empty()) query.where += " AND (" + condition + ")";
}

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

PageQuery event_list_query(const EventFilter& filter) {
  PageQuery query;
  query.select = "SELECT " + event_columns() + " FROM " + kEventsWithBody;
  query.where = "account_id = ?";
  query.params.push_back(filter.account_id);
  if (filter.livemode) {
    query.where += " AND livemode = ?";
    query.params.push_back(int64_t{*filter.livemode ? 1 : 0});
  }
  add_type_condition("type", filter.types, query);
  add_bound(">", filter.created_gt, query);
  add_bound(">=", filter.created_gte, query);
  add_bound("<", filter.created_lt, query);
  add_bound("<=", filter.created_lte, query);
  if (filter.delivery_success) {
    query.where +=
        *filter.delivery_success ? " AND pending_webhooks = 0" : " AND pending_webhooks > 0";
  }
  query.order = "created, seq";
  query.cursor_lookup = "SELECT created, seq FROM events WHERE id = ?";
  return query;
}

PageQuery attempts_for_event_query(const std::string& event_id) {
  return attempts_query(
      "delivery_id IN (SELECT id FROM deliveries WHERE event_seq = "
      "(SELECT seq FROM events WHERE id = ?))",
      event_id);
}

PageQuery attempts_for_endpoint_query(const std::string& endpoint_id,
                                      const std::vector<std::string>& types) {
  PageQuery query = attempts_query("endpoint_id = ?", endpoint_id);
  add_type_condition("event_type", types, query);
  return query;
}

}  // namespace hookline::sqlite
