#pragma once
// The statement that keeps an Idempotency-Key's answer, one copy for both
// stores (sqlite/sqlite_records.cpp, postgres/pg_records.cpp): the SQL is the
// same on both. A reservation (status 0) is replaced by the answer; a kept
// answer is never overwritten. Parameters: scope, idempotency_key,
// request_hash, status, body (blob), created_ms.

namespace hookline {

inline constexpr const char* kKeepIdempotentSql =
    "INSERT INTO idempotency_keys (scope, idempotency_key, request_hash, status, body, "
    "created_ms) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (scope, idempotency_key) DO UPDATE SET "
    "request_hash = excluded.request_hash, status = excluded.status, "
    "body = excluded.body, created_ms = excluded.created_ms "
    "WHERE idempotency_keys.status = 0";

}  // namespace hookline
