#include "request_scanner.hpp"

#include <charconv>

namespace bench {

namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

ScannedRequest scan_request(std::string_view bytes) {
  ScannedRequest result;
  const std::size_t head_end = bytes.find("\r\n\r\n");
  if (head_end == std::string_view::npos) {
    if (bytes.size() > kMaxHeadBytes) result.status = ScannedRequest::Status::kInvalid;
    return result;
  }
  const std::string_view head = bytes.substr(0, head_end + 2);
  std::size_t line_end = head.find("\r\n");
  const std::string_view request_line = head.substr(0, line_end);
  result.is_count = request_line.starts_with("GET /count ");
  std::size_t content_length = 0;
  for (std::size_t at = line_end + 2; at < head.size(); at = line_end + 2) {
    line_end = head.find("\r\n", at);
    const std::string_view line = head.substr(at, line_end - at);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (iequals(name, "content-length")) {
      const auto [end, error] =
          std::from_chars(value.data(), value.data() + value.size(), content_length);
      if (error != std::errc() || end != value.data() + value.size() ||
          content_length > kMaxBodyBytes) {
        result.status = ScannedRequest::Status::kInvalid;
        return result;
      }
    } else if (iequals(name, "transfer-encoding")) {
      result.status = ScannedRequest::Status::kInvalid;  // chunked bodies are not read
      return result;
    } else if (iequals(name, "connection")) {
      result.close = iequals(value, "close");
    }
  }
  const std::size_t length = head_end + 4 + content_length;
  if (bytes.size() < length) return result;
  result.status = ScannedRequest::Status::kComplete;
  result.length = length;
  return result;
}

}  // namespace bench
