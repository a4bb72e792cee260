#pragma once
// Stripe-style cursor pagination, the counterpart of sqlite/sqlite_pagination.hpp:
// the statement is built by the same function (row values and LIMIT read the
// same in both SQL dialects); only running it differs.
#include <algorithm>

#include "store/postgres/pg_connection.hpp"
#include "store/sqlite/sqlite_pagination.hpp"

namespace hookline::postgres {

using sqlite::PageQuery;

// Runs `query` and reads each row with `read_row(const Query&, int row)`.
template <typename T, typename ReadRow>
Page<T> read_page(PgConnection& connection, const PageQuery& query, const PageRequest& request,
                  ReadRow read_row) {
  const sqlite::PageStatement statement = sqlite::build_page_statement(query, request);
  Page<T> page;
  Query rows(connection, statement.sql);
  rows.bind_all(1, statement.params);
  rows.run();
  for (int row = 0; row < rows.rows(); ++row) {
    if (page.items.size() == statement.limit) {
      page.has_more = true;
      break;
    }
    page.items.push_back(read_row(rows, row));
  }
  if (!statement.descending) std::reverse(page.items.begin(), page.items.end());
  return page;
}

}  // namespace hookline::postgres
