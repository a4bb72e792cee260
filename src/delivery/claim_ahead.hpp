#pragma once
// Claims due deliveries from the store on a thread of its own (hl-dispatch-clm),
// so that the dispatcher's loop, which also runs the sender, goes on sending
// while a claim's transaction runs: the loop asks for a batch and gets it back
// with one call (one wake-up of the loop) per batch.
//
// One claim at a time, of at most the `limit` the loop asked for (the room it
// has set aside, so what is claimed and not yet sent stays bounded). A batch
// that is not full also says when the next delivery comes due, read on this
// thread too, so the loop never waits on the store for a claim.
//
// Thread safety: request() from one thread (the loop), one request at a time
// (the next only after `ready` has had the last); stop() from any thread.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "delivery/throttled_error_log.hpp"
#include "store/store.hpp"

namespace hookline::delivery {

struct ClaimedBatch {
  std::vector<DueDelivery> due;  // leased until claimed_at_ms + the lease
  std::size_t limit = 0;         // what was asked for
  bool failed = false;           // a store error: nothing was leased
  int64_t claimed_at_ms = 0;     // the clock's time the claim used
  // When not failed and due.size() < limit: the clock time before which
  // nothing more is due (INT64_MAX: nothing pending).
  int64_t next_due_ms = 0;
};

class ClaimAhead {
 public:
  // `ready` runs on the claim thread, once per request, with its batch.
  using Ready = std::function<void(ClaimedBatch)>;

  ClaimAhead(Store& store, Clock& clock, int64_t lease_ms, std::size_t per_endpoint,
             Ready ready);
  ~ClaimAhead();  // stop()
  ClaimAhead(const ClaimAhead&) = delete;
  ClaimAhead& operator=(const ClaimAhead&) = delete;

  // Claims up to `limit` (> 0) deliveries due at the clock's time when the claim begins.
  void request(std::size_t limit);
  // Waits for the claim under way, if any (its batch still goes to `ready`), and
  // ends the thread; later requests are ignored.
  void stop();

 private:
  void run();
  ClaimedBatch claim(std::size_t limit);
  int64_t next_due(int64_t now_ms);

  Store& store_;
  Clock& clock_;
  const int64_t lease_ms_;
  const std::size_t per_endpoint_;
  const Ready ready_;
  // While the store is away every pass fails: one line per 30 s, not per pass.
  ThrottledErrorLog claim_errors_{30'000};
  ThrottledErrorLog queue_errors_{30'000};
  std::mutex mutex_;
  std::condition_variable asked_;
  std::size_t requested_ = 0;  // GUARDED_BY(mutex_): 0 when nothing is asked
  bool stopping_ = false;      // GUARDED_BY(mutex_)
  std::thread thread_;
};

}  // namespace hookline::delivery
