#pragma once
// The parts of a Beast request that the pipeline reads (views into it), for
// the transport (api_server.cpp) and anything that drives the pipeline without
// sockets (the http_request fuzzer). Beast stays out of request_pipeline.hpp.
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "api/http/request_pipeline.hpp"

namespace hookline::api {

inline HttpRequestView view_of(
    const boost::beast::http::request<boost::beast::http::string_body>& request) {
  namespace http = boost::beast::http;
  HttpRequestView view;
  view.method = request.method_string();
  view.target = request.target();
  view.authorization = request[http::field::authorization];
  view.stripe_account = request["Stripe-Account"];
  view.idempotency_key = request["Idempotency-Key"];
  view.content_type = request[http::field::content_type];
  view.stripe_version = request["Stripe-Version"];
  view.if_none_match = request[http::field::if_none_match];
  view.body = request.body();
  return view;
}

}  // namespace hookline::api
