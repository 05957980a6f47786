#include "domain/play_service.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "domain/play_namer.h"
#include "domain/play_rules.h"
#include "text/datetime.h"

namespace spinlog::domain {
namespace {

std::string DescribeConflict(CatalogueService* catalogue, const PlayByNames& play,
                             const storage::PlayRecord& existing) {
  std::string message = "channel '" + play.channel + "' already has a play starting at " +
                        text::FormatDatetimeSeconds(play.start) + ": ";
  PlayNamer namer(catalogue);
  Result<const PlayNamer::SongNames*> names = namer.Song(existing.song_id);
  if (names.ok()) {
    message += "'" + (*names)->title + "' by '" + (*names)->performer + "'";
  } else {
    message += "song #" + std::to_string(existing.song_id);
  }
  return message + " until " + text::FormatDatetimeSeconds(existing.end);
}

}  // namespace

const char* PlayOutcomeName(PlayOutcome outcome) {
  switch (outcome) {
    case PlayOutcome::kCreated: return "created";
    case PlayOutcome::kDuplicate: return "duplicate";
    case PlayOutcome::kConflict: return "conflict";
    case PlayOutcome::kInvalid: return "invalid";
  }
  return "invalid";
}

std::array<std::uint64_t, kPlayOutcomeCount> PlayService::OutcomeCounts() const {
  std::array<std::uint64_t, kPlayOutcomeCount> counts{};
  for (std::size_t i = 0; i < counts.size(); ++i) {
    counts[i] = outcomes_[i].load(std::memory_order_relaxed);
  }
  return counts;
}

PlayService::PlayService(storage::Store* store, CatalogueService* catalogue,
                         ingest::PlayCommitter* committer)
    : store_(store), catalogue_(catalogue), committer_(committer) {}

void PlayService::AddPlay(PlayByNames play, AddPlayCallback done) {
  // The common case: channel and song are known (cached lookups), so nothing
  // needs creating and the committer's write alone tells created, duplicate
  // and conflict apart. No store read on this thread: over PostgreSQL it
  // would be a round trip per request on the event loop.
  Result<storage::ChannelRecord> known_channel = catalogue_->FindChannel(play.channel);
  if (known_channel.ok()) {
    Result<storage::SongRecord> known_song = catalogue_->FindSong(play.performer, play.title);
    if (known_song.ok()) {
      return SubmitPlay({known_channel->id, play.start, play.end, known_song->id},
                        std::move(play), std::move(done));
    }
  }

  // Something is missing. A play that is already stored is answered here,
  // before anything is created: a duplicate needs no write, and a conflict
  // must not leave a new song or performer behind.
  Result<std::optional<storage::PlayRecord>> stored = FindStoredPlay(play.channel, play.start);
  if (!stored.ok()) return done(stored.status());
  if (stored->has_value()) {
    const storage::PlayRecord& existing = **stored;
    Result<storage::SongRecord> song = catalogue_->FindSong(play.performer, play.title);
    if (song.ok() && song->id == existing.song_id && existing.end == play.end) {
      Count(PlayOutcome::kDuplicate);
      return done(std::move(play));
    }
    if (!song.ok() && !song.status().IsNotFound()) return done(song.status());
    Count(PlayOutcome::kConflict);
    return done(Status::Conflict(DescribeConflict(catalogue_, play, existing)));
  }

  Result<storage::ChannelRecord> channel = catalogue_->AddChannel(play.channel);
  if (!channel.ok()) return done(channel.status());
  Result<storage::SongRecord> song = catalogue_->AddSong(play.performer, play.title);
  if (!song.ok()) return done(song.status());
  SubmitPlay({channel->id, play.start, play.end, song->id}, std::move(play), std::move(done));
}

void PlayService::SubmitPlay(storage::PlayRecord record, PlayByNames play, AddPlayCallback done) {
  // The callback owns the play's names; the committer thread answers with them.
  auto shared_done = std::make_shared<AddPlayCallback>(std::move(done));
  auto shared_play = std::make_shared<PlayByNames>(std::move(play));
  Status queued = committer_->Submit(
      {record},
      [this, shared_done, shared_play](Result<std::vector<storage::PlayInsertResult>> results) {
        if (!results.ok()) return (*shared_done)(results.status());
        const storage::PlayInsertResult& result = results->front();
        if (result.outcome == storage::PlayInsertOutcome::kConflict) {
          Count(PlayOutcome::kConflict);
          return (*shared_done)(
              Status::Conflict(DescribeConflict(catalogue_, *shared_play, result.existing)));
        }
        Count(result.outcome == storage::PlayInsertOutcome::kDuplicate ? PlayOutcome::kDuplicate
                                                                       : PlayOutcome::kCreated);
        (*shared_done)(std::move(*shared_play));
      });
  if (!queued.ok()) (*shared_done)(queued);
}

namespace {

// The channel and song names of a batch, each looked up once: a batch names
// few channels and songs many times over, and each catalogue lookup copies
// whole records under a lock (bulk ingest spends its event loops' time
// here; docs/benchmarks.md). Entries never move once made, so plays point
// at their names instead of copying them: answers that leave created plays
// unnamed (PlayEcho::kConflictsOnly) never copy a name.
class BatchNames {
 public:
  struct Channel {
    storage::ChannelId id = 0;
    std::string name;
  };
  struct Song {
    storage::SongId id = 0;
    std::string performer;
    std::string title;
  };

  explicit BatchNames(CatalogueService* catalogue) : catalogue_(catalogue) {}

  // The channel, created when missing.
  const Result<Channel>& ChannelNamed(const std::string& name) {
    return Memo(channels_by_name_, name, [&] { return ChannelOf(catalogue_->AddChannel(name)); });
  }

  // The song, created (with its performer) when missing.
  const Result<Song>& SongNamed(std::string_view performer, std::string_view title) {
    return Memo(songs_by_name_, NamePair{performer, title}, [&]() -> Result<Song> {
      Result<storage::SongRecord> song = catalogue_->AddSong(performer, title);
      if (!song.ok()) return song.status();
      return Song{song->id, std::string(performer), std::move(song->title)};
    });
  }

  // The channel with id `id`; NotFound when there is none.
  const Result<Channel>& ChannelWithId(storage::ChannelId id) {
    return Memo(channels_by_id_, id, [&] { return ChannelOf(catalogue_->GetChannel(id)); });
  }

  // The song with id `id` and its performer's name; NotFound when there is
  // no such song.
  const Result<Song>& SongWithId(storage::SongId id) {
    return Memo(songs_by_id_, id, [&] { return LookUpSong(id); });
  }

 private:
  // Songs are found by views of the batch's own strings, so a lookup that
  // hits (nearly every play of a batch) copies no name.
  using NamePair = std::pair<std::string_view, std::string_view>;
  struct NamePairHash {
    using is_transparent = void;
    std::size_t operator()(NamePair p) const {
      const std::hash<std::string_view> h;
      return h(p.first) * 31 + h(p.second);
    }
  };
  struct NamePairEqual {
    using is_transparent = void;
    bool operator()(NamePair a, NamePair b) const { return a == b; }
  };

  // The entry for `key`, made by `look_up` the first time it is asked for.
  template <typename Map, typename Key, typename LookUp>
  static const typename Map::mapped_type& Memo(Map& map, const Key& key, LookUp look_up) {
    auto it = map.find(key);
    if (it != map.end()) return it->second;
    return map.emplace(typename Map::key_type(key), look_up()).first->second;
  }

  static Result<Channel> ChannelOf(Result<storage::ChannelRecord> channel) {
    if (!channel.ok()) return channel.status();
    return Channel{channel->id, std::move(channel->name)};
  }

  Result<Song> LookUpSong(storage::SongId id) {
    Result<storage::SongRecord> song = catalogue_->GetSong(id);
    if (!song.ok()) return song.status();
    Result<storage::PerformerRecord> performer = catalogue_->GetPerformer(song->performer_id);
    if (!performer.ok()) return performer.status();
    return Song{song->id, std::move(performer->name), std::move(song->title)};
  }

  CatalogueService* catalogue_;
  std::unordered_map<std::string, Result<Channel>> channels_by_name_;
  std::unordered_map<std::pair<std::string, std::string>, Result<Song>, NamePairHash, NamePairEqual>
      songs_by_name_;
  std::unordered_map<storage::ChannelId, Result<Channel>> channels_by_id_;
  std::unordered_map<storage::SongId, Result<Song>> songs_by_id_;
};

// A batch item resolved to records and names, or the reasons it cannot be.
struct ResolvedPlay {
  storage::PlayRecord record;
  // Into the batch's BatchNames, when resolved.
  const BatchNames::Channel* channel = nullptr;
  const BatchNames::Song* song = nullptr;
  std::vector<FieldViolation> problems;
};

// What a batch keeps until its answer: the items and the names they point at.
struct ResolvedBatch {
  explicit ResolvedBatch(CatalogueService* catalogue) : names(catalogue) {}
  BatchNames names;
  std::vector<ResolvedPlay> plays;
};

}  // namespace

void PlayService::AddPlays(std::vector<PlayInput> inputs, PlayEcho echo, AddPlaysCallback done) {
  auto batch = std::make_shared<ResolvedBatch>(catalogue_);
  batch->plays.resize(inputs.size());
  std::vector<storage::PlayRecord> records;
  records.reserve(inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const PlayInput& in = inputs[i];
    ResolvedPlay& out = batch->plays[i];
    const Result<BatchNames::Channel>& channel = in.channel_id != 0
                                                     ? batch->names.ChannelWithId(in.channel_id)
                                                     : batch->names.ChannelNamed(in.channel);
    if (channel.status().IsNotFound()) {
      out.problems.push_back({"channel_id", channel.status().message()});
    } else if (!channel.ok()) {
      return done(channel.status());
    } else {
      out.channel = &*channel;
    }
    const Result<BatchNames::Song>& song = in.song_id != 0
                                               ? batch->names.SongWithId(in.song_id)
                                               : batch->names.SongNamed(in.performer, in.title);
    if (song.status().IsNotFound()) {
      out.problems.push_back({"song_id", song.status().message()});
    } else if (!song.ok()) {
      return done(song.status());
    } else {
      out.song = &*song;
    }
    if (!out.problems.empty()) continue;
    out.record = {out.channel->id, in.start, in.end, out.song->id};
    records.push_back(out.record);
  }

  auto shared_done = std::make_shared<AddPlaysCallback>(std::move(done));
  auto finish = [this, batch, echo,
                 shared_done](Result<std::vector<storage::PlayInsertResult>> stored) {
    if (!stored.ok()) return (*shared_done)(stored.status());
    std::vector<PlayResult> results(batch->plays.size());
    PlayNamer namer(catalogue_);
    std::size_t next = 0;  // index into `stored`, which skips invalid items
    for (std::size_t i = 0; i < batch->plays.size(); ++i) {
      ResolvedPlay& item = batch->plays[i];
      PlayResult& result = results[i];
      if (!item.problems.empty()) {
        result.outcome = PlayOutcome::kInvalid;
        result.problems = std::move(item.problems);
        continue;
      }
      const storage::PlayInsertResult& insert = (*stored)[next++];
      switch (insert.outcome) {
        case storage::PlayInsertOutcome::kCreated:
          result.outcome = PlayOutcome::kCreated;
          break;
        case storage::PlayInsertOutcome::kDuplicate:
          result.outcome = PlayOutcome::kDuplicate;
          break;
        case storage::PlayInsertOutcome::kConflict:
          result.outcome = PlayOutcome::kConflict;
          break;
      }
      if (result.outcome != PlayOutcome::kConflict && echo == PlayEcho::kConflictsOnly) continue;
      result.play = {item.channel->name, item.song->performer, item.song->title, item.record.start,
                     item.record.end};
      if (result.outcome == PlayOutcome::kConflict) {
        // The stored play: the same channel and start, its own song and end.
        result.play.end = insert.existing.end;
        Result<const PlayNamer::SongNames*> names = namer.Song(insert.existing.song_id);
        if (names.ok()) {
          result.play.performer = (*names)->performer;
          result.play.title = (*names)->title;
        }
      }
    }
    for (const PlayResult& result : results) Count(result.outcome);
    (*shared_done)(std::move(results));
  };
  if (records.empty()) return finish(std::vector<storage::PlayInsertResult>{});
  Status queued = committer_->Submit(std::move(records), finish);
  if (!queued.ok()) (*shared_done)(queued);
}

Result<std::optional<storage::PlayRecord>> PlayService::FindStoredPlay(std::string_view channel_name,
                                                                    UnixMicros start) {
  Result<storage::ChannelRecord> channel = catalogue_->FindChannel(channel_name);
  if (channel.status().IsNotFound()) return std::optional<storage::PlayRecord>();
  if (!channel.ok()) return channel.status();
  std::optional<storage::PlayRecord> found;
  SPINLOG_RETURN_IF_ERROR(
      store_->ScanChannelPlays(channel->id, start, start + 1, [&](const storage::PlayRecord& p) {
        found = p;
        return false;
      }));
  return found;
}

namespace {

// Every play that overlaps [from, to), oldest first: what the classic lists
// return, unpaged.
PlayListQuery WholeWindow(UnixMicros from, UnixMicros to) {
  return {from, to, PlayOrder::kOldestFirst, std::nullopt,
          std::numeric_limits<std::size_t>::max()};
}

}  // namespace

Result<std::vector<PlayByNames>> PlayService::ChannelPlays(std::string_view channel_name,
                                                           UnixMicros from, UnixMicros to) {
  SPINLOG_ASSIGN_OR_RETURN(storage::ChannelRecord channel, catalogue_->FindChannel(channel_name));
  SPINLOG_ASSIGN_OR_RETURN(PlayListPage page,
                           ListIndex(PlayIndex::kChannel, channel.id, WholeWindow(from, to)));
  return std::move(page.plays);
}

Result<std::vector<PlayByNames>> PlayService::SongPlays(std::string_view performer,
                                                        std::string_view title, UnixMicros from,
                                                        UnixMicros to) {
  SPINLOG_ASSIGN_OR_RETURN(storage::SongRecord song, catalogue_->FindSong(performer, title));
  SPINLOG_ASSIGN_OR_RETURN(PlayListPage page,
                           ListIndex(PlayIndex::kSong, song.id, WholeWindow(from, to)));
  std::vector<PlayByNames>& plays = page.plays;
  // The store orders by start then channel id; clients expect channel name.
  // Only plays starting at the same instant can be out of order, which is
  // rare: check in one pass before sorting.
  auto by_start_then_channel = [](const PlayByNames& a, const PlayByNames& b) {
    if (a.start != b.start) return a.start < b.start;
    return a.channel < b.channel;
  };
  if (!std::is_sorted(plays.begin(), plays.end(), by_start_then_channel)) {
    std::stable_sort(plays.begin(), plays.end(), by_start_then_channel);
  }
  return std::move(plays);
}

}  // namespace spinlog::domain
