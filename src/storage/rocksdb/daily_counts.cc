#include "storage/rocksdb/daily_counts.h"

#include <algorithm>
#include <limits>
#include <tuple>

#include "storage/rocksdb/key_codec.h"
#include "storage/rocksdb/record_codec.h"

namespace spinlog::storage::rocks {
namespace {

std::uint64_t ZigZag(std::int64_t value) {
  return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}

std::int64_t UnZigZag(std::uint64_t value) {
  return static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
}

class DailyCountsMergeOperator final : public rocksdb::AssociativeMergeOperator {
 public:
  bool Merge(const rocksdb::Slice& /*key*/, const rocksdb::Slice* existing,
             const rocksdb::Slice& value, std::string* new_value,
             rocksdb::Logger* /*logger*/) const override {
    if (existing == nullptr) {
      new_value->assign(value.data(), value.size());
      return true;
    }
    return MergeDailyCounts({existing->data(), existing->size()}, {value.data(), value.size()},
                            new_value);
  }
  // Persistent: stored in the OPTIONS file; never rename.
  const char* Name() const override { return "spinlog.DailyCounts"; }
};

}  // namespace

std::string DailyCountKey(ChannelId channel, std::int64_t day) {
  std::string key;
  key.reserve(kDailyCountKeySize);
  AppendUint32(&key, channel);
  AppendTime(&key, day);
  return key;
}

bool ParseDailyCountKey(std::string_view key, ChannelId* channel, std::int64_t* day) {
  if (key.size() != kDailyCountKeySize) return false;
  *channel = ReadUint32(key.data());
  *day = ReadTime(key.data() + 4);
  return true;
}

std::string EncodeDailyCounts(std::span<const SongPlayCount> counts) {
  std::string value;
  value.reserve(4 * counts.size());
  SongId previous = 0;
  for (const SongPlayCount& c : counts) {
    if (c.plays == 0) continue;
    AppendVarint(&value, c.song - previous);
    AppendVarint(&value, ZigZag(c.plays));
    previous = c.song;
  }
  return value;
}

bool DecodeDailyCounts(std::string_view value, std::vector<SongPlayCount>* counts) {
  std::uint64_t song = 0;
  bool first = true;
  while (!value.empty()) {
    std::uint64_t delta = 0;
    std::uint64_t plays = 0;
    if (!ConsumeVarint(&value, &delta) || !ConsumeVarint(&value, &plays)) return false;
    // Songs strictly increase (the first may be any id from 1).
    if ((!first && delta == 0) || song + delta > std::numeric_limits<SongId>::max()) return false;
    song += delta;
    first = false;
    counts->push_back({static_cast<SongId>(song), UnZigZag(plays)});
  }
  return true;
}

bool MergeDailyCounts(std::string_view a, std::string_view b, std::string* out) {
  std::vector<SongPlayCount> left;
  std::vector<SongPlayCount> right;
  if (!DecodeDailyCounts(a, &left) || !DecodeDailyCounts(b, &right)) return false;
  std::vector<SongPlayCount> sum;
  sum.reserve(left.size() + right.size());
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < left.size() || j < right.size()) {
    if (j == right.size() || (i < left.size() && left[i].song < right[j].song)) {
      sum.push_back(left[i++]);
    } else if (i == left.size() || right[j].song < left[i].song) {
      sum.push_back(right[j++]);
    } else {
      sum.push_back({left[i].song, left[i].plays + right[j].plays});
      ++i;
      ++j;
    }
  }
  *out = EncodeDailyCounts(sum);
  return true;
}

std::shared_ptr<rocksdb::MergeOperator> NewDailyCountsMergeOperator() {
  return std::make_shared<DailyCountsMergeOperator>();
}

void DailyCountsDelta::Add(const PlayRecord& play) {
  entries_.push_back({play.channel_id, DayOf(play.start), play.song_id});
}

std::vector<std::pair<std::string, std::string>> DailyCountsDelta::Operands() const {
  std::vector<Entry> sorted = entries_;
  // Plays added in key order (channel, start) come grouped by (channel, day)
  // already: then only each group's few songs need sorting, not the whole.
  const auto by_channel_day = [](const Entry& a, const Entry& b) {
    return std::tie(a.channel, a.day) < std::tie(b.channel, b.day);
  };
  if (std::is_sorted(sorted.begin(), sorted.end(), by_channel_day)) {
    for (auto group = sorted.begin(); group != sorted.end();) {
      const auto group_end = std::find_if(group, sorted.end(), [&group](const Entry& e) {
        return e.channel != group->channel || e.day != group->day;
      });
      std::sort(group, group_end);
      group = group_end;
    }
  } else {
    std::sort(sorted.begin(), sorted.end());
  }
  std::vector<std::pair<std::string, std::string>> operands;
  std::vector<SongPlayCount> counts;
  for (std::size_t i = 0; i < sorted.size();) {
    const Entry& first = sorted[i];
    counts.clear();
    while (i < sorted.size() && sorted[i].channel == first.channel && sorted[i].day == first.day) {
      const SongId song = sorted[i].song;
      std::int64_t plays = 0;
      for (; i < sorted.size() && sorted[i].channel == first.channel &&
             sorted[i].day == first.day && sorted[i].song == song;
           ++i) {
        ++plays;
      }
      counts.push_back({song, plays});
    }
    operands.emplace_back(DailyCountKey(first.channel, first.day), EncodeDailyCounts(counts));
  }
  return operands;
}

}  // namespace spinlog::storage::rocks
