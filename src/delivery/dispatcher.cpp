// The dispatcher's loop, on one thread that also runs the HTTP sender's epoll
// loop: take what attempts ended, decide each delivery's outcome, take what
// the claim thread leased (ClaimAhead) and ask it for more when there is room
// and something may be due, start attempts (HTTP through the sender, on this
// thread; listen sessions through the hub), hand the outcomes to the recorder
// (its own thread, which writes them in batches), then wait in the sender's
// epoll until a socket is ready, the next due time, a wake(), hand-over,
// claimed batch or listen answer (the inbox's eventfd), or a short recheck
// (the clock may be a test's ManualClock that jumps). No store call blocks
// this thread.
#include "delivery/dispatcher.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <limits>
#include <optional>
#include <chrono>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include "delivery/claim_ahead.hpp"
#include "delivery/delivered_body.hpp"
#include "delivery/delivery_outcome.hpp"
#include "delivery/dispatcher_inbox.hpp"
#include "delivery/http_attempt.hpp"
#include "delivery/http_sender.hpp"
#include "delivery/outcome_recorder.hpp"
#include "delivery/retry_policy.hpp"
#include "delivery/target_slots.hpp"
#include "listen/listen_hub.hpp"

namespace hookline {

namespace {

using delivery::ClaimAhead;
using delivery::ClaimedBatch;
using delivery::Completion;
using delivery::OutcomeRecorder;
using delivery::TargetSlots;

// Claims of at most this many deliveries per store call.
constexpr std::size_t kClaimBatch = 512;
constexpr int64_t kRecheckMs = 250;  // real time between looks at the store when idle
// A lease covers the attempt, a wait for a slot, and a listen session's answer.
constexpr int64_t kLeaseMarginMs = 60'000;
constexpr int64_t kStoreRetryMs = 200;  // after a store error
// Outcomes are recorded once this many have gathered, or the oldest is this old.
constexpr std::size_t kFlushBatch = 1024;
constexpr int64_t kFlushDelayMs = 25;
// How long what an endpoint that cannot keep up is owed is set aside: from
// 1 s, doubling while it stays behind, up to 5 min (TargetSlots).
constexpr int64_t kMinDeferMs = 1'000;
constexpr int64_t kMaxDeferMs = 300'000;
// An endpoint's waiting line is judged over this window (TargetSlots).
constexpr int64_t kSlotWindowMs = 250;
// stop() waits this much beyond the attempt timeout for attempts in flight.
constexpr int64_t kStopGraceMs = 2'000;

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A claimed delivery held in memory: waiting for a slot, or in flight.
struct Claimed {
  DueDelivery due;
  std::string target;
  int64_t attempt_at_ms = 0;
};

}  // namespace

struct Dispatcher::Impl {
  Impl(Store& s, Clock& c, DispatcherOptions o, ListenHub* h, Metrics* m)
      : store(s),
        clock(c),
        options(std::move(o)),
        hub(h),
        metrics(m),
        retry(options.live_schedule_ms, options.test_schedule_ms, options.jitter),
        slots(delivery::TargetSlotsOptions{options.max_in_flight_per_endpoint, kSlotWindowMs,
                                           kMinDeferMs, kMaxDeferMs}),
        max_in_memory(std::max<std::size_t>(1, options.max_in_flight)),
        lease_ms(std::max<int64_t>(0, options.attempt_timeout_ms) + kLeaseMarginMs) {}

  void start() {
    std::lock_guard lock(control);
    if (thread.joinable() || stopped) throw std::logic_error("Dispatcher::start called twice");
    const delivery::HttpSenderOptions sender_options = delivery::sender_options_for(
        options.max_in_flight, options.max_in_flight_per_endpoint, options.user_agent);
    // Built here, used only by the loop's thread from now on.
    sender = std::make_unique<delivery::HttpSender>(
        sender_options,
        [this](uint64_t id, delivery::SendResult result) {
          ended.push_back(Completion{static_cast<int64_t>(id), result.http_status,
                                     std::move(result.error), result.latency_us,
                                     std::move(result.response_excerpt)});
        },
        inbox->wake_fd);
    // Written outcomes free room, and on a store shared by nodes they end the
    // leases an endpoint's ceiling counts (a claim held back waits for them):
    // every written batch wakes a claim (h17o tried sparing it after batches of
    // successes: P2-PG fell from 472 to 204 deliveries/s).
    recorder = std::make_unique<OutcomeRecorder>(store, clock, options.disable_after_ms, metrics,
                                                 [this] { wake(); });
    claimer = std::make_unique<ClaimAhead>(
        store, clock, lease_ms, options.max_in_flight_per_endpoint,
        [this, inbox = inbox](ClaimedBatch batch) {
          if (!batch.failed) claim_passes.fetch_add(1);
          inbox->push(std::move(batch));
        });
    accepting.store(true);
    thread = std::thread([this] { run(); });
  }

  std::optional<int64_t> reserve(std::size_t count) {
    if (count == 0 || !accepting.load()) return std::nullopt;
    std::size_t current = reserved.load();
    do {
      if (held.load(std::memory_order_relaxed) + current + count > max_in_memory) {
        return std::nullopt;
      }
    } while (!reserved.compare_exchange_weak(current, current + count));
    return clock.now_ms() + lease_ms;
  }

  void release(std::size_t count) { reserved.fetch_sub(count); }

  void hand_over(std::vector<DueDelivery> deliveries, std::size_t reserved_count) {
    {
      std::lock_guard lock(inbox->mutex);
      if (inbox->handed.empty()) {
        inbox->handed = std::move(deliveries);
      } else {
        for (DueDelivery& item : deliveries) inbox->handed.push_back(std::move(item));
      }
      inbox->handed_reserved += reserved_count;
    }
    inbox->notify();
  }

  void wake() {
    {
      std::lock_guard lock(inbox->mutex);
      inbox->woken = true;
    }
    inbox->notify();
  }

  void stop() {
    std::lock_guard lock(control);
    if (stopped) return;
    stopped = true;
    accepting.store(false);
    if (!thread.joinable()) return;
    {
      std::lock_guard inbox_lock(inbox->mutex);
      inbox->stopping = true;
    }
    inbox->notify();
    thread.join();
    claimer->stop();  // a claim still under way: what it leased comes due when the lease ends
    sender.reset();  // what is still in flight had its timeout and grace: abandoned
    recorder->stop(steady_ms() + kStopGraceMs);
    recorder.reset();
  }

  void run() {
    pthread_setname_np(pthread_self(), "hl-dispatch");
    try {
      loop();
    } catch (const std::exception& e) {
      spdlog::critical("dispatcher stopped: {}", e.what());
    }
  }

  void loop() {
    std::vector<Completion> completions;
    std::vector<DueDelivery> handed;
    std::size_t handed_reserved = 0;
    std::optional<ClaimedBatch> batch;
    bool stopping = false;
    bool wake_pending = false;  // wake() was called since the last claim
    bool released = false;
    bool store_ok = true;      // the last write went through
    bool due_pending = false;  // the last claim was full: more may be due now
    int64_t next_due_at = 0;   // clock ms: nothing was due before this at the last look
    int64_t recheck_at = 0;    // steady ms: look at the store again by then anyway
    int64_t outcomes_since = -1;  // steady ms of the oldest outcome not yet recorded
    int64_t give_up_at = 0;
    for (;;) {
      {
        std::lock_guard lock(inbox->mutex);
        completions.swap(inbox->completions);
        handed.swap(inbox->handed);
        handed_reserved = std::exchange(inbox->handed_reserved, 0);
        batch = std::exchange(inbox->claimed, std::nullopt);
        wake_pending = wake_pending || inbox->woken;
        inbox->woken = false;
        stopping = inbox->stopping;
      }
      const int64_t now = clock.now_ms();
      const int64_t steady = steady_ms();
      // HTTP results (from the sender, on this thread) with the listen answers.
      for (Completion& completion : ended) completions.push_back(std::move(completion));
      ended.clear();
      for (Completion& completion : completions) on_completion(completion, now, steady);
      completions.clear();
      // Straight from the group commit, already leased: as if just claimed
      // (or, when stopping, back to the queue due now).
      for (DueDelivery& item : handed) {
        if (stopping) {
          outcomes.push_back(delivery::outcome_deferred(item.delivery, now));
        } else {
          accept(std::move(item), now, steady);
        }
      }
      handed.clear();
      if (handed_reserved > 0) reserved.fetch_sub(std::exchange(handed_reserved, 0));
      if (batch) {
        // A claim ended: what came due, leased, and whether more may be due.
        claim_asked = 0;
        for (DueDelivery& item : batch->due) {
          if (stopping) {
            outcomes.push_back(delivery::outcome_deferred(item.delivery, now));
          } else {
            accept(std::move(item), now, steady);
          }
        }
        due_pending = !batch->failed && batch->due.size() == batch->limit;
        if (!due_pending) {
          next_due_at = batch->failed ? std::numeric_limits<int64_t>::max() : batch->next_due_ms;
          recheck_at = steady + (batch->failed ? kStoreRetryMs : kRecheckMs);
          if (!batch->failed && next_due_at <= batch->claimed_at_ms) {
            // Something due was held back (an endpoint at its ceiling across
            // the cluster): claimed again when written outcomes end leases
            // (the recorder's wake) or at the recheck, not at once. Not when
            // an attempt ends either: its lease counts until its outcome is
            // written, so such a claim found the endpoint still full (half of
            // P2-PG's claims, each reading the whole backlog).
            next_due_at = std::numeric_limits<int64_t>::max();
          }
        }
        batch.reset();
      }
      // The attempts just started go out now, not after the claim and the
      // flush below (store calls that block this thread for milliseconds).
      if (sender->in_flight() > 0) sender->run_once(0);
      if (const auto trimmed = slots.trim(steady); !trimmed.empty()) {
        spdlog::debug("dispatcher: {} deliveries to endpoints that cannot keep up set aside",
                      trimmed.size());
        for (const TargetSlots::Deferred& item : trimmed) defer(item.id, now + item.delay_ms);
      }

      if (stopping && !released) {
        // Nothing more is claimed; what waits for a slot goes back, due now.
        for (int64_t id : slots.take_all_waiting()) defer(id, now);
        released = true;
        give_up_at = steady + std::max<int64_t>(0, options.attempt_timeout_ms) + kStopGraceMs;
      } else if (!stopping && store_ok && claim_asked == 0 && claim_room() > 0 &&
                 (wake_pending || due_pending || now >= next_due_at ||
                  steady >= recheck_at)) {
        // Claimed on the claim thread while this one goes on sending; the
        // room asked for stays set aside until the batch comes back.
        wake_pending = false;
        claim_asked = claim_room();
        claimer->request(claim_asked);
      }

      // Outcomes are written in batches: many per transaction when busy, a few
      // milliseconds late at most when not.
      if (!outcomes.empty() && outcomes_since < 0) outcomes_since = steady;
      if (!outcomes.empty() && (stopping || !store_ok || outcomes.size() >= kFlushBatch ||
                                steady - outcomes_since >= kFlushDelayMs)) {
        flush();
        outcomes_since = -1;
      }
      store_ok = !recorder->failing();
      if (stopping && (steady >= give_up_at ||
                       (slots.in_flight() == 0 && outcomes.empty() && claim_asked == 0))) {
        if (slots.in_flight() > 0 || !outcomes.empty()) {
          spdlog::warn("dispatcher: stopped with {} attempts unanswered and {} outcomes not "
                       "recorded; they come due again when their lease ends",
                       slots.in_flight(), outcomes.size());
        }
        return;
      }
      const bool again =
          ((due_pending || wake_pending) && store_ok && claim_asked == 0 && claim_room() > 0) ||
          !ended.empty();

      held.store(slots.in_flight() + slots.waiting() + recorder->unrecorded() + claim_asked,
                 std::memory_order_relaxed);
      // Sleep until something is due, an outcome must be written, an attempt
      // ends, a hand-over, wake() or stop() — or the recheck (the clock may have jumped).
      int64_t wait_ms = store_ok ? kRecheckMs : kStoreRetryMs;
      if (store_ok && !stopping && claim_asked == 0 && claim_room() > 0) {
        wait_ms = std::min(wait_ms, std::max<int64_t>(0, recheck_at - steady));
        wait_ms = std::min(wait_ms, std::max<int64_t>(0, next_due_at - clock.now_ms()));
      }
      if (store_ok && !outcomes.empty()) {
        wait_ms = std::min(wait_ms, std::max<int64_t>(0, outcomes_since + kFlushDelayMs - steady));
      }
      if (again) wait_ms = 0;  // the sockets are still served between claims
      sender->run_once(wait_ms);
    }
  }

  // How many more deliveries may be claimed now: 0 until a useful amount of
  // room is free, as every claim is a store transaction.
  std::size_t claim_room() const {
    // Outcomes not yet written count too: they bound what piles up in memory
    // when the store is slower than the endpoints.
    const std::size_t held = slots.in_flight() + slots.waiting() + reserved.load() +
                             recorder->unrecorded() + claim_asked;
    if (held >= max_in_memory) return 0;
    const std::size_t free = max_in_memory - held;
    if (held > 0 && free < std::min(kClaimBatch, max_in_memory) / 4) return 0;
    return std::min(kClaimBatch, free);
  }

  void accept(DueDelivery&& due, int64_t now, int64_t steady) {
    const int64_t id = due.delivery.id;
    if (claimed.count(id) != 0) return;  // its lease ran out while held here: one attempt is enough
    if (!delivery::endpoint_accepts(due)) {
      spdlog::debug("delivery {} of {} to {}: endpoint {}, no attempt", id, due.delivery.event_id,
                    due.delivery.endpoint_id, due.endpoint ? "disabled" : "deleted");
      outcomes.push_back(delivery::outcome_without_endpoint(due.delivery));
      return;
    }
    std::string target = due.delivery.endpoint_id;
    auto [it, inserted] = claimed.emplace(id, Claimed{std::move(due), std::move(target), 0});
    switch (slots.admit(it->second.target, id, steady)) {
      case TargetSlots::Admission::kStart:
        start_attempt(it->second);
        break;
      case TargetSlots::Admission::kWait:
        break;
      case TargetSlots::Admission::kDefer:
        outcomes.push_back(delivery::outcome_deferred(
            it->second.due.delivery, now + slots.defer_delay_ms(it->second.target, steady)));
        claimed.erase(it);
        break;
    }
  }

  void start_attempt(Claimed& item) {
    const int64_t id = item.due.delivery.id;
    const WebhookEndpoint& endpoint = *item.due.endpoint;
    item.attempt_at_ms = clock.now_ms();
    item.due.event_body =
        delivery::body_for_endpoint(std::move(item.due.event_body), endpoint.api_version);
    if (endpoint.listen_session) {
      if (hub == nullptr) {
        ended.push_back(Completion{id, 0, "listen_session_disconnected", 0, {}});
        return;
      }
      ListenDelivery delivery{id,
                              item.due.delivery.event_id,
                              item.due.event_type,
                              item.due.event_livemode,
                              std::move(item.due.event_body),
                              endpoint};
      hub->deliver(std::move(delivery), [inbox = inbox, id](ListenOutcome outcome) {
        inbox->push(Completion{id, outcome.http_status, std::move(outcome.error),
                               outcome.latency_us, {}});
      });
      return;
    }
    delivery::fill_request(sender->next_request(), endpoint, std::move(item.due.event_body),
                           item.due.event_livemode, item.attempt_at_ms, options.private_targets,
                           options.attempt_timeout_ms, secrets);
    sender->start(static_cast<uint64_t>(id));
  }

  void on_completion(Completion& done, int64_t now, int64_t steady) {
    auto it = claimed.find(done.delivery_id);
    if (it == claimed.end()) return;
    Claimed& item = it->second;
    const Delivery& delivery = item.due.delivery;
    Attempt attempt;
    attempt.delivery_id = delivery.id;
    attempt.event_id = delivery.event_id;
    attempt.endpoint_id = delivery.endpoint_id;
    attempt.event_type = std::move(item.due.event_type);  // the item is erased below
    attempt.at_ms = item.attempt_at_ms;
    attempt.http_status = done.http_status;
    attempt.error = std::move(done.error);
    attempt.latency_us = done.latency_us;
    attempt.response_excerpt = std::move(done.response_excerpt);
    if (metrics != nullptr) {
      metrics->record_attempt(attempt.http_status, attempt.error, attempt.latency_us);
    }
    if (spdlog::should_log(spdlog::level::debug)) {  // not a string per attempt otherwise
      spdlog::debug("delivery {} of {} to {}: attempt {}: {} in {} us", delivery.id,
                    delivery.event_id, delivery.endpoint_id, delivery.attempt_count + 1,
                    attempt.http_status != 0 ? std::to_string(attempt.http_status) : attempt.error,
                    attempt.latency_us);
    }
    const bool succeeded = delivery::is_success(attempt.http_status);
    outcomes.push_back(delivery::outcome_after_attempt(delivery, item.due.event_livemode,
                                                       std::move(attempt), retry, now));
    if (outcomes.back().new_state == DeliveryState::kFailed) {
      const Attempt& last = *outcomes.back().attempt;
      spdlog::info("delivery {} of {} to {} failed for good after {} attempt(s): {}", delivery.id,
                   delivery.event_id, delivery.endpoint_id, delivery.attempt_count + 1,
                   last.http_status != 0 ? std::to_string(last.http_status) : last.error);
    }
    const std::string target = std::move(item.target);
    claimed.erase(it);
    if (const std::optional<int64_t> next = slots.complete(target, succeeded, steady)) {
      start_attempt(claimed.at(*next));
    }
  }

  // Back to the queue without an attempt, due at `due_ms`.
  void defer(int64_t id, int64_t due_ms) {
    auto it = claimed.find(id);
    if (it == claimed.end()) return;
    outcomes.push_back(delivery::outcome_deferred(it->second.due.delivery, due_ms));
    claimed.erase(it);
  }

  // Hands the outcomes gathered to the recorder (while its writes fail, claims
  // pause: it keeps what it has and tries again).
  void flush() { recorder->submit(outcomes); }

  Store& store;
  Clock& clock;
  const DispatcherOptions options;
  ListenHub* const hub;
  Metrics* const metrics;
  const delivery::RetryPolicy retry;
  const std::shared_ptr<delivery::DispatcherInbox> inbox =
      std::make_shared<delivery::DispatcherInbox>();

  // The hand-over (DeliveryHandoff), from the writer's thread.
  std::atomic<bool> accepting{false};  // started and not stopping
  std::atomic<std::size_t> reserved{0};  // room reserved or handed over, not yet taken
  std::atomic<std::size_t> held{0};      // in flight or waiting, as of the loop's last turn
  std::atomic<uint64_t> claim_passes{0};  // claims from the store that went through

  std::mutex control;  // start() / stop()
  bool stopped = false;  // GUARDED_BY(control)
  std::thread thread;
  std::unique_ptr<delivery::HttpSender> sender;
  std::unique_ptr<OutcomeRecorder> recorder;
  std::unique_ptr<ClaimAhead> claimer;

  // The loop thread's own state.
  TargetSlots slots;
  const std::size_t max_in_memory;
  const int64_t lease_ms;
  std::unordered_map<int64_t, Claimed> claimed;  // waiting for a slot or in flight
  std::vector<DeliveryOutcome> outcomes;         // not yet recorded
  std::vector<Completion> ended;                 // attempts ended on this thread, not yet taken
  std::vector<std::string_view> secrets;         // an attempt's signing secrets
  std::size_t claim_asked = 0;  // the room of the claim under way (0: none)
};

Dispatcher::Dispatcher(Store& store, Clock& clock, DispatcherOptions options, ListenHub* hub,
                       Metrics* metrics)
    : impl_(std::make_unique<Impl>(store, clock, std::move(options), hub, metrics)) {}

Dispatcher::~Dispatcher() { stop(); }

void Dispatcher::start() { impl_->start(); }

void Dispatcher::wake() { impl_->wake(); }

void Dispatcher::stop() { impl_->stop(); }

uint64_t Dispatcher::claim_passes() const { return impl_->claim_passes.load(); }

int64_t Dispatcher::disable_after_ms() const { return impl_->options.disable_after_ms; }

std::optional<int64_t> Dispatcher::reserve(std::size_t count) { return impl_->reserve(count); }

void Dispatcher::release(std::size_t count) { impl_->release(count); }

void Dispatcher::hand_over(std::vector<DueDelivery> deliveries, std::size_t reserved) {
  impl_->hand_over(std::move(deliveries), reserved);
}

std::size_t Dispatcher::per_endpoint_ceiling() const {
  return impl_->options.max_in_flight_per_endpoint;
}

}  // namespace hookline
