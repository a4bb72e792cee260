#pragma once
// What the load generator prints at the end of a publishing run: a JSON
// summary, and optionally one line per event ("<event id> <send ns> <ack ns>
// <status>") for the latency figure.
#include <string>

#include "publish_run.hpp"

namespace bench {

std::string publish_summary_json(const PublishRun& run, const PublishOptions& options,
                                 int64_t end_ns);
void write_events_file(const PublishRun& run, const std::string& path);

}  // namespace bench
