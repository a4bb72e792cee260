#pragma once
// The JSON body the load generator publishes: a customer-like data.object
// padded (in its description) so that the body is `size` bytes.
#include <cstddef>
#include <cstdint>
#include <string>

namespace bench {

std::string event_request_body(const std::string& type, int64_t index, std::size_t size);

}  // namespace bench
