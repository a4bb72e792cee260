#pragma once
// The dispatcher: takes due deliveries from the store, attempts them (HTTP via
// the curl-multi sender, or a `hookline listen` session via the listen hub),
// and writes the outcomes back in batches: success, a retry at the next step
// of the live/test schedule (with jitter), a final failure, or an endpoint
// disabled after failing for too long.
//
// Only what is due soon is held in memory: the store is the queue, claimed in
// bounded batches with a lease, so a backlog of millions costs no RAM and a
// crash loses nothing (leased deliveries come due again when the lease ends).
// A slow or dead endpoint never holds back the others: attempts run
// concurrently, each with its own timeout.
//
// Thread safety: wake() and stop() may be called from any thread.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/metrics.hpp"
#include "delivery/target_allowlist.hpp"
#include "store/store.hpp"

namespace hookline {

class ListenHub;

struct DispatcherOptions {
  // Delay before retry n (1-based: element 0 is the wait after the first
  // failed attempt). A delivery fails finally after size()+1 attempts.
  std::vector<int64_t> live_schedule_ms = {60'000,     300'000,    1'800'000,  7'200'000,
                                           18'000'000, 36'000'000, 36'000'000, 43'200'000,
                                           43'200'000, 43'200'000};
  std::vector<int64_t> test_schedule_ms = {1'800'000, 3'600'000, 7'200'000};
  double jitter = 0.1;               // each delay is scaled by a random factor in [1-j, 1+j]
  int64_t attempt_timeout_ms = 30'000;
  int64_t disable_after_ms = 3LL * 24 * 3600 * 1000;
  // Who may connect to loopback/private/link-local/... addresses.
  delivery::PrivateTargetRules private_targets;
  std::size_t max_in_flight = 2048;  // concurrent attempts (and claimed deliveries held in memory)
  // Concurrent attempts to one endpoint; more wait their turn, and what an
  // endpoint that cannot keep up is owed goes back to the store for later.
  // On a store several nodes share, claims and the group commit's hand-over
  // also hold it cluster-wide (Store::claim_due's per_endpoint,
  // Store::insert_events_within_ceiling).
  std::size_t max_in_flight_per_endpoint = 64;
  std::string user_agent = "hookline/" HOOKLINE_VERSION " (+https://github.com/hookline)";
};

// As a DeliveryHandoff, it also takes the deliveries of each group commit
// straight from the writer (inserted leased to it): those need no claim.
class Dispatcher final : public DeliveryHandoff {
 public:
  // `hub` may be null (listen-session deliveries then fail with
  // "listen_session_disconnected"). `metrics` may be null.
  Dispatcher(Store& store, Clock& clock, DispatcherOptions options, ListenHub* hub = nullptr,
             Metrics* metrics = nullptr);
  ~Dispatcher() override;  // stop()
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Starts the dispatching threads. Deliveries already pending resume.
  void start();
  // Something may have come due now (an event or a resend was committed, or a
  // test advanced the clock): look at the store again without waiting.
  void wake();
  // Stops claiming; attempts in flight finish (bounded by their timeout) and
  // their outcomes are recorded; nothing claimed is lost (its lease runs out).
  void stop();

  // How many times the dispatcher has claimed from the store (each claim
  // leases what was due at the clock's time then). A test that moved the
  // clock waits for two more to know that one began after the move.
  uint64_t claim_passes() const;
  // How long an endpoint may fail every attempt before it is disabled.
  int64_t disable_after_ms() const;

  // DeliveryHandoff: room is granted while started and not stopping, within
  // max_in_flight (what is held, claimed or handed over); the lease is as a
  // claim's. Deliveries handed over after stop() began go back to the queue
  // due now (or, once stopped, come due when their lease ends).
  std::optional<int64_t> reserve(std::size_t count) override;
  void release(std::size_t count) override;
  void hand_over(std::vector<DueDelivery> deliveries, std::size_t reserved) override;
  // max_in_flight_per_endpoint: what is handed over respects it cluster-wide, as claims do.
  std::size_t per_endpoint_ceiling() const override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hookline
