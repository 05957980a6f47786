// The "daily_counts" column family: (channel id, day) -> plays per song that
// start on that UTC day. Charts rebuild their in-memory rollup from it at
// start instead of reading every play (W2: 60,000 values instead of 30
// million plays).
//
// Every insert adds to it in the same atomic write as the plays, with a merge
// operand (the created plays' counts) rather than a read-modify-write, so that
// writers never read it; RocksDB adds operands up (DailyCountsMergeOperator)
// on reads and in compactions.
//
// Value: the counts sorted by song id, each as varint(song id - previous
// song id) then varint(zigzag(count)); counts are signed so that a future
// operand can take plays away (merging songs), and zero counts are dropped.
//
// Thread-safety: free functions over values; the merge operator is stateless.
#pragma once

#include <rocksdb/merge_operator.h>

#include <compare>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/records.h"

namespace spinlog::storage::rocks {

inline constexpr char kDailyCountsFamily[] = "daily_counts";
inline constexpr std::size_t kDailyCountKeySize = 12;

// channel id (4 bytes, big-endian), then the day like a time (8 bytes).
std::string DailyCountKey(ChannelId channel, std::int64_t day);
bool ParseDailyCountKey(std::string_view key, ChannelId* channel, std::int64_t* day);

// REQUIRES: `counts` sorted by song, songs distinct.
std::string EncodeDailyCounts(std::span<const SongPlayCount> counts);
// Appends the decoded counts to *counts; false when `value` is malformed.
bool DecodeDailyCounts(std::string_view value, std::vector<SongPlayCount>* counts);

// Adds up two encoded values (or operands) into *out; false when either is
// malformed.
bool MergeDailyCounts(std::string_view a, std::string_view b, std::string* out);

std::shared_ptr<rocksdb::MergeOperator> NewDailyCountsMergeOperator();

// The counts that a set of created plays adds, as sorted (key, operand)
// pairs ready for a WriteBatch or an SST file.
class DailyCountsDelta {
 public:
  // Plays may come in any order; in key order (channel, start) Operands
  // sorts least.
  void Add(const PlayRecord& play);
  std::vector<std::pair<std::string, std::string>> Operands() const;

 private:
  // One per play added, summed up by Operands: a batch's thousands of plays
  // cost one sort instead of a tree node each.
  struct Entry {
    ChannelId channel;
    std::int64_t day;
    SongId song;
    auto operator<=>(const Entry&) const = default;
  };
  std::vector<Entry> entries_;
};

}  // namespace spinlog::storage::rocks
