#pragma once
// PostgresStore::routing_generation: the database's routing generation
// (schema migration 6: a row that every committed write to accounts or to an
// endpoint's routing moves, whichever node wrote), read for many callers at
// once.
//
// A caller gets a value read by a statement sent after it called: every write
// committed before the call is counted, so a cache checked against it never
// misses an endpoint created (on any node) before the publish arrived. While
// one read is in flight, the callers that arrive wait for the next one, which
// answers all of them: one round trip for a burst of publishes, not one each.
//
// Thread-safe.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

namespace hookline::postgres {

class SharedGenerationRead {
 public:
  // `read` runs the statement (on any thread; throws StoreError).
  explicit SharedGenerationRead(std::function<uint64_t()> read) : read_(std::move(read)) {}

  // A value read after this call began. Throws what `read` throws.
  uint64_t get();

  // Statements run so far, and calls so far (for tests).
  uint64_t reads() const;
  uint64_t calls() const;

 private:
  const std::function<uint64_t()> read_;
  mutable std::mutex mutex_;
  std::condition_variable done_;
  uint64_t requested_ = 0;  // GUARDED_BY(mutex_): callers so far, numbered
  uint64_t answered_ = 0;   // GUARDED_BY(mutex_): callers 1..answered_ have a value
  uint64_t value_ = 0;      // GUARDED_BY(mutex_): the latest value read
  bool reading_ = false;    // GUARDED_BY(mutex_)
  uint64_t reads_ = 0;      // GUARDED_BY(mutex_)
};

}  // namespace hookline::postgres
