#pragma once
// Mapping between model structs and rows, the counterpart of
// sqlite/sqlite_rows.hpp. The column lists and the JSON text columns are the
// same in both stores, so they are sqlite_rows' own; only reading a row differs.
#include "core/models.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/sqlite/sqlite_rows.hpp"

namespace hookline::postgres {

using sqlite::account_columns;
using sqlite::attempt_columns;
using sqlite::delivery_columns;
using sqlite::delivery_state_text;
using sqlite::enabled_events_to_json;
using sqlite::endpoint_columns;
using sqlite::endpoint_status_text;
using sqlite::event_columns;
using sqlite::kDeliveryColumnCount;
using sqlite::kEventsWithBody;
using sqlite::secrets_to_json;

// Row `row` of `result`, columns from `first` on.
Account read_account(const Query& result, int row, int first = 0);
WebhookEndpoint read_endpoint(const Query& result, int row, int first = 0);
StoredEvent read_event(const Query& result, int row, int first = 0);
Delivery read_delivery(const Query& result, int row, int first = 0);
Attempt read_attempt(const Query& result, int row, int first = 0);

}  // namespace hookline::postgres
