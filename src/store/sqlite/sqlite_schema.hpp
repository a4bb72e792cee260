#pragma once
// The store's schema, as numbered migrations. The SQL is kept to what
// PostgreSQL also accepts (plain types, ON CONFLICT, row values), so that a
// postgres/ implementation can reuse it nearly verbatim.
#include "store/sqlite/sqlite_connection.hpp"

namespace hookline::sqlite {

// The schema version this build writes.
int current_schema_version();

// Sets WAL mode and brings the database at `connection` to the current schema
// version, one transaction per migration. Throws StoreError, including when the
// database is newer than this build.
void migrate(SqliteConnection& connection);
// The same, stopping at `version` (≤ current_schema_version()): what an older
// build left behind, for the tests of later migrations.
void migrate(SqliteConnection& connection, int version);

}  // namespace hookline::sqlite
