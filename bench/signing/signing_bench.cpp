// bench_signing: figure P7 of the benchmarks — hookline::verify_signature of a
// 1 KiB, 16 KiB and 256 KiB body, next to a raw HMAC-SHA256 of the same bytes in
// the same run. The figure is the throughput ratio verify / raw HMAC
// (= raw time / verify time; target ≥ 0.8 at 1 KiB): what header parsing, the
// "<t>." prefix and the constant-time compare cost on top of the HMAC itself.
//
//   bench_signing [--p7_json=FILE] [Google Benchmark flags]
//
// By default each benchmark runs 3 times, interleaved at random; the ratio is
// computed per repetition and reported as median, min and max. --p7_json writes
// the figures as JSON for the benchmark report.
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "hookline/webhook.hpp"
#include "signing/hmac_sha256.hpp"

namespace {

constexpr char kSecret[] = "whsec_9aXr2LmQ7tVb4KcN8pZs1YdF6gHj3WeR";
constexpr std::int64_t kT = 1750000000;
const std::vector<int> kSizes = {1 << 10, 16 << 10, 256 << 10};

// A realistic event body, padded (inside data.object) to exactly `size` bytes.
std::string body_of_size(std::size_t size) {
  const std::string head =
      R"({"id":"evt_1QxBenchSigning000000000","object":"event","api_version":"2026-10-28.endive",)"
      R"("created":1750000000,"livemode":false,"pending_webhooks":1,"request":{"id":null,)"
      R"("idempotency_key":null},"type":"payment_intent.succeeded","account":"acct_1QxBench0000000",)"
      R"("data":{"object":{"id":"pi_1QxBench00000000000000","object":"payment_intent",)"
      R"("amount":2000,"currency":"usd","description":")";
  const std::string tail = R"("}}})";
  std::string body = head;
  std::size_t i = 0;
  while (body.size() + tail.size() < size)
    body += "abcdefghijklmnopqrstuvwxyz0123456789 "[i++ % 37];
  return body + tail;
}

void BM_RawHmac(benchmark::State& state) {
  const std::string body = body_of_size(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(hookline::signing::hmac_sha256(kSecret, body));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}

// OpenSSL's one-shot HMAC(): a second reference (it fetches the algorithm per call).
void BM_RawHmacOneShot(benchmark::State& state) {
  const std::string body = body_of_size(static_cast<std::size_t>(state.range(0)));
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(HMAC(EVP_sha256(), kSecret, static_cast<int>(std::strlen(kSecret)),
                                  reinterpret_cast<const unsigned char*>(body.data()), body.size(),
                                  out, &len));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}

void BM_Verify(benchmark::State& state) {
  const std::string body = body_of_size(static_cast<std::size_t>(state.range(0)));
  // As hookline sends while a secret is rolled, in test mode: two v1 (the
  // matching one second) and a fake v0.
  const std::string old_sig = hookline::generate_test_header(body, "whsec_old", kT).substr(16);
  const std::string header = "t=1750000000,v1=" + old_sig + "," +
                             hookline::generate_test_header(body, kSecret, kT).substr(13) +
                             ",v0=" + std::string(64, 'e');
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(kT + 1));
  for (auto _ : state) {
    hookline::verify_signature(body, header, kSecret, hookline::kDefaultTolerance, now);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}

// For information: verify plus JSON parsing into an Event.
void BM_ConstructEvent(benchmark::State& state) {
  const std::string body = body_of_size(static_cast<std::size_t>(state.range(0)));
  const std::string header = hookline::generate_test_header(body, kSecret, kT);
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(kT + 1));
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        hookline::construct_event(body, header, kSecret, hookline::kDefaultTolerance, now));
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * body.size()));
}

BENCHMARK(BM_RawHmac)->ArgName("bytes")->Arg(1 << 10)->Arg(16 << 10)->Arg(256 << 10);
BENCHMARK(BM_RawHmacOneShot)->ArgName("bytes")->Arg(1 << 10)->Arg(16 << 10)->Arg(256 << 10);
BENCHMARK(BM_Verify)->ArgName("bytes")->Arg(1 << 10)->Arg(16 << 10)->Arg(256 << 10);
BENCHMARK(BM_ConstructEvent)->ArgName("bytes")->Arg(1 << 10)->Arg(16 << 10)->Arg(256 << 10);

// Collects the time per iteration of every repetition, by benchmark name.
class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
      times_[run.run_name.str()].push_back(run.GetAdjustedRealTime());
    }
    ConsoleReporter::ReportRuns(runs);
  }
  const std::vector<double>& times(const std::string& name) { return times_[name]; }

 private:
  std::map<std::string, std::vector<double>> times_;
};

struct Spread {
  double median = 0, min = 0, max = 0;
};

Spread spread(std::vector<double> v) {
  if (v.empty()) return {};
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  const double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return {median, v.front(), v.back()};
}

bool has_flag(int argc, char** argv, const char* prefix) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], prefix, std::strlen(prefix)) == 0) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::string json_path;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--p7_json=", 10) == 0) {
      json_path = argv[i] + 10;
    } else {
      args.push_back(argv[i]);
    }
  }
  std::string repetitions = "--benchmark_repetitions=3";
  std::string interleave = "--benchmark_enable_random_interleaving=true";
  if (!has_flag(argc, argv, "--benchmark_repetitions")) args.push_back(repetitions.data());
  if (!has_flag(argc, argv, "--benchmark_enable_random_interleaving")) {
    args.push_back(interleave.data());
  }
  int n = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  // The ratio per repetition, against the faster of the two raw references.
  std::printf("\nP7  signature verify vs raw HMAC-SHA256 of the same bytes (throughput ratio)\n");
  std::printf("%-9s %14s %14s %14s   %s\n", "body", "raw HMAC ns", "one-shot ns", "verify ns",
              "verify/raw: median [min, max]");
  std::string json = "{\"figure\":\"P7\",\"what\":\"signature verify / raw HMAC-SHA256\",";
  json += "\"target\":0.8,\"sizes\":{";
  bool met = false;
  bool first = true;
  for (int size : kSizes) {
    const std::string arg = "/bytes:" + std::to_string(size);
    const auto& raw = reporter.times("BM_RawHmac" + arg);
    const auto& one_shot = reporter.times("BM_RawHmacOneShot" + arg);
    const auto& verify = reporter.times("BM_Verify" + arg);
    std::vector<double> ratios;
    for (std::size_t i = 0; i < verify.size() && i < raw.size(); ++i) {
      double reference = raw[i];
      if (i < one_shot.size()) reference = std::min(reference, one_shot[i]);
      ratios.push_back(reference / verify[i]);
    }
    if (ratios.empty()) continue;  // filtered out
    const Spread r = spread(ratios);
    const std::string label =
        size >= 1024 ? std::to_string(size / 1024) + " KiB" : std::to_string(size) + " B";
    std::printf("%-9s %14.0f %14.0f %14.0f   %.3f [%.3f, %.3f]\n", label.c_str(),
                spread(raw).median, spread(one_shot).median, spread(verify).median, r.median, r.min,
                r.max);
    char entry[256];
    std::snprintf(entry, sizeof entry,
                  "%s\"%d\":{\"raw_hmac_ns\":%.1f,\"verify_ns\":%.1f,\"ratio_median\":%.4f,"
                  "\"ratio_min\":%.4f,\"ratio_max\":%.4f,\"runs\":%zu}",
                  first ? "" : ",", size, spread(raw).median, spread(verify).median, r.median,
                  r.min, r.max, ratios.size());
    json += entry;
    first = false;
    if (size == 1024) met = r.median >= 0.8;
  }
  json += "},\"met\":";
  json += met ? "true" : "false";
  json += "}\n";
  std::printf("P7 (1 KiB) target >= 0.8: %s\n", met ? "met" : "NOT met");
  if (!json_path.empty()) std::ofstream(json_path) << json;
  return 0;
}
