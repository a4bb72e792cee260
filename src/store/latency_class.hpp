#pragma once
// The latency classes of GET /v1/webhook_stats's histogram: an attempt's
// latency in µs rounded down to two significant digits (1234 µs → 1200 µs;
// below 100 µs exact), so a class is less than 10 % below any latency in it.
// A class is its floor in µs. Both stores compute it in SQL with this
// expression (integer arithmetic: cheaper per row than going through text).
namespace hookline {

inline constexpr const char* kLatencyClassSql =
    "CASE WHEN latency_us < 100 THEN latency_us"
    " WHEN latency_us < 1000 THEN latency_us / 10 * 10"
    " WHEN latency_us < 10000 THEN latency_us / 100 * 100"
    " WHEN latency_us < 100000 THEN latency_us / 1000 * 1000"
    " WHEN latency_us < 1000000 THEN latency_us / 10000 * 10000"
    " WHEN latency_us < 10000000 THEN latency_us / 100000 * 100000"
    " ELSE latency_us / 1000000 * 1000000 END";

}  // namespace hookline
