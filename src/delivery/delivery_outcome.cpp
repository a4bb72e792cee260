#include "delivery/delivery_outcome.hpp"

#include <optional>

namespace hookline::delivery {

namespace {

DeliveryOutcome outcome_for(const Delivery& delivery) {
  DeliveryOutcome outcome;
  outcome.delivery_id = delivery.id;
  outcome.event_id = delivery.event_id;
  outcome.endpoint_id = delivery.endpoint_id;
  outcome.manual = delivery.manual;
  return outcome;
}

}  // namespace

DeliveryOutcome outcome_after_attempt(const Delivery& delivery, bool event_livemode,
                                      Attempt attempt, const RetryPolicy& policy, int64_t now_ms) {
  DeliveryOutcome outcome = outcome_for(delivery);
  attempt.success = is_success(attempt.http_status);
  if (attempt.success) {
    outcome.new_state = DeliveryState::kSucceeded;
  } else if (delivery.manual) {
    outcome.new_state = DeliveryState::kFailed;
  } else if (const std::optional<int64_t> next =
                 policy.next_attempt_ms(event_livemode, delivery.attempt_count + 1, now_ms)) {
    outcome.new_state = DeliveryState::kPending;
    outcome.next_attempt_ms = *next;
  } else {
    outcome.new_state = DeliveryState::kFailed;
  }
  outcome.attempt = std::move(attempt);
  return outcome;
}

DeliveryOutcome outcome_without_endpoint(const Delivery& delivery) {
  DeliveryOutcome outcome = outcome_for(delivery);
  outcome.new_state = DeliveryState::kFailed;
  return outcome;
}

DeliveryOutcome outcome_deferred(const Delivery& delivery, int64_t due_ms) {
  DeliveryOutcome outcome = outcome_for(delivery);
  outcome.new_state = DeliveryState::kPending;
  outcome.next_attempt_ms = due_ms;
  return outcome;
}

bool endpoint_accepts(const DueDelivery& due) {
  return due.endpoint.has_value() && due.endpoint->status == EndpointStatus::kEnabled;
}

std::vector<std::string> active_secrets(const WebhookEndpoint& endpoint, int64_t now_ms) {
  std::vector<std::string> secrets;
  secrets.reserve(endpoint.secrets.size());
  for (const EndpointSecret& secret : endpoint.secrets) {
    if (secret.expires_at_ms == 0 || secret.expires_at_ms > now_ms) {
      secrets.push_back(secret.secret);
    }
  }
  return secrets;
}

void active_secrets(const WebhookEndpoint& endpoint, int64_t now_ms,
                    std::vector<std::string_view>& out) {
  out.clear();
  for (const EndpointSecret& secret : endpoint.secrets) {
    if (secret.expires_at_ms == 0 || secret.expires_at_ms > now_ms) out.push_back(secret.secret);
  }
}

}  // namespace hookline::delivery
