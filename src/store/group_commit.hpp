#pragma once
// Group commit: many threads each call write_async() (or write(), which
// waits); one writer thread commits whatever has accumulated in ONE
// Store::insert_events transaction and completes them all. Durability (one
// fsync per batch) without one fsync per event.
//
// Each write is completed on its own (no broadcast that wakes the callers
// still waiting for the next batch), and an optional hook runs on the writer's
// thread after a commit that left deliveries to be claimed, before its callers
// are woken (the server wakes the dispatcher there).
// With a DeliveryHandoff, the batch's deliveries go straight to the dispatcher
// (leased in the same transaction): no claim, no second read of the bodies.
#include <exception>
#include <functional>
#include <vector>

#include "store/store.hpp"

namespace hookline {

class GroupCommitWriter {
 public:
  // Called on the writer's thread after a successful commit that inserted
  // deliveries not handed over (due, to be claimed), before the batch's
  // callers are woken; must not block long.
  using BatchHook = std::function<void()>;

  // With `handoff`, the deliveries of events written with their endpoints are
  // inserted leased and handed to it after the commit (when it has room, and
  // as far as its per_endpoint_ceiling() allows across the nodes sharing the
  // store: the rest is inserted due), so that they need no claim.
  explicit GroupCommitWriter(Store& store, BatchHook on_batch_committed = {},
                             DeliveryHandoff* handoff = nullptr);
  ~GroupCommitWriter();  // drains what was queued, then stops
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Called once per write_async(), on the writer's thread, after the batch's
  // commit (and its hand-over and hook): with nullptr, or with the StoreError
  // of a batch that failed (nothing of that batch was written). Must not
  // block: post the rest of the work elsewhere.
  using Completion = std::function<void(std::exception_ptr error)>;

  // Queues `event` and its deliveries and returns at once; `done` says when
  // they are committed. Completions run in the order their writes were queued.
  // Throws StoreError (and never calls `done`) if the writer is stopping.
  // `endpoints`: the routed endpoints as read for routing, one per
  // event.endpoint_ids (else none: the deliveries are claimed from the store).
  void write_async(NewEvent event, std::vector<WebhookEndpoint> endpoints, Completion done);

  // write_async() that blocks until the commit, for callers that may wait.
  // Throws StoreError if the batch it was in failed.
  void write(NewEvent event, std::vector<WebhookEndpoint> endpoints = {});

 private:
  struct State;
  State* state_;
};

}  // namespace hookline
