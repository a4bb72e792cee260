#include "core/disk_space.hpp"

#include <filesystem>

namespace hookline {

std::optional<uint64_t> available_bytes(const std::string& directory) {
  std::error_code ec;
  const std::filesystem::space_info space = std::filesystem::space(directory, ec);
  if (ec) return std::nullopt;
  return static_cast<uint64_t>(space.available);
}

}  // namespace hookline
