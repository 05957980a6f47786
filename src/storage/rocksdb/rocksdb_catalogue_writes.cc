// The catalogue writes of RocksDbStore beyond upserts: records with their
// index entries, updates, deletions and merges. Each is one WriteBatch, so a
// crash leaves the catalogue (and, for merges, the plays and daily counts)
// either before or after it.
//
// Locks: catalogue_mutex_ for every write that checks names; deletions and
// merges that look at plays also hold a PlaysQuiet (taken second, so that
// InsertPlays, which takes only plays_mutex_, cannot deadlock with them).
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "storage/rocksdb/daily_counts.h"
#include "storage/rocksdb/record_codec.h"
#include "storage/rocksdb/rocksdb_store_impl.h"
#include "storage/rocksdb/status_conversion.h"

namespace spinlog::storage::rocks {
namespace {

std::string Named(std::string_view kind, std::uint32_t id) {
  return std::string(kind) + " " + std::to_string(id);
}

// Applies `op` to each status in turn, stopping at the first failure.
template <typename... Ops>
rocksdb::Status All(Ops&&... ops) {
  rocksdb::Status s;
  ((s.ok() ? (s = ops(), 0) : 0), ...);
  return s;
}

}  // namespace

rocksdb::Status PutRecord(rocksdb::WriteBatch* batch, const ChannelRecord& channel) {
  rocksdb::Status s = batch->Put(RecordKey(CatalogueTag::kChannel, channel.id),
                                 EncodeChannelValue(channel));
  if (s.ok()) s = batch->Put(ChannelNameKey(channel.name), EncodeId(channel.id));
  if (s.ok() && !channel.country.empty()) {
    s = batch->Put(ChannelCountryKey(channel.country, channel.name), EncodeId(channel.id));
  }
  return s;
}

rocksdb::Status DeleteIndexes(rocksdb::WriteBatch* batch, const ChannelRecord& channel) {
  rocksdb::Status s = batch->Delete(ChannelNameKey(channel.name));
  if (s.ok() && !channel.country.empty()) {
    s = batch->Delete(ChannelCountryKey(channel.country, channel.name));
  }
  return s;
}

rocksdb::Status PutRecord(rocksdb::WriteBatch* batch, const PerformerRecord& performer) {
  rocksdb::Status s = batch->Put(RecordKey(CatalogueTag::kPerformer, performer.id),
                                 EncodePerformerValue(performer));
  if (s.ok()) s = batch->Put(PerformerNameKey(performer.name), EncodeId(performer.id));
  if (s.ok() && !performer.country.empty()) {
    s = batch->Put(PerformerCountryKey(performer.country, performer.name), EncodeId(performer.id));
  }
  return s;
}

rocksdb::Status DeleteIndexes(rocksdb::WriteBatch* batch, const PerformerRecord& performer) {
  rocksdb::Status s = batch->Delete(PerformerNameKey(performer.name));
  if (s.ok() && !performer.country.empty()) {
    s = batch->Delete(PerformerCountryKey(performer.country, performer.name));
  }
  return s;
}

rocksdb::Status PutRecord(rocksdb::WriteBatch* batch, const SongRecord& song) {
  rocksdb::Status s =
      batch->Put(RecordKey(CatalogueTag::kSong, song.id), EncodeSongValue(song));
  if (s.ok()) s = batch->Put(SongTitleKey(song.performer_id, song.title), EncodeId(song.id));
  if (s.ok()) s = batch->Put(SongTitleAllKey(song.title, song.id), rocksdb::Slice());
  return s;
}

rocksdb::Status DeleteIndexes(rocksdb::WriteBatch* batch, const SongRecord& song) {
  rocksdb::Status s = batch->Delete(SongTitleKey(song.performer_id, song.title));
  if (s.ok()) s = batch->Delete(SongTitleAllKey(song.title, song.id));
  return s;
}

PerformerId RocksDbStore::CurrentPerformerLocked(PerformerId id) const {
  // Merges never form cycles (the source is deleted), so this ends.
  for (auto it = merged_performers_.find(id); it != merged_performers_.end();
       it = merged_performers_.find(id)) {
    id = it->second;
  }
  return id;
}

Result<bool> RocksDbStore::HasKeyWithPrefix(Family f, const std::string& prefix) {
  rocksdb::ReadOptions read;
  read.prefix_same_as_start = f != Family::kCatalogue;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, family(f)));
  it->Seek(prefix);
  if (it->Valid()) return View(it->key()).starts_with(prefix);
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(it->status(), "cannot read " + path_));
  return false;
}

Result<PerformerRecord> RocksDbStore::UpdatePerformer(const PerformerRecord& performer) {
  std::lock_guard<std::mutex> guard(catalogue_mutex_);
  SPINLOG_ASSIGN_OR_RETURN(PerformerRecord old, GetPerformer(performer.id));
  if (performer.name != old.name) {
    Result<std::uint32_t> taken =
        LookupId(PerformerNameKey(performer.name), "performer '" + performer.name + "'");
    if (taken.ok()) {
      return Status::AlreadyExists("performer '" + performer.name + "' exists (id " +
                                   std::to_string(*taken) + ")");
    }
    if (!taken.status().IsNotFound()) return taken.status();
  }
  rocksdb::WriteBatch batch;
  rocksdb::Status s = DeleteIndexes(&batch, old);
  if (s.ok()) s = PutRecord(&batch, performer);
  if (s.ok()) s = db_->Write(WriteOptions(), &batch);
  SPINLOG_RETURN_IF_ERROR(
      FromRocksDb(s, "cannot update " + Named("performer", performer.id) + " in " + path_));
  return performer;
}

Result<SongRecord> RocksDbStore::UpdateSong(const SongRecord& song) {
  std::lock_guard<std::mutex> guard(catalogue_mutex_);
  SPINLOG_ASSIGN_OR_RETURN(SongRecord old, GetSong(song.id));
  if (song.performer_id != old.performer_id) {
    SPINLOG_RETURN_IF_ERROR(GetPerformer(song.performer_id).status());
  }
  if (song.performer_id != old.performer_id || song.title != old.title) {
    const std::string what = "song '" + song.title + "' of performer " +
                             std::to_string(song.performer_id);
    Result<std::uint32_t> taken = LookupId(SongTitleKey(song.performer_id, song.title), what);
    if (taken.ok()) {
      return Status::AlreadyExists(what + " exists (id " + std::to_string(*taken) + ")");
    }
    if (!taken.status().IsNotFound()) return taken.status();
  }
  rocksdb::WriteBatch batch;
  rocksdb::Status s = DeleteIndexes(&batch, old);
  if (s.ok()) s = PutRecord(&batch, song);
  if (s.ok()) s = db_->Write(WriteOptions(), &batch);
  SPINLOG_RETURN_IF_ERROR(
      FromRocksDb(s, "cannot update " + Named("song", song.id) + " in " + path_));
  return song;
}

Status RocksDbStore::DeleteChannel(ChannelId id) {
  std::lock_guard<std::mutex> catalogue(catalogue_mutex_);
  PlaysQuiet plays(this);
  SPINLOG_ASSIGN_OR_RETURN(ChannelRecord old, GetChannel(id));
  std::string prefix;
  AppendUint32(&prefix, id);
  SPINLOG_ASSIGN_OR_RETURN(const bool has_plays, HasKeyWithPrefix(Family::kPlays, prefix));
  if (has_plays) return Status::Conflict(Named("channel", id) + " has plays");
  std::optional<ChannelGroupRecord> holder;
  SPINLOG_RETURN_IF_ERROR(ForEachChannelGroup(0, [&](const ChannelGroupRecord& group) {
    if (std::binary_search(group.channels.begin(), group.channels.end(), id)) holder = group;
    return !holder;
  }));
  if (holder) {
    return Status::Conflict(Named("channel", id) + " belongs to channel group '" + holder->name +
                            "' (id " + std::to_string(holder->id) + ")");
  }
  rocksdb::WriteBatch batch;
  rocksdb::Status s = DeleteIndexes(&batch, old);
  if (s.ok()) s = batch.Delete(RecordKey(CatalogueTag::kChannel, id));
  if (s.ok()) s = db_->Write(WriteOptions(), &batch);
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(s, "cannot delete " + Named("channel", id) + " in " + path_));
  deleted_channels_.insert(id);
  return Status::OK();
}

Status RocksDbStore::DeletePerformer(PerformerId id) {
  std::lock_guard<std::mutex> catalogue(catalogue_mutex_);
  PlaysQuiet plays(this);
  SPINLOG_ASSIGN_OR_RETURN(PerformerRecord old, GetPerformer(id));
  SPINLOG_ASSIGN_OR_RETURN(const bool has_songs,
                           HasKeyWithPrefix(Family::kCatalogue, SongTitleKey(id, "")));
  if (has_songs) return Status::Conflict(Named("performer", id) + " has songs");
  rocksdb::WriteBatch batch;
  rocksdb::Status s = DeleteIndexes(&batch, old);
  if (s.ok()) s = batch.Delete(RecordKey(CatalogueTag::kPerformer, id));
  if (s.ok()) s = db_->Write(WriteOptions(), &batch);
  return FromRocksDb(s, "cannot delete " + Named("performer", id) + " in " + path_);
}

Status RocksDbStore::DeleteSong(SongId id) {
  std::lock_guard<std::mutex> catalogue(catalogue_mutex_);
  PlaysQuiet plays(this);
  SPINLOG_ASSIGN_OR_RETURN(SongRecord old, GetSong(id));
  std::string prefix;
  AppendUint32(&prefix, id);
  SPINLOG_ASSIGN_OR_RETURN(const bool has_plays, HasKeyWithPrefix(Family::kSongPlays, prefix));
  if (has_plays) return Status::Conflict(Named("song", id) + " has plays");
  rocksdb::WriteBatch batch;
  rocksdb::Status s = DeleteIndexes(&batch, old);
  if (s.ok()) s = batch.Delete(RecordKey(CatalogueTag::kSong, id));
  if (s.ok()) s = db_->Write(WriteOptions(), &batch);
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(s, "cannot delete " + Named("song", id) + " in " + path_));
  deleted_songs_.insert(id);
  return Status::OK();
}

Status RocksDbStore::MovePlaysOfSong(SongId from, SongId into, rocksdb::WriteBatch* batch) {
  std::string prefix;
  AppendUint32(&prefix, from);
  rocksdb::ReadOptions read;
  read.prefix_same_as_start = true;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, family(Family::kSongPlays)));
  // Per (channel, day): the plays that move, taken from `from` and given to `into`.
  std::map<std::pair<ChannelId, std::int64_t>, std::int64_t> moved;
  for (it->Seek(prefix); it->Valid() && View(it->key()).starts_with(prefix); it->Next()) {
    PlayRecord play;
    SongId song = 0;
    if (!ParseSongPlayKey(View(it->key()), &song, &play.start, &play.channel_id) ||
        !DecodeSongPlayValue(View(it->value()), &play)) {
      return Status::Corruption("malformed play of " + Named("song", from) + " in " + path_);
    }
    play.song_id = into;
    SPINLOG_RETURN_IF_ERROR(FromRocksDb(
        All([&] { return batch->Delete(family(Family::kSongPlays), it->key()); },
            [&] {
              return batch->Put(family(Family::kSongPlays),
                                SongPlayKey(into, play.start, play.channel_id),
                                EncodeSongPlayValue(play));
            },
            [&] {
              // The plays entry is (channel, start): same key, new song.
              return batch->Put(family(Family::kPlays), ChannelPlayKey(play.channel_id, play.start),
                                EncodePlayValue(play));
            }),
        "cannot build a write batch"));
    ++moved[{play.channel_id, DayOf(play.start)}];
  }
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(it->status(), "cannot scan plays in " + path_));
  for (const auto& [channel_day, plays] : moved) {
    std::vector<SongPlayCount> delta = {{from, -plays}, {into, plays}};
    if (into < from) std::swap(delta[0], delta[1]);
    SPINLOG_RETURN_IF_ERROR(FromRocksDb(
        batch->Merge(family(Family::kDailyCounts),
                     DailyCountKey(channel_day.first, channel_day.second), EncodeDailyCounts(delta)),
        "cannot build a write batch"));
  }
  return Status::OK();
}

Status RocksDbStore::MergeSongs(SongId from, SongId into) {
  if (from == into) return Status::InvalidArgument("cannot merge song " + std::to_string(from) + " into itself");
  std::lock_guard<std::mutex> catalogue(catalogue_mutex_);
  PlaysQuiet plays(this);
  SPINLOG_ASSIGN_OR_RETURN(SongRecord source, GetSong(from));
  SPINLOG_RETURN_IF_ERROR(GetSong(into).status());
  rocksdb::WriteBatch batch;
  SPINLOG_RETURN_IF_ERROR(MovePlaysOfSong(from, into, &batch));
  rocksdb::Status s = DeleteIndexes(&batch, source);
  if (s.ok()) s = batch.Delete(RecordKey(CatalogueTag::kSong, from));
  if (s.ok()) s = db_->Write(WriteOptions(), &batch);
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(
      s, "cannot merge " + Named("song", from) + " into " + std::to_string(into) + " in " + path_));
  for (auto& [merged, target] : merged_songs_) {
    if (target == from) target = into;
  }
  merged_songs_[from] = into;
  return Status::OK();
}

Result<PerformerMergeResult> RocksDbStore::MergePerformers(PerformerId from, PerformerId into) {
  if (from == into) {
    return Status::InvalidArgument("cannot merge performer " + std::to_string(from) +
                                   " into itself");
  }
  std::lock_guard<std::mutex> catalogue(catalogue_mutex_);
  PlaysQuiet plays(this);
  SPINLOG_ASSIGN_OR_RETURN(PerformerRecord source, GetPerformer(from));
  SPINLOG_RETURN_IF_ERROR(GetPerformer(into).status());
  std::vector<SongRecord> songs;
  SPINLOG_RETURN_IF_ERROR(SeekSongsByTitle(from, NameSeek{}, [&](const SongRecord& song) {
    songs.push_back(song);
    return true;
  }));
  PerformerMergeResult result;
  rocksdb::WriteBatch batch;
  for (SongRecord& song : songs) {
    Result<std::uint32_t> same_title =
        LookupId(SongTitleKey(into, song.title), "song '" + song.title + "'");
    if (!same_title.ok() && !same_title.status().IsNotFound()) return same_title.status();
    rocksdb::Status s = DeleteIndexes(&batch, song);
    if (same_title.ok()) {
      SPINLOG_RETURN_IF_ERROR(MovePlaysOfSong(song.id, *same_title, &batch));
      if (s.ok()) s = batch.Delete(RecordKey(CatalogueTag::kSong, song.id));
      result.merged.emplace_back(song.id, *same_title);
    } else {
      song.performer_id = into;
      if (s.ok()) s = PutRecord(&batch, song);
      result.moved.push_back(song);
    }
    SPINLOG_RETURN_IF_ERROR(FromRocksDb(s, "cannot build a write batch"));
  }
  rocksdb::Status s = DeleteIndexes(&batch, source);
  if (s.ok()) s = batch.Delete(RecordKey(CatalogueTag::kPerformer, from));
  if (s.ok()) s = db_->Write(WriteOptions(), &batch);
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(s, "cannot merge " + Named("performer", from) + " into " +
                                             std::to_string(into) + " in " + path_));
  for (auto& [merged, target] : merged_performers_) {
    if (target == from) target = into;
  }
  merged_performers_[from] = into;
  for (const auto& [song, target] : result.merged) {
    for (auto& [merged, to] : merged_songs_) {
      if (to == song) to = target;
    }
    merged_songs_[song] = target;
  }
  return result;
}

Result<std::span<const PlayRecord>> RocksDbStore::RedirectLocked(
    std::span<const PlayRecord> plays, std::vector<PlayRecord>* redirected) const {
  if (merged_songs_.empty() && deleted_songs_.empty() && deleted_channels_.empty()) return plays;
  for (std::size_t i = 0; i < plays.size(); ++i) {
    const PlayRecord& play = plays[i];
    auto merged = merged_songs_.find(play.song_id);
    const SongId song = merged == merged_songs_.end() ? play.song_id : merged->second;
    if (deleted_channels_.count(play.channel_id) != 0 || deleted_songs_.count(song) != 0) {
      return Status::InvalidArgument("play " + std::to_string(i) +
                                     " of the batch: its channel or song was deleted");
    }
    if (merged == merged_songs_.end()) continue;
    if (redirected->empty()) redirected->assign(plays.begin(), plays.end());
    (*redirected)[i].song_id = merged->second;
  }
  if (redirected->empty()) return plays;
  return std::span<const PlayRecord>(*redirected);
}

}  // namespace spinlog::storage::rocks
