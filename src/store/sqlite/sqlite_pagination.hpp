#pragma once
// Stripe-style cursor pagination over one table: newest first by two ordering
// columns (e.g. created, seq), `starting_after` / `ending_before` naming an
// item by id, `has_more` telling whether the walk in that direction goes on.
#include <algorithm>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_connection.hpp"
#include "store/store.hpp"

namespace hookline::sqlite {

struct PageQuery {
  std::string select;           // "SELECT <columns> FROM <table>"
  std::string where;            // conditions with ? placeholders; empty: none
  std::vector<Param> params;    // bound to those placeholders, in order
  std::string order;            // the two ordering columns: "created, seq"
  std::string cursor_lookup;    // "SELECT created, seq FROM <table> WHERE id = ?"
  bool integer_cursor = false;  // cursor ids are integers (attempts), not text
};

// Builds the statement for `request`; an unknown cursor id yields no rows.
// Returns the SQL and its parameters; `descending` tells how rows come back.
struct PageStatement {
  std::string sql;
  std::vector<Param> params;
  bool descending = true;
  std::size_t limit = 10;
};
PageStatement build_page_statement(const PageQuery& query, const PageRequest& request);

// Appends to `query` the condition that `column` is one of `types` (exact
// names or "prefix*" patterns); nothing when one of them is the bare "*".
void add_type_condition(const std::string& column, const std::vector<std::string>& types,
                        PageQuery& query);

// The page query of list_events for `filter` (the same SQL on both stores).
PageQuery event_list_query(const EventFilter& filter);

// The page queries of list_attempts_for_event (through the event's
// deliveries) and list_attempts_for_endpoint (`types` as in add_type_condition).
PageQuery attempts_for_event_query(const std::string& event_id);
PageQuery attempts_for_endpoint_query(const std::string& endpoint_id,
                                      const std::vector<std::string>& types);

// Runs `query` and reads each row with `read_row(const Query&)`. Within
// `request.max_bytes` (if set) as counted by `bytes_of(const T&)`.
template <typename T, typename ReadRow, typename BytesOf>
Page<T> read_page(SqliteConnection& connection, const PageQuery& query, const PageRequest& request,
                  ReadRow read_row, BytesOf bytes_of) {
  const PageStatement statement = build_page_statement(query, request);
  Page<T> page;
  std::size_t bytes = 0;
  Query rows(connection, statement.sql);
  rows.bind_all(1, statement.params);
  while (rows.step()) {
    if (page.items.size() == statement.limit) {
      page.has_more = true;
      break;
    }
    T item = read_row(rows);
    bytes += bytes_of(item);
    if (request.max_bytes > 0 && bytes > request.max_bytes && !page.items.empty()) {
      page.has_more = true;
      break;
    }
    page.items.push_back(std::move(item));
  }
  if (!statement.descending) std::reverse(page.items.begin(), page.items.end());
  return page;
}

template <typename T, typename ReadRow>
Page<T> read_page(SqliteConnection& connection, const PageQuery& query, const PageRequest& request,
                  ReadRow read_row) {
  return read_page<T>(connection, query, request, read_row, [](const T&) { return std::size_t{0}; });
}

}  // namespace hookline::sqlite
