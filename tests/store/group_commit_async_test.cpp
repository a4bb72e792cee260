// GroupCommitWriter::write_async (issue 15, the publish path): each write is
// completed once, after its commit, on the writer's thread, in the order the
// writes were queued; a failed batch completes every write in it with the
// error and writes nothing of it. And NewEvent::idempotent: the API's answer
// kept in the event's own transaction.
#include <gtest/gtest.h>

#include <condition_variable>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/group_commit.hpp"
#include "store_backends.hpp"

namespace hookline::testing {
namespace {

class GroupCommitAsyncTest : public BackendStoreTest {};
HOOKLINE_STORE_BACKENDS(GroupCommitAsyncTest);

// What the completions saw, in the order they ran.
struct Completions {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> order;          // guarded by mutex
  std::vector<bool> failed;                // guarded by mutex, parallel to order
  std::vector<bool> visible;               // guarded by mutex: committed when completed
  std::vector<std::thread::id> threads;    // guarded by mutex

  void wait_for(std::size_t count) {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return order.size() >= count; });
  }
};

// A gate the first completion waits at, so that the writes queued meanwhile
// make up the next batch together.
struct Gate {
  std::mutex mutex;
  std::condition_variable opened;
  bool open = false;

  void wait() {
    std::unique_lock lock(mutex);
    opened.wait(lock, [&] { return open; });
  }
  void release() {
    {
      std::lock_guard lock(mutex);
      open = true;
    }
    opened.notify_all();
  }
};

TEST_P(GroupCommitAsyncTest, CompletionsRunAfterTheCommitOnTheWriterInQueueOrder) {
  constexpr int kWrites = 100;
  Completions seen;
  {
    GroupCommitWriter writer(store());
    for (int i = 0; i < kWrites; ++i) {
      const std::string id = "evt_async_" + std::to_string(i);
      writer.write_async(make_event(id, "acct_c", 1000 + i), {}, [&, id](std::exception_ptr error) {
        // Durable before its completion runs: readable from another connection.
        const bool visible = store().get_event(id).has_value();
        std::lock_guard lock(seen.mutex);
        seen.order.push_back(id);
        seen.failed.push_back(error != nullptr);
        seen.visible.push_back(visible);
        seen.threads.push_back(std::this_thread::get_id());
        seen.changed.notify_all();
      });
    }
    seen.wait_for(kWrites);
  }
  ASSERT_EQ(seen.order.size(), static_cast<std::size_t>(kWrites));
  for (int i = 0; i < kWrites; ++i) {
    const auto at = static_cast<std::size_t>(i);
    EXPECT_EQ(seen.order[at], "evt_async_" + std::to_string(i));
    EXPECT_FALSE(seen.failed[at]) << i;
    EXPECT_TRUE(seen.visible[at]) << i;
    EXPECT_NE(seen.threads[at], std::this_thread::get_id()) << i;
    EXPECT_EQ(seen.threads[at], seen.threads[0]) << "one writer thread";
  }
}

TEST_P(GroupCommitAsyncTest, AFailedBatchCompletesEveryWriteInItWithTheErrorAndWritesNothing) {
  store().insert_events({make_event("evt_taken", "acct_c", 1)});
  constexpr int kInFailingBatch = 20;
  store().put_endpoint(make_endpoint("we_x", "acct_p", true, false));
  Gate entered;
  Gate gate;
  Completions seen;
  {
    GroupCommitWriter writer(store());
    // The first batch holds the writer (in its completion) until every
    // other write is queued: those form one batch, with the collision in it.
    writer.write_async(make_event("evt_first", "acct_c", 2), {}, [&](std::exception_ptr error) {
      entered.release();
      gate.wait();
      std::lock_guard lock(seen.mutex);
      seen.order.push_back("evt_first");
      seen.failed.push_back(error != nullptr);
      seen.changed.notify_all();
    });
    entered.wait();
    for (int i = 0; i < kInFailingBatch; ++i) {
      const std::string id = i == kInFailingBatch / 2 ? "evt_taken" : "evt_b" + std::to_string(i);
      NewEvent event = make_event(id, "acct_c", 3, {"we_x"});
      event.idempotent = IdempotentRecord{"scope", "key_" + std::to_string(i), {"hash", 200, "{}", 5}};
      writer.write_async(std::move(event), {}, [&, id](std::exception_ptr error) {
        std::lock_guard lock(seen.mutex);
        seen.order.push_back(id);
        seen.failed.push_back(error != nullptr);
        if (error) {
          try {
            std::rethrow_exception(error);
          } catch (const StoreError&) {
          } catch (...) {
            ADD_FAILURE() << "not a StoreError";
          }
        }
        seen.changed.notify_all();
      });
    }
    gate.release();
    seen.wait_for(kInFailingBatch + 1);
  }
  ASSERT_EQ(seen.order.size(), static_cast<std::size_t>(kInFailingBatch + 1));
  EXPECT_EQ(seen.order[0], "evt_first");
  EXPECT_FALSE(seen.failed[0]);
  for (std::size_t i = 1; i < seen.order.size(); ++i) {
    EXPECT_TRUE(seen.failed[i]) << seen.order[i];
    if (seen.order[i] != "evt_taken") {
      EXPECT_FALSE(store().get_event(seen.order[i])) << seen.order[i];
    }
    EXPECT_FALSE(store().get_idempotent("scope", "key_" + std::to_string(i - 1))) << i;
  }
  EXPECT_EQ(store().get_event("evt_taken")->created, 1);
  EXPECT_EQ(store().count_pending_deliveries(), 0);
}

TEST_P(GroupCommitAsyncTest, TheKeptAnswerIsCommittedWithTheEventAndNeverOverAKeptOne) {
  NewEvent first = make_event("evt_keyed", "acct_c", 1);
  first.idempotent = IdempotentRecord{"scope", "key", {"hash:req_1", 200, R"({"id":"evt_keyed"})", 7}};
  store().insert_events({first});
  std::optional<IdempotentResponse> kept = store().get_idempotent("scope", "key");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->status, 200);
  EXPECT_EQ(kept->body, R"({"id":"evt_keyed"})");
  EXPECT_EQ(kept->request_hash, "hash:req_1");

  // In place of a reservation (another node's, on a shared database)...
  ASSERT_TRUE(store().reserve_idempotent("scope", "reserved", "hash2", 10, 0));
  NewEvent second = make_event("evt_keyed_2", "acct_c", 1);
  second.idempotent = IdempotentRecord{"scope", "reserved", {"hash2:req_2", 200, "{}", 11}};
  store().insert_events({second});
  EXPECT_EQ(store().get_idempotent("scope", "reserved")->status, 200);

  // ...but never over a response already kept.
  NewEvent third = make_event("evt_keyed_3", "acct_c", 1);
  third.idempotent = IdempotentRecord{"scope", "key", {"other:req_3", 201, "{}", 12}};
  store().insert_events({third});
  EXPECT_EQ(store().get_idempotent("scope", "key")->request_hash, "hash:req_1");
}

}  // namespace
}  // namespace hookline::testing
