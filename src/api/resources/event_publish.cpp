// POST /v1/events (hookline's own): publishes an event on the account the call
// acts as, in the key's mode. Form-encoded (data[object][…], string values) or
// a JSON body (typed values). A Stripe-Version header sets the event's
// api_version (`hookline trigger --api-version`). Answers with the event as stored.
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
  StoredEvent event = request.context.publisher.publish(publish);
  // Deliveries may have succeeded already: answer with the count as it is now.
  if (std::optional<StoredEvent> stored = request.context.store.get_event(event.id)) event = *stored;
  return json_response(event_json(event));
}

}  // namespace

void add_event_publish_routes(RouteTable& routes) {
  routes.add("POST", "/v1/events", publish_event);
}

}  // namespace hookline::api
