// What `spinlog import` tells its user at the end: counts of each outcome,
// and where the first records that were not stored are (file:line) with why.
//
// Thread-safety: none; each pipeline thread fills its own report and they
// are merged at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace spinlog {

// Where a record came from: the index of its input among the command's
// files, and its line there (from 1).
struct RecordOrigin {
  std::uint32_t input = 0;
  std::uint64_t line = 0;
  auto operator<=>(const RecordOrigin&) const = default;
};

struct RecordProblem {
  RecordOrigin origin;
  // What is wrong, e.g. "start: 'x' is not a valid ISO 8601 datetime".
  std::string text;
};

// Counts problems and keeps the `keep` first of them in input order.
class ProblemList {
 public:
  // How many problems are listed in full. Default: 20
  static constexpr std::size_t kDefaultKeep = 20;

  explicit ProblemList(std::size_t keep = kDefaultKeep) : keep_(keep) {}

  // False when a problem at `origin` would not be among those kept, so that
  // callers can skip the cost of describing it.
  bool Wants(const RecordOrigin& origin) const;
  // Counts the problem, keeping it when it is among the first.
  void Add(RecordProblem problem);
  // Counts a problem that Wants() declined.
  void Count() { ++count_; }
  // Adds every problem of `other`.
  void Merge(ProblemList other);

  std::uint64_t count() const { return count_; }
  // The kept problems, in input order.
  std::vector<RecordProblem> Sorted() const;

 private:
  std::size_t keep_;
  std::uint64_t count_ = 0;
  std::vector<RecordProblem> kept_;  // at most keep_, in no particular order
};

struct ImportReport {
  std::uint64_t created = 0;
  std::uint64_t duplicates = 0;
  ProblemList conflicts;
  ProblemList invalid;
  std::uint64_t records() const {
    return created + duplicates + conflicts.count() + invalid.count();
  }
};

// The summary printed at the end, several lines, each ending in '\n'.
// `inputs` are the names of the command's inputs, by index.
std::string FormatImportSummary(const ImportReport& report, const std::vector<std::string>& inputs,
                                const std::string& data_dir, double seconds);

}  // namespace spinlog
