// bench_curl_floor: how much CPU libcurl itself spends per request, the way
// hookline's sender uses it (a multi handle, keep-alive connections, one
// 1 KiB JSON POST per transfer, a reused easy handle per connection), against
// a receiver on loopback (bench/sink). It prints this process's CPU time (user
// + system, from getrusage) per request: a floor under what any delivery can
// cost hookline's dispatcher thread, since the sender adds the signature, the
// headers, the bookkeeping and the outcome on top. Compare it with wrk's CPU
// per request against the same sink (bench/run.sh's CPU budget table).
//
//   bench_curl_floor --url http://127.0.0.1:PORT/floor [--connections 32] [--requests 200000]
#include <curl/curl.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace {

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::size_t discard_body(char*, std::size_t size, std::size_t count, void*) { return size * count; }

// One connection's easy handle: the same handle is added again after each
// transfer, so libcurl reuses its kept-alive connection.
CURL* make_transfer(const std::string& url, const std::string& body, curl_slist* headers) {
  CURL* easy = curl_easy_init();
  curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
  curl_easy_setopt(easy, CURLOPT_POST, 1L);
  curl_easy_setopt(easy, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, discard_body);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_TCP_NODELAY, 1L);
  return easy;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"bench_curl_floor: libcurl's own CPU per request (1 KiB POST, keep-alive)"};
  std::string url;
  int connections = 32;
  long requests = 200000;
  app.add_option("--url", url, "the receiver, e.g. http://127.0.0.1:PORT/floor")->required();
  app.add_option("--connections", connections, "transfers in flight")->check(CLI::Range(1, 1024));
  app.add_option("--requests", requests, "requests in all")->check(CLI::Range(1L, 100000000L));
  CLI11_PARSE(app, argc, argv);

  curl_global_init(CURL_GLOBAL_DEFAULT);
  const std::string body = "{\"id\":\"evt_floor\",\"object\":\"event\",\"data\":{\"object\":{\"pad\":\"" +
                           std::string(960, 'x') + "\"}}}";
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");
  CURLM* multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, static_cast<long>(connections));
  std::vector<CURL*> transfers;
  long started = 0;
  for (int i = 0; i < connections && started < requests; ++i, ++started) {
    transfers.push_back(make_transfer(url, body, headers));
    curl_multi_add_handle(multi, transfers.back());
  }

  const double cpu_start = cpu_seconds();
  const auto wall_start = std::chrono::steady_clock::now();
  long done = 0;
  long failed = 0;
  int running = 1;
  while (done < requests) {
    curl_multi_perform(multi, &running);
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      CURL* easy = message->easy_handle;
      long status = 0;
      curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
      if (message->data.result != CURLE_OK || status != 200) ++failed;
      ++done;
      curl_multi_remove_handle(multi, easy);
      if (started < requests) {
        ++started;
        curl_multi_add_handle(multi, easy);
      }
    }
    if (done < requests) curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
  }
  const double cpu = cpu_seconds() - cpu_start;
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  std::printf(
      "curl_floor_json {\"requests\":%ld,\"failed\":%ld,\"seconds\":%.3f,\"requests_per_s\":%.1f,"
      "\"cpu_us_per_request\":%.2f,\"libcurl\":\"%s\"}\n",
      done, failed, wall, done / wall, cpu * 1e6 / done, curl_version_info(CURLVERSION_NOW)->version);
  for (CURL* easy : transfers) curl_easy_cleanup(easy);
  curl_multi_cleanup(multi);
  curl_slist_free_all(headers);
  curl_global_cleanup();
  return failed == 0 ? 0 : 1;
}
