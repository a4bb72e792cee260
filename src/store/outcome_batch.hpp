#pragma once
// What a batch of delivery outcomes writes, folded before any SQL runs, so
// that each store writes a batch with one statement per table (PostgreSQL) or
// one write per row in key order (SQLite) instead of three or four statements
// per outcome. Replaying the outcomes in batch order over the rows as they
// were gives the same final rows as applying them one by one, duplicates of
// one delivery included.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/models.hpp"
#include "store/endpoint_health.hpp"
#include "store/store.hpp"

namespace hookline {

// A delivery row as record_outcomes finds it (the row, not the outcome, says
// what the delivery is).
struct DeliveryRowState {
  bool pending = false;
  bool manual = false;
  std::string event_id, endpoint_id;
  int64_t event_seq = 0;
};

// The new values of one delivery row.
struct DeliveryChange {
  int attempts = 0;          // added to attempt_count
  bool has_attempt = false;  // last_http_status/last_error take the values below
  int last_http_status = 0;
  std::string last_error;
  bool transitioned = false;  // state/next_attempt_ms take the values below
  DeliveryState state = DeliveryState::kPending;
  int64_t next_attempt_ms = 0;
};

struct AttemptRow {
  int64_t delivery_id = 0;
  const std::string* event_id = nullptr;  // points into the rows given to fold
  const std::string* endpoint_id = nullptr;
  const Attempt* attempt = nullptr;  // points into the outcomes
};

struct OutcomeBatch {
  std::vector<AttemptRow> attempts;              // in batch order
  std::map<int64_t, DeliveryChange> deliveries;  // by delivery id
  std::map<int64_t, int> succeeded_per_event;    // event seq → pending_webhooks decrement
  int64_t settled = 0;                           // deliveries that left 'pending'
  EndpointHealthByEndpoint health;
};

// Folds `outcomes` (batch order) over `rows` (by delivery id; an outcome whose
// row is missing was pruned meanwhile and records nothing). A delivery already
// final (claimed twice after a lease ran out) keeps its state: only its
// attempt log and counters grow. A manual delivery's success does not count
// in pending_webhooks.
OutcomeBatch fold_outcomes(const std::vector<DeliveryOutcome>& outcomes,
                           std::map<int64_t, DeliveryRowState>& rows, int64_t now_ms);

}  // namespace hookline
