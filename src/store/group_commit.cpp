#include "store/group_commit.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/thread_name.hpp"

namespace hookline {

namespace {

// Events committed per transaction at most: bounds the time the write lock is
// held and the memory of one batch.
constexpr std::size_t kMaxBatch = 1024;

}  // namespace

// One queued write: its event and what to call once its batch is done.
struct PendingWrite {
  NewEvent event;
  std::vector<WebhookEndpoint> endpoints;  // parallel to event.endpoint_ids, or empty
  GroupCommitWriter::Completion done;
};

struct GroupCommitWriter::State {
  State(Store& s, BatchHook hook, DeliveryHandoff* h)
      : store(s), on_batch_committed(std::move(hook)), handoff(h) {}

  Store& store;
  const BatchHook on_batch_committed;
  DeliveryHandoff* const handoff;
  std::mutex mutex;
  std::condition_variable work_ready;  // the writer waits for callers
  std::deque<PendingWrite> queue;  // guarded by mutex
  bool stopping = false;               // guarded by mutex
  std::thread writer;

  void run() {
    name_this_thread("hl-commit");
    std::vector<PendingWrite> batch;
    for (;;) {
      {
        std::unique_lock lock(mutex);
        work_ready.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty()) return;  // stopping, and everything queued is written
        while (!queue.empty() && batch.size() < kMaxBatch) {
          batch.push_back(std::move(queue.front()));
          queue.pop_front();
        }
      }
      // While this batch commits, new callers queue up for the next one.
      events.clear();
      events.reserve(batch.size());
      endpoints.clear();
      endpoints.reserve(batch.size());
      std::size_t to_hand_over = 0;
      for (PendingWrite& write : batch) {
        events.push_back(std::move(write.event));
        // A listen session's deliveries go through the queue: the session may
        // be held by another node sharing the database, and the claim (not
        // this node's dispatcher) leaves them to it.
        const bool to_listen_session =
            std::any_of(write.endpoints.begin(), write.endpoints.end(),
                        [](const WebhookEndpoint& endpoint) { return endpoint.listen_session; });
        if (handoff != nullptr && !to_listen_session &&
            write.endpoints.size() == events.back().endpoint_ids.size()) {
          to_hand_over += write.endpoints.size();
          endpoints.push_back(std::move(write.endpoints));
        } else {
          endpoints.emplace_back();  // claimed from the store
        }
      }
      std::optional<int64_t> lease;
      if (to_hand_over > 0) lease = handoff->reserve(to_hand_over);
      if (lease) {
        for (std::size_t i = 0; i < events.size(); ++i) {
          if (!endpoints[i].empty()) events[i].lease_until_ms = *lease;
        }
      }
      std::exception_ptr error;
      Store::InsertedDeliveries inserted;
      try {
        // Under the cluster-wide ceiling, some may be inserted due after all.
        inserted =
            store.insert_events_within_ceiling(events, lease ? handoff->per_endpoint_ceiling() : 0);
      } catch (const StoreError&) {
        error = std::current_exception();
      } catch (const std::exception& e) {
        error = std::make_exception_ptr(StoreError(std::string("group commit: ") + e.what()));
      }
      if (lease && error) handoff->release(to_hand_over);
      std::size_t handed = 0;
      if (lease && !error) handed = hand_over(inserted, *lease, to_hand_over);
      // The hook is for deliveries left to be claimed (inserted due).
      std::size_t total_deliveries = 0;
      for (const NewEvent& event : events) total_deliveries += event.endpoint_ids.size();
      if (!error && on_batch_committed && total_deliveries > handed) {
        try {
          on_batch_committed();
        } catch (...) {
          // The batch is committed whatever the hook did.
        }
      }
      for (PendingWrite& write : batch) {
        try {
          write.done(error);
        } catch (...) {
          // A completion's own failure is its business; the others still run.
        }
      }
      batch.clear();
    }
  }

  // The committed deliveries of the events written with their endpoints that
  // the store inserted leased; returns how many (the rest of `reserved` is
  // released by the handoff).
  std::size_t hand_over(const Store::InsertedDeliveries& inserted, int64_t lease_until_ms,
                        std::size_t reserved) {
    const std::vector<int64_t>& delivery_ids = inserted.ids;
    std::vector<DueDelivery> due;
    due.reserve(reserved);
    std::size_t next_id = 0;
    for (std::size_t i = 0; i < events.size(); ++i) {
      NewEvent& item = events[i];
      const std::size_t count = item.endpoint_ids.size();
      if (endpoints[i].empty() || next_id + count > delivery_ids.size() ||
          next_id + count > inserted.leased.size()) {
        next_id += count;
        continue;
      }
      for (std::size_t j = 0; j < count; ++j) {
        if (!inserted.leased[next_id + j]) continue;  // inserted due: to be claimed
        DueDelivery& out = due.emplace_back();
        out.delivery.id = delivery_ids[next_id + j];
        out.delivery.event_id = item.event.id;
        out.delivery.endpoint_id = item.endpoint_ids[j];
        out.delivery.state = DeliveryState::kPending;
        out.delivery.next_attempt_ms = lease_until_ms;
        out.delivery.created_ms = item.first_attempt_ms;
        // The body is the event's own: the last delivery takes it.
        out.event_body = j + 1 == count ? std::move(item.event.body) : item.event.body;
        out.event_livemode = item.event.livemode;
        out.event_type = item.event.type;
        out.event_account_id = item.event.account_id;
        out.endpoint = std::move(endpoints[i][j]);
      }
      next_id += count;
    }
    const std::size_t handed = due.size();
    try {
      handoff->hand_over(std::move(due), reserved);
    } catch (...) {
      // Not handed over: the deliveries come due again when their lease ends.
    }
    return handed;
  }

  // The writer thread's own state: the batch being committed.
  std::vector<NewEvent> events;
  std::vector<std::vector<WebhookEndpoint>> endpoints;  // parallel to events
};

GroupCommitWriter::GroupCommitWriter(Store& store, BatchHook on_batch_committed,
                                     DeliveryHandoff* handoff)
    : state_(new State(store, std::move(on_batch_committed), handoff)) {
  state_->writer = std::thread([state = state_] { state->run(); });
}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->work_ready.notify_one();
  state_->writer.join();
  delete state_;
}

void GroupCommitWriter::write_async(NewEvent event, std::vector<WebhookEndpoint> endpoints,
                                    Completion done) {
  {
    std::lock_guard lock(state_->mutex);
    if (state_->stopping) throw StoreError("group commit: the writer is stopping");
    state_->queue.push_back(PendingWrite{std::move(event), std::move(endpoints), std::move(done)});
  }
  state_->work_ready.notify_one();
}

namespace {

// What a blocking write() waits on: its own mutex and condition, no broadcast.
struct WriteWait {
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;         // guarded by mutex
  std::exception_ptr error;  // guarded by mutex
};

}  // namespace

void GroupCommitWriter::write(NewEvent event, std::vector<WebhookEndpoint> endpoints) {
  // Shared with the completion, which may still notify after write() returned.
  auto wait = std::make_shared<WriteWait>();
  write_async(std::move(event), std::move(endpoints), [wait](std::exception_ptr error) {
    {
      std::lock_guard lock(wait->mutex);
      wait->done = true;
      wait->error = std::move(error);
    }
    wait->finished.notify_one();
  });
  std::unique_lock lock(wait->mutex);
  wait->finished.wait(lock, [&] { return wait->done; });
  if (wait->error) std::rethrow_exception(wait->error);
}

}  // namespace hookline
