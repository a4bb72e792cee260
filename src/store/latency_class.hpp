#pragma once
// The latency classes of GET /v1/webhook_stats's histogram: an attempt's
// latency in µs rounded down to two significant digits (1234 µs → 1200 µs), so
// a class's floor is exact below 100 µs and less than 10 % below any latency
// in it above. Both stores compute the class in SQL with kLatencyClassSql (the
// number of digits * 100 + the first two digits, which orders classes as their
// latencies); latency_class_floor_us turns a class back into µs.
#include <cstdint>

namespace hookline {

inline constexpr const char* kLatencyClassSql =
    "length(CAST(latency_us AS TEXT)) * 100 + CAST(substr(CAST(latency_us AS TEXT), 1, 2) AS "
    "INTEGER)";

inline int64_t latency_class_floor_us(int64_t latency_class) {
  const int64_t digits = latency_class / 100;
  int64_t floor = latency_class % 100;
  for (int64_t i = 2; i < digits; ++i) floor *= 10;
  return floor;
}

}  // namespace hookline
