#pragma once
// Creates webhook endpoints over hookline's API (POST /v1/webhook_endpoints,
// form-encoded, one keep-alive connection), for the benchmarks' set-up.
#include <string>
#include <vector>

namespace bench {

struct CreatedEndpoint {
  std::string url;
  int status = 0;
  std::string id;  // we_…; empty when status != 200
  std::string error_body;
};

std::vector<CreatedEndpoint> create_endpoints(const std::string& host, unsigned short port,
                                              const std::string& api_key,
                                              const std::vector<std::string>& urls,
                                              const std::string& enabled_event);

}  // namespace bench
