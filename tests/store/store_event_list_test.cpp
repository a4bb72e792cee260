// Listing events: Stripe's cursor pagination (newest first, starting_after,
// ending_before, has_more at both edges) and the filters of GET /v1/events.
#include <gtest/gtest.h>

#include "store_backends.hpp"

namespace hookline::testing {
namespace {

class StoreEventListTest : public BackendStoreTest {
 protected:
  // evt_1 … evt_5, created 100, 100, 101, 102, 102: ties broken by insertion.
  void insert_five() {
    const int64_t created[] = {100, 100, 101, 102, 102};
    for (int i = 0; i < 5; ++i) {
      store().insert_events({make_event("evt_" + std::to_string(i + 1), "acct_c", created[i])});
    }
  }
  Page<StoredEvent> list(PageRequest page) {
    EventFilter filter;
    filter.account_id = "acct_c";
    return store().list_events(filter, page);
  }
  std::vector<std::string> list_ids(EventFilter filter) {
    filter.account_id = "acct_c";
    PageRequest page;
    page.limit = 100;
    return ids_of(store().list_events(filter, page));
  }
};
HOOKLINE_STORE_BACKENDS(StoreEventListTest);

using Ids = std::vector<std::string>;

TEST_P(StoreEventListTest, NewestFirstWithTiesInReverseInsertionOrder) {
  insert_five();
  const Page<StoredEvent> page = list({});
  EXPECT_EQ(ids_of(page), (Ids{"evt_5", "evt_4", "evt_3", "evt_2", "evt_1"}));
  EXPECT_FALSE(page.has_more);
}

TEST_P(StoreEventListTest, StartingAfterWalksOlderWithHasMoreUntilTheEnd) {
  insert_five();
  Page<StoredEvent> page = list({2, "", ""});
  EXPECT_EQ(ids_of(page), (Ids{"evt_5", "evt_4"}));
  EXPECT_TRUE(page.has_more);
  page = list({2, "evt_4", ""});
  EXPECT_EQ(ids_of(page), (Ids{"evt_3", "evt_2"}));
  EXPECT_TRUE(page.has_more);
  page = list({2, "evt_2", ""});
  EXPECT_EQ(ids_of(page), (Ids{"evt_1"}));
  EXPECT_FALSE(page.has_more);
  page = list({2, "evt_1", ""});
  EXPECT_TRUE(page.items.empty());
  EXPECT_FALSE(page.has_more);
}

TEST_P(StoreEventListTest, ExactlyFullLastPageHasNoMore) {
  insert_five();
  Page<StoredEvent> page = list({5, "", ""});
  EXPECT_EQ(page.items.size(), 5u);
  EXPECT_FALSE(page.has_more);
  page = list({4, "evt_5", ""});
  EXPECT_EQ(page.items.size(), 4u);
  EXPECT_FALSE(page.has_more);
}

TEST_P(StoreEventListTest, EndingBeforeWalksNewerStillNewestFirst) {
  insert_five();
  Page<StoredEvent> page = list({2, "", "evt_1"});
  EXPECT_EQ(ids_of(page), (Ids{"evt_3", "evt_2"}));
  EXPECT_TRUE(page.has_more);
  page = list({2, "", "evt_3"});
  EXPECT_EQ(ids_of(page), (Ids{"evt_5", "evt_4"}));
  EXPECT_FALSE(page.has_more);
  page = list({2, "", "evt_5"});
  EXPECT_TRUE(page.items.empty());
  EXPECT_FALSE(page.has_more);
}

// Issue 10, item 7 (unbounded response size): a page ends at its byte budget.
TEST_P(StoreEventListTest, Issue10UnboundedResponseSizePageEndsAtItsByteBudget) {
  insert_five();
  const std::size_t each = store().get_event("evt_1")->body.size();  // all the same size
  PageRequest page{100, "", ""};
  page.max_bytes = 2 * each + each / 2;
  Page<StoredEvent> found = list(page);
  EXPECT_EQ(ids_of(found), (Ids{"evt_5", "evt_4"}));
  EXPECT_TRUE(found.has_more);
  page.starting_after = "evt_4";
  found = list(page);
  EXPECT_EQ(ids_of(found), (Ids{"evt_3", "evt_2"}));
  EXPECT_TRUE(found.has_more);
  page.starting_after = "evt_2";
  found = list(page);
  EXPECT_EQ(ids_of(found), (Ids{"evt_1"}));
  EXPECT_FALSE(found.has_more);

  // Walking newer, the items nearest the cursor are kept.
  page.starting_after.clear();
  page.ending_before = "evt_1";
  found = list(page);
  EXPECT_EQ(ids_of(found), (Ids{"evt_3", "evt_2"}));
  EXPECT_TRUE(found.has_more);

  // Exactly the budget fits; the first item always does, whatever its size.
  page.ending_before.clear();
  page.max_bytes = 5 * each;
  found = list(page);
  EXPECT_EQ(found.items.size(), 5u);
  EXPECT_FALSE(found.has_more);
  page.max_bytes = 1;
  found = list(page);
  EXPECT_EQ(ids_of(found), (Ids{"evt_5"}));
  EXPECT_TRUE(found.has_more);
}

TEST_P(StoreEventListTest, UnknownCursorGivesAnEmptyPage) {
  insert_five();
  EXPECT_TRUE(list({10, "evt_nope", ""}).items.empty());
  EXPECT_TRUE(list({10, "", "evt_nope"}).items.empty());
}

TEST_P(StoreEventListTest, WalkingALongListVisitsEachEventOnce) {
  std::vector<NewEvent> batch;
  for (int i = 0; i < 257; ++i) {
    batch.push_back(make_event("evt_" + std::to_string(i), "acct_c", 1000 + i / 7));
  }
  store().insert_events(batch);
  std::vector<std::string> seen;
  PageRequest request{100, "", ""};
  for (;;) {
    const Page<StoredEvent> page = list(request);
    for (const StoredEvent& event : page.items) seen.push_back(event.id);
    if (!page.has_more) break;
    request.starting_after = page.items.back().id;
  }
  ASSERT_EQ(seen.size(), 257u);
  for (int i = 0; i < 257; ++i)
    EXPECT_EQ(seen[static_cast<std::size_t>(i)], "evt_" + std::to_string(256 - i));
}

TEST_P(StoreEventListTest, OnlyTheAccountsEventsInTheRequestedMode) {
  store().insert_events({make_event("evt_test", "acct_c", 1, {}, "charge.failed", false),
                         make_event("evt_live", "acct_c", 2, {}, "charge.failed", true),
                         make_event("evt_other", "acct_d", 3, {}, "charge.failed", false)});
  EXPECT_EQ(list_ids({}), (Ids{"evt_live", "evt_test"}));
  EventFilter test_only;
  test_only.livemode = false;
  EXPECT_EQ(list_ids(test_only), (Ids{"evt_test"}));
  EventFilter live_only;
  live_only.livemode = true;
  EXPECT_EQ(list_ids(live_only), (Ids{"evt_live"}));
}

TEST_P(StoreEventListTest, TypeFilterExactAndWildcard) {
  store().insert_events({make_event("evt_pi_ok", "acct_c", 1, {}, "payment_intent.succeeded"),
                         make_event("evt_pi_new", "acct_c", 2, {}, "payment_intent.created"),
                         make_event("evt_pix", "acct_c", 3, {}, "payment_intentx.created"),
                         make_event("evt_charge", "acct_c", 4, {}, "charge.failed"),
                         make_event("evt_dispute", "acct_c", 5, {}, "charge.dispute.created")});
  EventFilter exact;
  exact.types = {"payment_intent.succeeded"};
  EXPECT_EQ(list_ids(exact), (Ids{"evt_pi_ok"}));
  EventFilter wildcard;
  wildcard.types = {"payment_intent.*"};
  EXPECT_EQ(list_ids(wildcard), (Ids{"evt_pi_new", "evt_pi_ok"}));
  EventFilter nested;
  nested.types = {"charge.*"};
  EXPECT_EQ(list_ids(nested), (Ids{"evt_dispute", "evt_charge"}));
  EventFilter several;
  several.types = {"charge.failed", "payment_intent.created"};
  EXPECT_EQ(list_ids(several), (Ids{"evt_charge", "evt_pi_new"}));
  EventFilter everything;
  everything.types = {"*"};
  EXPECT_EQ(list_ids(everything).size(), 5u);
  EventFilter wildcard_among_others;
  wildcard_among_others.types = {"charge.failed", "*"};
  wildcard_among_others.created_gte = 2;
  EXPECT_EQ(list_ids(wildcard_among_others).size(), 4u);
  EventFilter underscore_is_literal;  // '_' is not a wildcard here, as it would be in LIKE
  underscore_is_literal.types = {"payment.intent*"};
  EXPECT_TRUE(list_ids(underscore_is_literal).empty());
}

TEST_P(StoreEventListTest, CreatedRangeBoundsAreExclusiveOrInclusiveAsNamed) {
  for (int created = 10; created <= 14; ++created) {
    store().insert_events({make_event("evt_" + std::to_string(created), "acct_c", created)});
  }
  EventFilter gt_lt;
  gt_lt.created_gt = 10;
  gt_lt.created_lt = 14;
  EXPECT_EQ(list_ids(gt_lt), (Ids{"evt_13", "evt_12", "evt_11"}));
  EventFilter gte_lte;
  gte_lte.created_gte = 11;
  gte_lte.created_lte = 12;
  EXPECT_EQ(list_ids(gte_lte), (Ids{"evt_12", "evt_11"}));
}

TEST_P(StoreEventListTest, DeliverySuccessFilter) {
  store().insert_events({make_event("evt_delivered", "acct_c", 1, {}),
                         make_event("evt_pending", "acct_c", 2, {"we_1"})});
  EventFilter succeeded;
  succeeded.delivery_success = true;
  EXPECT_EQ(list_ids(succeeded), (Ids{"evt_delivered"}));
  EventFilter pending;
  pending.delivery_success = false;
  EXPECT_EQ(list_ids(pending), (Ids{"evt_pending"}));
}

TEST_P(StoreEventListTest, FiltersCombineWithPagination) {
  std::vector<NewEvent> batch;
  for (int i = 0; i < 10; ++i) {
    batch.push_back(make_event("evt_" + std::to_string(i), "acct_c", 100 + i, {},
                               i % 2 ? "charge.failed" : "payout.paid"));
  }
  store().insert_events(batch);
  EventFilter filter;
  filter.account_id = "acct_c";
  filter.types = {"charge.*"};
  Page<StoredEvent> page = store().list_events(filter, {2, "evt_7", ""});
  EXPECT_EQ(ids_of(page), (Ids{"evt_5", "evt_3"}));
  EXPECT_TRUE(page.has_more);
  page = store().list_events(filter, {2, "", "evt_5"});
  EXPECT_EQ(ids_of(page), (Ids{"evt_9", "evt_7"}));
  EXPECT_FALSE(page.has_more);
}

}  // namespace
}  // namespace hookline::testing
