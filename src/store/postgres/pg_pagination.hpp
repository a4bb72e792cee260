#pragma once
// Stripe-style cursor pagination, the counterpart of sqlite/sqlite_pagination.hpp:
// the statement is built by the same function (row values and LIMIT read the
// same in both SQL dialects); only running it differs.
#include <algorithm>

#include "store/postgres/pg_connection.hpp"
#include "store/sqlite/sqlite_pagination.hpp"

namespace hookline::postgres {

using sqlite::PageQuery;
using sqlite::add_type_condition;
using sqlite::event_list_query;

// Runs `query` and reads each row with `read_row(const Query&, int row)`.
// Within `request.max_bytes` (if set) as counted by `bytes_of(const T&)`.
template <typename T, typename ReadRow, typename BytesOf>
Page<T> read_page(PgConnection& connection, const PageQuery& query, const PageRequest& request,
                  ReadRow read_row, BytesOf bytes_of) {
  const sqlite::PageStatement statement = sqlite::build_page_statement(query, request);
  Page<T> page;
  std::size_t bytes = 0;
  Query rows(connection, statement.sql);
  rows.bind_all(1, statement.params);
  rows.run();
  for (int row = 0; row < rows.rows(); ++row) {
    if (page.items.size() == statement.limit) {
      page.has_more = true;
      break;
    }
    T item = read_row(rows, row);
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
Page<T> read_page(PgConnection& connection, const PageQuery& query, const PageRequest& request,
                  ReadRow read_row) {
  return read_page<T>(connection, query, request, read_row, [](const T&) { return std::size_t{0}; });
}

}  // namespace hookline::postgres
