// POST /v1/events (hookline's own): publishes an event on the account the call
// acts as, in the key's mode. Form-encoded (data[object][…], string values) or
// a JSON body (typed values). A Stripe-Version header sets the event's
// api_version (`hookline trigger --api-version`). Answers with the event as
// written (pending_webhooks: the endpoints it was routed to), once it is
// durable: the answer is rendered before the commit and sent from its
// completion, so no handler thread waits for the group commit.
#include <memory>

#include "api/api_error.hpp"
#include "api/resources/object_json.hpp"
#include "api/resources/params.hpp"
#include "api/resources/resource_routes.hpp"

namespace hookline::api {

namespace {

ApiResponse publish_event(const Request& request) {
  const ApiCall& call = request.call;
  Params params(call.params);
  params.ignore("expand");
  PublishRequest publish;
  publish.type = params.required_string("type");
  const boost::json::object* data = params.object("data");
  if (data == nullptr) throw ApiError::missing_parameter("data[object]");
  Params data_params(*data, "data");
  const boost::json::object* object = data_params.object("object");
  if (object == nullptr) throw ApiError::missing_parameter("data[object]");
  publish.data_object = *object;
  if (const boost::json::object* previous = data_params.object("previous_attributes")) {
    publish.previous_attributes = boost::json::value(*previous);
  }
  data_params.reject_unknown();
  params.reject_unknown();

  publish.account_id = call.account_id;
  publish.livemode = call.livemode;
  publish.request_id = call.request_id;
  publish.idempotency_key = call.idempotency_key;
  publish.api_version = call.stripe_version;  // checked to be published by the pipeline
  EventPublisher& publisher = request.context.publisher;
  auto prepared = std::make_shared<PreparedEvent>(publisher.prepare(publish));
  ApiResponse response = json_response(event_json(prepared->row.event));
  response.commit = [&publisher, prepared](std::optional<IdempotentRecord> keep, CommitDone done) {
    prepared->row.idempotent = std::move(keep);
    publisher.commit_async(std::move(*prepared), std::move(done));
  };
  return response;
}

}  // namespace

void add_event_publish_routes(RouteTable& routes) {
  routes.add("POST", "/v1/events", publish_event);
}

}  // namespace hookline::api
