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

// Runs `query` and reads each row with `read_row(const Query&)`.
template <typename T, typename ReadRow>
Page<T> read_page(SqliteConnection& connection, const PageQuery& query, const PageRequest& request,
                  ReadRow read_row) {
  const PageStatement statement = build_page_statement(query, request);
  Page<T> page;
  Query rows(connection, statement.sql);
  rows.bind_all(1, statement.params);
  while (rows.step()) {
    if (page.items.size() == statement.limit) {
      page.has_more = true;
      break;
    }
    page.items.push_back(read_row(rows));
  }
  if (!statement.descending) std::reverse(page.items.begin(), page.items.end());
  return page;
}

}  // namespace hookline::sqlite
