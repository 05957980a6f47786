#include "main/import_report.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "ingest/import_progress.h"

namespace spinlog {
namespace {

bool Before(const RecordProblem& a, const RecordProblem& b) { return a.origin < b.origin; }

void AppendProblems(const char* what, const ProblemList& list,
                    const std::vector<std::string>& inputs, std::string* out) {
  if (list.count() == 0) return;
  const std::vector<RecordProblem> kept = list.Sorted();
  *out += what;
  if (kept.size() < list.count()) {
    *out += " (first " + std::to_string(kept.size()) + " of " + ingest::FormatCount(list.count()) +
            "):\n";
  } else {
    *out += " (" + ingest::FormatCount(list.count()) + "):\n";
  }
  for (const RecordProblem& problem : kept) {
    const std::string& input =
        problem.origin.input < inputs.size() ? inputs[problem.origin.input] : "?";
    *out += "  " + input + ":" + std::to_string(problem.origin.line) + ": " + problem.text + "\n";
  }
  if (kept.size() < list.count()) {
    *out += "  ... and " + ingest::FormatCount(list.count() - kept.size()) + " more\n";
  }
}

}  // namespace

bool ProblemList::Wants(const RecordOrigin& origin) const {
  if (kept_.size() < keep_) return true;
  const auto last = std::max_element(kept_.begin(), kept_.end(), Before);
  return last != kept_.end() && origin < last->origin;
}

void ProblemList::Add(RecordProblem problem) {
  ++count_;
  if (kept_.size() < keep_) {
    kept_.push_back(std::move(problem));
    return;
  }
  const auto last = std::max_element(kept_.begin(), kept_.end(), Before);
  if (last != kept_.end() && problem.origin < last->origin) *last = std::move(problem);
}

void ProblemList::Merge(ProblemList other) {
  const std::uint64_t declined = other.count_ - other.kept_.size();
  for (RecordProblem& problem : other.kept_) Add(std::move(problem));
  count_ += declined;
}

std::vector<RecordProblem> ProblemList::Sorted() const {
  std::vector<RecordProblem> sorted = kept_;
  std::sort(sorted.begin(), sorted.end(), Before);
  return sorted;
}

std::string FormatImportSummary(const ImportReport& report, const std::vector<std::string>& inputs,
                                const std::string& data_dir, double seconds) {
  const std::uint64_t records = report.records();
  char timing[96];
  std::snprintf(timing, sizeof(timing), "%.2f s (%s plays/s)", seconds,
                ingest::FormatCount(
                    seconds > 0 ? static_cast<std::uint64_t>(static_cast<double>(records) / seconds)
                                : records)
                    .c_str());
  std::string out = "imported " + ingest::FormatCount(records) + " records from " +
                    std::to_string(inputs.size()) + (inputs.size() == 1 ? " file" : " files") +
                    " into " + data_dir + " in " + timing + "\n";
  out += "  created:    " + ingest::FormatCount(report.created) + "\n";
  out += "  duplicates: " + ingest::FormatCount(report.duplicates) + "\n";
  out += "  conflicts:  " + ingest::FormatCount(report.conflicts.count()) + "\n";
  out += "  invalid:    " + ingest::FormatCount(report.invalid.count()) + "\n";
  AppendProblems("invalid records", report.invalid, inputs, &out);
  AppendProblems("conflicts", report.conflicts, inputs, &out);
  const std::uint64_t not_stored = report.invalid.count() + report.conflicts.count();
  if (not_stored > 0) {
    out += ingest::FormatCount(not_stored) + (not_stored == 1 ? " record was" : " records were") +
           " not stored (see above); every other record is on disk.\n";
  }
  return out;
}

}  // namespace spinlog
