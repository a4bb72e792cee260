#pragma once
// Group commit: many threads each call write(); one writer thread commits
// whatever has accumulated in ONE Store::insert_events transaction and wakes
// them all. Durability (one fsync per batch) without one fsync per event.
#include "store/store.hpp"

namespace hookline {

class GroupCommitWriter {
 public:
  explicit GroupCommitWriter(Store& store);
  ~GroupCommitWriter();  // drains what was queued, then stops
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Blocks until `event` and its deliveries are committed. Throws StoreError if
  // the batch it was in failed (nothing of that batch was written).
  void write(NewEvent event);

 private:
  struct State;
  State* state_;
};

}  // namespace hookline
