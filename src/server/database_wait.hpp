#pragma once
// `hookline serve --database … --database-wait SECONDS`: a database that cannot
// be reached at start (PostgreSQL still starting, a network not up yet) is
// waited for, with a log line per try, instead of failing the start at once.
#include <cstdint>
#include <functional>
#include <string>

namespace hookline {

enum class WaitOutcome { kStarted, kInterrupted };

// Calls `start` until it returns without throwing StoreUnavailable. After each
// StoreUnavailable it logs an error naming `where` (the database's host, port,
// name and user; never a password) and waits: 0.5 s, doubled each time, at
// most 5 s, never past `wait_ms` from the first try. `sleep(ms)` does the
// waiting and returns false when a stop was asked for meanwhile (the result
// is then kInterrupted).
// Throws the last StoreUnavailable once `wait_ms` is spent (at once when
// wait_ms is 0); any other exception of `start` goes through unchanged.
// `now_ms` is a monotonic clock.
WaitOutcome start_when_database_answers(const std::function<void()>& start, int64_t wait_ms,
                                        const std::string& where,
                                        const std::function<bool(int64_t ms)>& sleep,
                                        const std::function<int64_t()>& now_ms);

inline constexpr int64_t kFirstDatabaseRetryMs = 500;
inline constexpr int64_t kMaxDatabaseRetryMs = 5000;

}  // namespace hookline
