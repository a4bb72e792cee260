#pragma once
// The store's schema on PostgreSQL, as numbered migrations: the counterpart of
// sqlite/sqlite_schema.hpp, table for table and column for column.
#include "store/postgres/pg_connection.hpp"

namespace hookline::postgres {

// The schema version this build writes.
int current_schema_version();

// Brings the database at `connection` to the current schema version, one
// transaction per migration, under a session advisory lock so that nodes
// started together against an empty database agree on one schema. Throws
// StoreError, including when the database is newer than this build.
void migrate(PgConnection& connection);
// The same, stopping at `version` (≤ current_schema_version()): what an older
// build left behind, for the tests of later migrations.
void migrate(PgConnection& connection, int version);

}  // namespace hookline::postgres
