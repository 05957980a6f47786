#include "ingest/import_progress.h"

#include <algorithm>
#include <cmath>

#include "common/thread_name.h"

namespace spinlog::ingest {
namespace {

// "7s", "1m05s", "2h03m".
std::string FormatDuration(double seconds) {
  const auto total = static_cast<std::uint64_t>(std::ceil(std::max(seconds, 0.0)));
  char text[32];
  if (total < 60) {
    std::snprintf(text, sizeof(text), "%us", static_cast<unsigned>(total));
  } else if (total < 3600) {
    std::snprintf(text, sizeof(text), "%um%02us", static_cast<unsigned>(total / 60),
                  static_cast<unsigned>(total % 60));
  } else {
    std::snprintf(text, sizeof(text), "%lluh%02um", static_cast<unsigned long long>(total / 3600),
                  static_cast<unsigned>(total % 3600 / 60));
  }
  return text;
}

}  // namespace

std::string FormatCount(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string FormatProgress(const ProgressSnapshot& snapshot) {
  std::string line = FormatCount(snapshot.records) + " records";
  if (snapshot.seconds <= 0) return line;
  const double rate = static_cast<double>(snapshot.records) / snapshot.seconds;
  line += "  " + FormatCount(static_cast<std::uint64_t>(rate)) + " records/s";
  if (!snapshot.total_bytes || *snapshot.total_bytes == 0) return line;
  const std::uint64_t total = *snapshot.total_bytes;
  const std::uint64_t done = std::min(snapshot.bytes, total);
  line += "  " + std::to_string(done * 100 / total) + "%";
  if (done > 0) {
    const double byte_rate = static_cast<double>(done) / snapshot.seconds;
    line += "  ETA " + FormatDuration(static_cast<double>(total - done) / byte_rate);
  }
  return line;
}

ProgressReporter::ProgressReporter(std::FILE* out, std::optional<std::uint64_t> total_bytes,
                                   std::chrono::milliseconds interval)
    : out_(out),
      total_bytes_(total_bytes),
      interval_(interval),
      start_(std::chrono::steady_clock::now()),
      thread_([this] {
        NameCurrentThread("import-progress");
        Run();
      }) {}

ProgressReporter::~ProgressReporter() { Stop(); }

void ProgressReporter::Run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    ProgressSnapshot snapshot;
    snapshot.records = records_.load(std::memory_order_relaxed);
    snapshot.bytes = bytes_.load(std::memory_order_relaxed);
    snapshot.total_bytes = total_bytes_;
    snapshot.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(out_, "\r%s\x1b[K", FormatProgress(snapshot).c_str());
    std::fflush(out_);
  }
}

void ProgressReporter::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  std::fputs("\r\x1b[K", out_);
  std::fflush(out_);
}

}  // namespace spinlog::ingest
