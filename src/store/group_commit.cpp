#include "store/group_commit.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

namespace hookline {

namespace {

// Events committed per transaction at most: bounds the time the write lock is
// held and the memory of one batch.
constexpr std::size_t kMaxBatch = 1024;

}  // namespace

// One waiting caller: its event and, once the batch is done, the outcome.
struct PendingWrite {
  NewEvent event;
  bool done = false;
  std::exception_ptr error;
};

struct GroupCommitWriter::State {
  explicit State(Store& s) : store(s) {}

  Store& store;
  std::mutex mutex;
  std::condition_variable work_ready;  // the writer waits for callers
  std::condition_variable batch_done;  // callers wait for the writer
  std::deque<PendingWrite*> queue;     // guarded by mutex
  bool stopping = false;               // guarded by mutex
  std::thread writer;

  void run() {
    std::vector<PendingWrite*> batch;
    std::vector<NewEvent> events;
    for (;;) {
      {
        std::unique_lock lock(mutex);
        work_ready.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty()) return;  // stopping, and everything queued is written
        while (!queue.empty() && batch.size() < kMaxBatch) {
          batch.push_back(queue.front());
          queue.pop_front();
        }
      }
      // While this batch commits, new callers queue up for the next one.
      events.clear();
      events.reserve(batch.size());
      for (PendingWrite* write : batch) events.push_back(std::move(write->event));
      std::exception_ptr error;
      try {
        store.insert_events(events);
      } catch (const StoreError&) {
        error = std::current_exception();
      } catch (const std::exception& e) {
        error = std::make_exception_ptr(StoreError(std::string("group commit: ") + e.what()));
      }
      {
        std::lock_guard lock(mutex);
        for (PendingWrite* write : batch) {
          write->done = true;
          write->error = error;
        }
      }
      batch_done.notify_all();
      batch.clear();
    }
  }
};

GroupCommitWriter::GroupCommitWriter(Store& store) : state_(new State(store)) {
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

void GroupCommitWriter::write(NewEvent event) {
  PendingWrite pending;
  pending.event = std::move(event);
  std::unique_lock lock(state_->mutex);
  if (state_->stopping) throw StoreError("group commit: the writer is stopping");
  state_->queue.push_back(&pending);
  state_->work_ready.notify_one();
  state_->batch_done.wait(lock, [&] { return pending.done; });
  if (pending.error) std::rethrow_exception(pending.error);
}

}  // namespace hookline
