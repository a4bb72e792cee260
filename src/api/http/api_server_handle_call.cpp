// The production constructor, apart so that a program which always passes its
// own CallHandler (the transport's tests) does not need handle_call linked in.
#include "api/api_server.hpp"

namespace hookline::api {

ApiServer::ApiServer(ApiContext& context, ApiServerOptions options, ListenAcceptor listen_acceptor)
    : ApiServer(context, std::move(options), std::move(listen_acceptor),
                [&context](const ApiCall& call) { return start_call(context, call); }) {}

}  // namespace hookline::api
