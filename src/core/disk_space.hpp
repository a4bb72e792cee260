#pragma once
// Free space on the file system that holds a directory (the data dir), for
// the store's checkpoints under space pressure and for /metrics.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace hookline {

// Bytes an unprivileged process may still write where `directory` lives;
// nullopt when the file system cannot be asked (the directory is gone, …).
std::optional<uint64_t> available_bytes(const std::string& directory);

// A reading of free space, injectable so that tests need not fill a disk.
using FreeSpaceProbe = std::function<std::optional<uint64_t>()>;

}  // namespace hookline
