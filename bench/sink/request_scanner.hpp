#pragma once
// Finds where each HTTP/1.1 request ends in a connection's bytes, reading only
// what that takes: the header block and its Content-Length. The epoll sink's
// whole understanding of HTTP.
#include <cstddef>
#include <string_view>

namespace bench {

struct ScannedRequest {
  enum class Status {
    kIncomplete,  // more bytes are needed
    kComplete,    // `length` bytes (head and body) make one request
    kInvalid,     // not a request the sink serves: the connection is closed
  };
  Status status = Status::kIncomplete;
  std::size_t length = 0;
  bool is_count = false;  // GET /count: answered with the count, not counted
  bool close = false;     // Connection: close
};

// Headers longer than this without their blank line are invalid.
inline constexpr std::size_t kMaxHeadBytes = 64 * 1024;
// A larger Content-Length is invalid.
inline constexpr std::size_t kMaxBodyBytes = 64 * 1024 * 1024;

// The request at the front of `bytes`.
ScannedRequest scan_request(std::string_view bytes);

}  // namespace bench
