#pragma once
// One publishing run of the load generator: which event goes next and when it
// is due (at a fixed rate, or as fast as the connections go), and what became
// of each (send and ack times, the event id hookline returned, the status).
//
// Times are steady_clock nanoseconds, as in the benchmark receiver.
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace bench {

struct PublishOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 7420;
  std::string api_key;
  int connections = 16;
  int threads = 1;
  double rate = 0;               // events per second over all connections; 0: as fast as possible
  double duration_s = 0;         // stop taking new events after this long; 0: no limit
  int64_t count = 0;             // stop after this many events; 0: no limit
  std::size_t body_bytes = 807;  // each published JSON body: the delivered event is ~1 KiB
  std::string event_type = "customer.created";
};

struct PublishedEvent {
  int64_t index = 0;
  int64_t send_ns = 0;  // just before the request was written
  int64_t ack_ns = 0;   // when the response was read (0: none)
  int status = 0;       // HTTP status; 0: transport error
  std::string event_id;
};

class PublishRun {
 public:
  PublishRun(const PublishOptions& options, int64_t start_ns);

  // The next event to send and the time it is due (now or later at a fixed
  // rate), or nullopt when the run is over.
  struct Next {
    int64_t index;
    int64_t due_ns;
  };
  std::optional<Next> take_next(int64_t now_ns);

  // Each connection keeps its own records; they are handed over once at its end.
  void add_records(std::vector<PublishedEvent> records);
  void note_error_body(int status, const std::string& body);

  int64_t start_ns() const { return start_ns_; }
  const std::vector<PublishedEvent>& records() const { return records_; }
  const std::map<int, std::string>& first_error_bodies() const { return error_bodies_; }

 private:
  const PublishOptions& options_;
  const int64_t start_ns_;
  int64_t end_ns_ = 0;  // 0: no duration limit
  int64_t limit_ = 0;   // 0: no count limit
  std::atomic<int64_t> next_index_{0};
  std::mutex mutex_;  // guards the members below
  std::vector<PublishedEvent> records_;
  std::map<int, std::string> error_bodies_;
};

}  // namespace bench
