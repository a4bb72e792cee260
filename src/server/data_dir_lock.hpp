#pragma once
// One server per data directory: `hookline serve` holds an exclusive flock on
// <data dir>/hookline.lock for its whole life, so a second server on the same
// directory (which would share the SQLite file but not the in-memory
// idempotency and dispatch state) refuses to start. The kernel drops the lock
// when the process ends, however it ends; the file itself stays.
#include <string>

namespace hookline {

class DataDirLock {
 public:
  // Takes the lock, creating the lock file if needed, and writes this
  // process's pid into it. Throws std::runtime_error naming the directory
  // (and the pid of the holder, when it can be read) if another process holds
  // it, or if the file cannot be opened.
  explicit DataDirLock(const std::string& data_dir);
  ~DataDirLock();  // releases the lock
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace hookline
