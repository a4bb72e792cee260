#pragma once
// What becomes of a claimed delivery, as pure functions of what happened:
//   attempted, 2xx            -> succeeded
//   attempted, anything else  -> manual: failed (a resend is tried once);
//                                else pending at the retry policy's next time,
//                                or failed once the schedule is over
//   endpoint deleted/disabled -> failed, no attempt (retries stop)
//   deferred                  -> pending again at a later time, no attempt
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/models.hpp"
#include "delivery/retry_policy.hpp"
#include "store/store.hpp"

namespace hookline::delivery {

inline bool is_success(int http_status) { return http_status >= 200 && http_status < 300; }

// `attempt.success` is set here from its status. The retry counts from
// `now_ms`; the attempt number is the delivery's attempt_count + 1.
DeliveryOutcome outcome_after_attempt(const Delivery& delivery, bool event_livemode,
                                      Attempt attempt, const RetryPolicy& policy, int64_t now_ms);

DeliveryOutcome outcome_without_endpoint(const Delivery& delivery);

DeliveryOutcome outcome_deferred(const Delivery& delivery, int64_t due_ms);

// Whether the endpoint is still owed attempts: it exists and is enabled.
bool endpoint_accepts(const DueDelivery& due);

// The secrets that sign at `now_ms`: the current one and rolled ones not yet expired.
std::vector<std::string> active_secrets(const WebhookEndpoint& endpoint, int64_t now_ms);
// The same, as views into `endpoint` written into `out` (reused by the sender's loop).
void active_secrets(const WebhookEndpoint& endpoint, int64_t now_ms,
                    std::vector<std::string_view>& out);

}  // namespace hookline::delivery
