// The sequences of events the built-in trigger fixtures produce, and the
// references between their objects, through run_fixture with a backend that
// records what a server would receive.
#include "cli/fixture_runner.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

#include "catalog/event_types.hpp"
#include "cli/fixture.hpp"

namespace hookline::cli {
namespace {

namespace json = boost::json;

class RecordingBackend : public FixtureBackend {
 public:
  std::string publish(const ModeledEvent& event) override {
    events.push_back(event);
    return "evt_" + std::to_string(events.size());
  }
  json::value call(const std::string& method, const std::string& path, const FormParams&) override {
    calls.push_back(method + " " + path);
    if (path == "/oauth/deauthorize")
      return json::parse(R"({"hookline_event_id":"evt_deauthorized"})");
    const std::string id = path == "/v1/accounts" ? "acct_made" : path.substr(path.rfind('/') + 1);
    return json::object{{"id", id}, {"object", "account"}};
  }
  std::string newest_event(const std::string& type, const std::string& account, int64_t) override {
    return "evt_" + type + "_" + account;
  }
  std::vector<ModeledEvent> events;
  std::vector<std::string> calls;
};

struct Run {
  RecordingBackend backend;
  FixtureRunResult result;
  std::string output;

  std::vector<std::string> types() const {
    std::vector<std::string> out;
    for (const PublishedEvent& event : result.events) out.push_back(event.type);
    return out;
  }
  // The data.object of the first event of `type`.
  const json::object& object(const std::string& type) const {
    for (const ModeledEvent& event : backend.events) {
      if (event.type == type) return event.data.at("object").as_object();
    }
    throw std::runtime_error("no " + type);
  }
};

std::unique_ptr<Run> run_trigger(const std::string& name, FixtureRunOptions options = {}) {
  const std::string_view* text = find_trigger_fixture(name);
  if (text == nullptr) throw std::runtime_error("no fixture " + name);
  auto run = std::make_unique<Run>();
  options.now = 1'767'225'600;
  std::ostringstream out;
  run->result = run_fixture(parse_fixture_file(*text, name), options, run->backend, out);
  run->output = out.str();
  return run;
}

using Types = std::vector<std::string>;

TEST(TriggerSequences, PaymentIntentSucceeded) {
  const auto run = run_trigger("payment_intent.succeeded");
  EXPECT_EQ(run->types(),
            (Types{"payment_intent.created", "charge.succeeded", "payment_intent.succeeded"}));
  const json::object& intent = run->object("payment_intent.succeeded");
  const json::object& charge = run->object("charge.succeeded");
  EXPECT_EQ(charge.at("payment_intent"), intent.at("id"));
  EXPECT_EQ(intent.at("latest_charge"), charge.at("id"));
  EXPECT_EQ(intent.at("amount"), json::value(2000));
  EXPECT_EQ(charge.at("amount"), json::value(2000));
  EXPECT_EQ(intent.at("status"), json::value("succeeded"));
  EXPECT_EQ(run->object("payment_intent.created").at("status"),
            json::value("requires_payment_method"));
  EXPECT_EQ(intent.at("shipping").at("address").at("city"), json::value("San Francisco"));
  EXPECT_EQ(intent.at("description"), json::value("(created by hookline trigger)"));
  EXPECT_EQ(run->result.answers.at("payment_intent").at("id"), intent.at("id"));
  EXPECT_NE(run->output.find(
                "Setting up fixture for: payment_intent\nRunning fixture for: payment_intent\n"),
            std::string::npos)
      << run->output;
}

TEST(TriggerSequences, CustomerSubscriptionCreated) {
  const auto run = run_trigger("customer.subscription.created");
  EXPECT_EQ(
      run->types(),
      (Types{"customer.created", "payment_method.attached", "product.created", "price.created",
             "customer.subscription.created", "invoice.created", "invoice.finalized",
             "charge.succeeded", "payment_intent.created", "payment_intent.succeeded",
             "invoice.paid", "invoice.payment_succeeded", "customer.subscription.updated"}));
  const json::value customer = run->object("customer.created");
  const json::value price = run->object("price.created");
  const json::object& subscription = run->object("customer.subscription.created");
  const json::object& invoice = run->object("invoice.paid");
  EXPECT_EQ(subscription.at("customer"), customer.at("id"));
  EXPECT_EQ(subscription.at("items").at("data").at(0).at("price").at("id"), price.at("id"));
  EXPECT_EQ(price.at("unit_amount"), json::value(1500));  // "1500" in the fixture: a number
  EXPECT_EQ(price.at("product"), run->object("product.created").at("id"));
  EXPECT_EQ(invoice.at("subscription"), subscription.at("id"));
  EXPECT_EQ(invoice.at("customer"), customer.at("id"));
  EXPECT_EQ(invoice.at("amount_paid"), json::value(1500));
  EXPECT_EQ(subscription.at("latest_invoice"), invoice.at("id"));
  EXPECT_EQ(run->object("charge.succeeded").at("payment_intent"), invoice.at("payment_intent"));
  const json::value updated = run->backend.events.back().data;
  EXPECT_EQ(updated.at("object").at("status"), json::value("active"));
  EXPECT_EQ(updated.at("previous_attributes"), json::parse(R"({"status":"incomplete"})"));
}

TEST(TriggerSequences, InvoicePaid) {
  const auto run = run_trigger("invoice.paid");
  EXPECT_EQ(
      run->types(),
      (Types{"customer.created", "payment_method.attached", "invoiceitem.created",
             "invoice.created", "invoice.finalized", "payment_intent.created", "charge.succeeded",
             "payment_intent.succeeded", "invoice.paid", "invoice.payment_succeeded"}));
  const json::object& invoice = run->object("invoice.paid");
  EXPECT_EQ(invoice.at("customer"), run->object("customer.created").at("id"));
  EXPECT_EQ(invoice.at("amount_paid"), json::value(2000));
  EXPECT_EQ(run->object("payment_method.attached").at("customer"), invoice.at("customer"));
  EXPECT_EQ(run->object("payment_intent.succeeded").at("payment_method"),
            run->object("payment_method.attached").at("id"));
}

TEST(TriggerSequences, CheckoutSessionCompleted) {
  const auto run = run_trigger("checkout.session.completed");
  EXPECT_EQ(run->types(),
            (Types{"product.created", "price.created", "payment_intent.created", "charge.succeeded",
                   "payment_intent.succeeded", "checkout.session.completed"}));
  const json::object& session = run->object("checkout.session.completed");
  EXPECT_EQ(session.at("amount_total"), json::value(3000));  // 2 × 1500
  EXPECT_EQ(session.at("payment_intent"), run->object("payment_intent.succeeded").at("id"));
  EXPECT_EQ(run->object("payment_intent.succeeded").at("amount"), json::value(3000));
  EXPECT_EQ(session.at("status"), json::value("complete"));
}

TEST(TriggerSequences, ChargeRefundedAndSkip) {
  const auto run = run_trigger("charge.refunded");
  EXPECT_EQ(run->types(), (Types{"payment_intent.created", "charge.succeeded",
                                 "payment_intent.succeeded", "charge.refunded", "refund.created"}));
  const json::object& charge = run->object("charge.refunded");
  EXPECT_EQ(charge.at("refunded"), json::value(true));
  EXPECT_EQ(charge.at("amount_refunded"), json::value(100));
  EXPECT_EQ(run->object("refund.created").at("charge"), charge.at("id"));
  EXPECT_EQ(run->object("refund.created").at("payment_intent"), charge.at("payment_intent"));

  FixtureRunOptions skip;
  skip.skip = {"refund"};
  const auto skipped = run_trigger("charge.refunded", skip);
  EXPECT_EQ(skipped->types(),
            (Types{"payment_intent.created", "charge.succeeded", "payment_intent.succeeded"}));
  EXPECT_NE(skipped->output.find("Skipping fixture for: refund"), std::string::npos);
}

TEST(TriggerSequences, ConnectedAccounts) {
  FixtureRunOptions on_account;
  on_account.stripe_account = "acct_given";
  const auto run = run_trigger("payment_intent.succeeded", on_account);
  for (const PublishedEvent& event : run->result.events) EXPECT_EQ(event.account, "acct_given");

  // A step creating a connected account uses the one given instead.
  const auto person = run_trigger("person.updated", on_account);
  EXPECT_EQ(person->backend.calls, (std::vector<std::string>{"GET /v1/accounts/acct_given"}));
  EXPECT_EQ(person->types(), (Types{"person.created", "person.updated"}));
  EXPECT_EQ(person->result.events.back().account, "acct_given");
  EXPECT_EQ(person->object("person.updated").at("account"), json::value("acct_given"));

  // Without one, the fixture creates it; the events happen on it.
  const auto payout = run_trigger("payout.failed");
  EXPECT_EQ(payout->backend.calls.front(), "POST /v1/accounts");
  EXPECT_EQ(payout->types(), (Types{"payout.created", "payout.failed"}));
  EXPECT_EQ(payout->result.events.back().account, "acct_made");

  // Account events are the server's own.
  const auto updated = run_trigger("account.updated");
  EXPECT_EQ(updated->backend.calls,
            (std::vector<std::string>{"POST /v1/accounts", "POST /v1/accounts/acct_made"}));
  EXPECT_EQ(updated->result.events.back().id, "evt_account.updated_acct_made");
  const auto deauthorized = run_trigger("account.application.deauthorized");
  EXPECT_EQ(deauthorized->backend.calls.back(), "POST /oauth/deauthorize");
  EXPECT_EQ(deauthorized->result.events.back().type, "account.application.deauthorized");
}

TEST(TriggerSequences, PreviousAttributesOfUpdates) {
  const auto run = run_trigger("customer.updated");
  ASSERT_EQ(run->backend.events.size(), 2u);
  const json::object& updated = run->backend.events[1].data;
  EXPECT_EQ(run->backend.events[1].type, "customer.updated");
  EXPECT_TRUE(updated.contains("previous_attributes")) << json::serialize(updated);
  EXPECT_EQ(updated.at("object").at("id"), run->object("customer.created").at("id"));
}

TEST(RunFixture, ResolvesTheFilesEnvFromTheAnswers) {
  const FixtureFile file = parse_fixture_file(R"({"fixtures":[
      {"name":"customer","path":"/v1/customers","method":"post","params":{"name":"Jenny"}}],
      "env":{"CUSTOMER":"${customer:id}","NAME":"${customer:name}"}})",
                                              "f.json");
  RecordingBackend backend;
  std::ostringstream out;
  const FixtureRunResult result = run_fixture(file, {}, backend, out);
  EXPECT_EQ(result.env.at("CUSTOMER"), result.answers.at("customer").at("id"));
  EXPECT_EQ(result.env.at("NAME"), json::value("Jenny"));
}

TEST(CheckFixtureRunnable, NamesTheStepAndPathItCannotModel) {
  const FixtureFile file = parse_fixture_file(R"({"fixtures":[
      {"name":"customer","path":"/v1/customers","method":"post"},
      {"name":"tax","path":"/v1/tax/calculations","method":"post"}]})",
                                              "f.json");
  try {
    check_fixture_runnable(file, {});
    FAIL() << "an unmodeled step was accepted";
  } catch (const FixtureFileError& error) {
    EXPECT_NE(std::string(error.what())
                  .find("Step \"tax\": hookline cannot model POST /v1/tax/calculations"),
              std::string::npos)
        << error.what();
  }
  EXPECT_NO_THROW(check_fixture_runnable(file, {"tax"}));
  RecordingBackend backend;
  std::ostringstream out;
  EXPECT_THROW(run_fixture(file, {}, backend, out), FixtureFileError);
  EXPECT_TRUE(backend.events.empty());  // nothing was published before the refusal
}

// A bank transfer for half of a customer_balance PaymentIntent: the funds are
// applied to the waiting intent, whose amount_remaining goes down.
TEST(TriggerSequences, PaymentIntentPartiallyFunded) {
  const auto run = run_trigger("payment_intent.partially_funded");
  EXPECT_EQ(run->types(), (Types{"customer.created", "payment_intent.created",
                                 "payment_intent.requires_action",
                                 "customer_cash_balance_transaction.created",
                                 "customer_cash_balance_transaction.created",
                                 "payment_intent.partially_funded"}));
  const json::object& waiting = run->object("payment_intent.requires_action");
  const json::object& funded = run->object("payment_intent.partially_funded");
  const auto remaining = [](const json::object& intent) {
    return intent.at("next_action").at("display_bank_transfer_instructions").at("amount_remaining");
  };
  EXPECT_EQ(remaining(waiting), json::value(20000));
  EXPECT_EQ(remaining(funded), json::value(10000));
  EXPECT_EQ(funded.at("status"), "requires_action");
  EXPECT_EQ(funded.at("customer"), run->object("customer.created").at("id"));
  const ModeledEvent& applied = run->backend.events[4];
  EXPECT_EQ(applied.data.at("object").at("type"), "applied_to_payment");
  EXPECT_EQ(applied.data.at("object").at("net_amount"), json::value(-10000));
  EXPECT_EQ(applied.data.at("object").at("applied_to_payment").at("payment_intent"),
            funded.at("id"));
  // Without an intent waiting for them, the funds stay in the cash balance.
  EXPECT_EQ(run_trigger("cash_balance.funds_available")->types(),
            (Types{"customer.created", "customer_cash_balance_transaction.created",
                   "cash_balance.funds_available"}));
}

TEST(TriggerSequences, IssuingTransactionWithAReceipt) {
  const auto run = run_trigger("issuing_transaction.purchase_details_receipt_updated");
  EXPECT_EQ(run->types(), (Types{"issuing_cardholder.created", "issuing_card.created",
                                 "issuing_transaction.created",
                                 "issuing_transaction.purchase_details_receipt_updated"}));
  const json::object& transaction =
      run->object("issuing_transaction.purchase_details_receipt_updated");
  EXPECT_EQ(transaction.at("card"), run->object("issuing_card.created").at("id"));
  EXPECT_EQ(transaction.at("purchase_details").at("receipt").at(0).at("unit_cost"),
            json::value(10000));
  EXPECT_EQ(run_trigger("issuing_transaction.created")->types().back(),
            "issuing_transaction.created");
}

// Every built-in trigger named after an event type produces that event; the
// few the model cannot produce are listed here, so that the README's count is
// this test's.
TEST(TriggerSequences, EveryTriggerProducesItsEvent) {
  const std::set<std::string> not_produced = {
      "subscription_schedule.aborted",
      "subscription_schedule.completed",
      "subscription_schedule.expiring",
      "v1.billing.meter.error_report_triggered",
      "v1.billing.meter.no_meter_found"};
  int produced = 0, event_names = 0;
  for (const std::string& name : trigger_names()) {
    if (!catalog::is_known_event_type(name) && !name.starts_with("v1.")) continue;
    ++event_names;
    const std::string_view* text = find_trigger_fixture(name);
    bool made = false;
    try {
      RecordingBackend backend;
      std::ostringstream out;
      FixtureRunOptions options;
      options.now = 1'767'225'600;
      const FixtureRunResult result =
          run_fixture(parse_fixture_file(*text, name), options, backend, out);
      for (const PublishedEvent& event : result.events) made = made || event.type == name;
    } catch (const std::exception& error) {
      EXPECT_TRUE(not_produced.contains(name)) << name << ": " << error.what();
    }
    EXPECT_EQ(made, !not_produced.contains(name)) << name;
    produced += made;
  }
  EXPECT_EQ(event_names, 130);
  EXPECT_EQ(produced, 125);
  // hookline's own event fixtures (fixtures/*.json, for `send --event`) all have a trigger.
  for (const Fixture& fixture : all_fixtures())
    EXPECT_NE(find_trigger_fixture(fixture.event), nullptr) << fixture.event;
}

}  // namespace
}  // namespace hookline::cli
