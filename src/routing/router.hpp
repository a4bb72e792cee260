#pragma once
// Which endpoints get an event: the Connect routing rules of DESIGN.md as one
// pure function (no I/O). Table-driven tests in tests/routing/.
#include <string>
#include <string_view>
#include <vector>

#include "core/models.hpp"

namespace hookline::routing {

// The ids of the endpoints among `candidates` that must receive an event of
// `type` in `livemode` that happened on `event_account`.
//   - account endpoints owned by event_account with the same livemode;
//   - if event_account is a connected account: the platform's Connect endpoints,
//     a live one for live and test events of accounts connected in live mode, a
//     test one for test events of accounts connected in test mode;
//   - only enabled endpoints whose enabled_events holds `type` or "*";
//   - availability by account type (catalog/): e.g. person.updated only for
//     platform-controlled accounts;
//   - a deauthorized account's events go nowhere but its
//     account.application.deauthorized.
//   - account.application.* events of a connected account are "sent to the
//     related application only": the platform's Connect endpoints, not the
//     account's own endpoints.
// So that the deauthorization event still reaches the Connect endpoints,
// deauthorizing an account sets Account::deauthorized and leaves
// connected_live / connected_test as they were.
// `platform_id` names the platform account (the owner of Connect endpoints).
std::vector<std::string> route_event(const Account& event_account, const std::string& platform_id,
                                     bool livemode, std::string_view type,
                                     const std::vector<WebhookEndpoint>& candidates);

// Whether an enabled_events list takes events of `type`: it holds `type` or "*".
// (route_event's subscription rule; also what a `hookline listen` session's
// --events asks for.)
bool subscribes(const std::vector<std::string>& enabled_events, std::string_view type);

}  // namespace hookline::routing
