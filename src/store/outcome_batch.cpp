#include "store/outcome_batch.hpp"

namespace hookline {

OutcomeBatch fold_outcomes(const std::vector<DeliveryOutcome>& outcomes,
                           std::map<int64_t, DeliveryRowState>& rows, int64_t now_ms) {
  OutcomeBatch batch;
  for (const DeliveryOutcome& outcome : outcomes) {
    auto found = rows.find(outcome.delivery_id);
    if (found == rows.end()) continue;
    DeliveryRowState& row = found->second;
    DeliveryChange& change = batch.deliveries[outcome.delivery_id];
    if (const std::optional<Attempt>& attempt = outcome.attempt) {
      batch.attempts.push_back({outcome.delivery_id, &row.event_id, &row.endpoint_id, &*attempt});
      note_attempt(batch.health, row.endpoint_id, *attempt, now_ms);
      ++change.attempts;
      change.has_attempt = true;
      change.last_http_status = attempt->http_status;
      change.last_error = attempt->error;
    }
    if (!row.pending) continue;
    change.transitioned = true;
    change.state = outcome.new_state;
    change.next_attempt_ms =
        outcome.new_state == DeliveryState::kPending ? outcome.next_attempt_ms : 0;
    if (outcome.new_state == DeliveryState::kPending) continue;
    row.pending = false;
    ++batch.settled;
    if (outcome.new_state == DeliveryState::kSucceeded && !row.manual) {
      ++batch.succeeded_per_event[row.event_seq];
    }
  }
  return batch;
}

}  // namespace hookline
