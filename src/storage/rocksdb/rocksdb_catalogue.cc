// The catalogue half of RocksDbStore: channels, performers and songs.
#include <rocksdb/write_batch.h>

#include <limits>
#include <utility>

#include "storage/rocksdb/record_codec.h"
#include "storage/rocksdb/rocksdb_store_impl.h"
#include "storage/rocksdb/status_conversion.h"

namespace spinlog::storage::rocks {
namespace {

CatalogueTag RecordTag(Kind kind) {
  switch (kind) {
    case Kind::kChannel:
      return CatalogueTag::kChannel;
    case Kind::kPerformer:
      return CatalogueTag::kPerformer;
    case Kind::kSong:
      return CatalogueTag::kSong;
  }
  return CatalogueTag::kChannel;
}

std::string DescribeId(std::string_view kind, std::uint32_t id) {
  return std::string(kind) + " " + std::to_string(id);
}

// "channel 'Name'", for messages.
std::string Describe(std::string_view kind, std::string_view name) {
  return std::string(kind) + " '" + std::string(name) + "'";
}

std::string DescribeSong(PerformerId performer, std::string_view title) {
  return Describe("song", title) + " of performer " + std::to_string(performer);
}

}  // namespace

Result<std::uint32_t> RocksDbStore::LookupId(const std::string& name_key, std::string_view what) {
  std::string value;
  const rocksdb::Status read = db_->Get(rocksdb::ReadOptions(), name_key, &value);
  if (read.IsNotFound()) return Status::NotFound(std::string(what) + " does not exist");
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(read, "cannot read " + std::string(what) + " in " + path_));
  std::uint32_t id = 0;
  if (!DecodeId(value, &id)) {
    return Status::Corruption("malformed name index entry for " + std::string(what) + " in " +
                              path_);
  }
  return id;
}

Result<std::string> RocksDbStore::GetCatalogueValue(const std::string& key,
                                                    const std::string& what) {
  std::string value;
  const rocksdb::Status read = db_->Get(rocksdb::ReadOptions(), key, &value);
  if (read.IsNotFound()) return Status::NotFound(what + " does not exist");
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(read, "cannot read " + what + " in " + path_));
  return value;
}

Result<std::uint32_t> RocksDbStore::UpsertId(Kind kind, const std::string& name_key,
                                             const RecordWriter& write_record,
                                             std::string_view what, bool* created) {
  if (created != nullptr) *created = false;
  // Most upserts name something that exists (clients re-post metadata):
  // answer those without taking the lock.
  Result<std::uint32_t> found = LookupId(name_key, what);
  if (found.ok() || !found.status().IsNotFound()) return found;
  std::lock_guard<std::mutex> guard(catalogue_mutex_);
  return UpsertIdLocked(kind, name_key, write_record, what, created);
}

Result<std::uint32_t> RocksDbStore::UpsertIdLocked(Kind kind, const std::string& name_key,
                                                   const RecordWriter& write_record,
                                                   std::string_view what, bool* created) {
  if (created != nullptr) *created = false;
  Result<std::uint32_t> found = LookupId(name_key, what);  // another thread may have created it
  if (found.ok() || !found.status().IsNotFound()) return found;

  std::atomic<std::uint32_t>& last_id = last_ids_[static_cast<std::size_t>(kind)];
  const std::uint32_t last = last_id.load();
  if (last == std::numeric_limits<std::uint32_t>::max()) {
    return Status::ResourceExhausted("cannot create " + std::string(what) + ": no ids left");
  }
  const std::uint32_t id = last + 1;
  const CatalogueTag tag = RecordTag(kind);
  // Record, its indexes and counter in one batch: none is ever seen without
  // the others, and a crash cannot hand out an id twice.
  rocksdb::WriteBatch batch;
  rocksdb::Status s = write_record(id, &batch);
  if (s.ok()) s = batch.Put(CounterKey(tag), EncodeId(id));
  // Published before the write: from the moment the write lands, another
  // thread's lock-free LookupId can hand the id out, and InsertPlays checks
  // ids against these counters. Taken back if the write fails (we hold the
  // lock, and nobody can have seen an id whose name was never written).
  last_id.store(id);
  if (s.ok()) s = db_->Write(WriteOptions(), &batch);
  if (!s.ok()) last_id.store(last);
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(s, "cannot create " + std::string(what) + " in " + path_));
  if (created != nullptr) *created = true;
  return id;
}

Result<ChannelRecord> RocksDbStore::UpsertChannel(std::string_view name, bool* created) {
  ChannelRecord channel;
  channel.name = std::string(name);
  return CreateChannel(channel, created);
}

Result<ChannelRecord> RocksDbStore::CreateChannel(const ChannelRecord& channel, bool* created) {
  bool made = false;
  ChannelRecord record = channel;
  SPINLOG_ASSIGN_OR_RETURN(
      const std::uint32_t id,
      UpsertId(
          Kind::kChannel, ChannelNameKey(channel.name),
          [&](std::uint32_t new_id, rocksdb::WriteBatch* batch) {
            record.id = new_id;
            return PutRecord(batch, record);
          },
          Describe("channel", channel.name), &made));
  if (created != nullptr) *created = made;
  if (made) return record;
  return GetChannel(id);
}

Result<PerformerRecord> RocksDbStore::UpsertPerformer(std::string_view name, bool* created) {
  PerformerRecord performer;
  performer.name = std::string(name);
  return CreatePerformer(performer, created);
}

Result<PerformerRecord> RocksDbStore::CreatePerformer(const PerformerRecord& performer,
                                                      bool* created) {
  bool made = false;
  PerformerRecord record = performer;
  SPINLOG_ASSIGN_OR_RETURN(
      const std::uint32_t id,
      UpsertId(
          Kind::kPerformer, PerformerNameKey(performer.name),
          [&](std::uint32_t new_id, rocksdb::WriteBatch* batch) {
            record.id = new_id;
            return PutRecord(batch, record);
          },
          Describe("performer", performer.name), &made));
  if (created != nullptr) *created = made;
  if (made) return record;
  return GetPerformer(id);
}

Result<SongRecord> RocksDbStore::UpsertSong(PerformerId performer, std::string_view title,
                                            bool* created) {
  SongRecord song;
  song.performer_id = performer;
  song.title = std::string(title);
  return CreateSong(song, created);
}

Result<SongRecord> RocksDbStore::CreateSong(const SongRecord& song, bool* created) {
  if (created != nullptr) *created = false;
  // Most songs exist: found without the lock.
  Result<std::uint32_t> found =
      LookupId(SongTitleKey(song.performer_id, song.title),
               DescribeSong(song.performer_id, song.title));
  if (found.ok()) {
    // Gone since the lookup (merged or deleted): then created below.
    Result<SongRecord> existing = GetSong(*found);
    if (!existing.status().IsNotFound()) return existing;
  } else if (!found.status().IsNotFound()) {
    return found.status();
  }

  std::lock_guard<std::mutex> guard(catalogue_mutex_);
  SongRecord record = song;
  // A performer merged away since the caller resolved it: its songs are the
  // target's now. Checked under the lock, since performers can be deleted.
  record.performer_id = CurrentPerformerLocked(song.performer_id);
  SPINLOG_RETURN_IF_ERROR(GetPerformer(record.performer_id).status());
  bool made = false;
  SPINLOG_ASSIGN_OR_RETURN(
      const std::uint32_t id,
      UpsertIdLocked(
          Kind::kSong, SongTitleKey(record.performer_id, record.title),
          [&](std::uint32_t new_id, rocksdb::WriteBatch* batch) {
            record.id = new_id;
            return PutRecord(batch, record);
          },
          DescribeSong(record.performer_id, record.title), &made));
  if (created != nullptr) *created = made;
  if (made) return record;
  return GetSong(id);
}

Result<ChannelRecord> RocksDbStore::FindChannel(std::string_view name) {
  SPINLOG_ASSIGN_OR_RETURN(const std::uint32_t id,
                           LookupId(ChannelNameKey(name), Describe("channel", name)));
  return GetChannel(id);
}

Result<PerformerRecord> RocksDbStore::FindPerformer(std::string_view name) {
  SPINLOG_ASSIGN_OR_RETURN(const std::uint32_t id,
                           LookupId(PerformerNameKey(name), Describe("performer", name)));
  return GetPerformer(id);
}

Result<SongRecord> RocksDbStore::FindSong(PerformerId performer, std::string_view title) {
  SPINLOG_ASSIGN_OR_RETURN(const std::uint32_t id, LookupId(SongTitleKey(performer, title),
                                                            DescribeSong(performer, title)));
  return GetSong(id);
}

Result<ChannelRecord> RocksDbStore::GetChannel(ChannelId id) {
  const std::string what = DescribeId("channel", id);
  SPINLOG_ASSIGN_OR_RETURN(const std::string value,
                           GetCatalogueValue(RecordKey(CatalogueTag::kChannel, id), what));
  ChannelRecord record;
  record.id = id;
  if (!DecodeChannelValue(value, &record)) return Status::Corruption("malformed " + what);
  return record;
}

Result<ChannelRecord> RocksDbStore::UpdateChannel(const ChannelRecord& channel) {
  std::lock_guard<std::mutex> guard(catalogue_mutex_);
  SPINLOG_ASSIGN_OR_RETURN(ChannelRecord old, GetChannel(channel.id));
  if (channel.name != old.name) {
    Result<std::uint32_t> taken =
        LookupId(ChannelNameKey(channel.name), Describe("channel", channel.name));
    if (taken.ok()) {
      return Status::AlreadyExists(Describe("channel", channel.name) + " exists (id " +
                                   std::to_string(*taken) + ")");
    }
    if (!taken.status().IsNotFound()) return taken.status();
  }
  rocksdb::WriteBatch batch;
  rocksdb::Status s = DeleteIndexes(&batch, old);
  if (s.ok()) s = PutRecord(&batch, channel);
  if (s.ok()) s = db_->Write(WriteOptions(), &batch);
  SPINLOG_RETURN_IF_ERROR(
      FromRocksDb(s, "cannot update " + DescribeId("channel", channel.id) + " in " + path_));
  return channel;
}

Result<PerformerRecord> RocksDbStore::GetPerformer(PerformerId id) {
  const std::string what = DescribeId("performer", id);
  SPINLOG_ASSIGN_OR_RETURN(const std::string value,
                           GetCatalogueValue(RecordKey(CatalogueTag::kPerformer, id), what));
  PerformerRecord record;
  record.id = id;
  if (!DecodePerformerValue(value, &record)) return Status::Corruption("malformed " + what);
  return record;
}

Result<SongRecord> RocksDbStore::GetSong(SongId id) {
  const std::string what = DescribeId("song", id);
  SPINLOG_ASSIGN_OR_RETURN(const std::string value,
                           GetCatalogueValue(RecordKey(CatalogueTag::kSong, id), what));
  SongRecord record;
  record.id = id;
  if (!DecodeSongValue(value, &record)) return Status::Corruption("malformed " + what);
  return record;
}

Status RocksDbStore::ForEachRecord(
    CatalogueTag tag, const std::function<bool(std::uint32_t id, std::string_view value)>& visit) {
  const std::string lower(1, static_cast<char>(tag));
  const std::string upper(1, static_cast<char>(static_cast<std::uint8_t>(tag) + 1));
  const rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper_slice;
  // A full pass at start-up: keep it from evicting the working set.
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, family(Family::kCatalogue)));
  for (it->Seek(lower); it->Valid(); it->Next()) {
    std::uint32_t id = 0;
    if (!ParseRecordKey(std::string_view(it->key().data(), it->key().size()), tag, &id)) {
      return Status::Corruption("malformed catalogue key in " + path_);
    }
    if (!visit(id, std::string_view(it->value().data(), it->value().size()))) {
      return Status::Corruption("malformed catalogue record " + std::to_string(id) + " in " +
                                path_);
    }
  }
  return FromRocksDb(it->status(), "cannot scan the catalogue in " + path_);
}

Status RocksDbStore::ForEachChannel(const std::function<void(const ChannelRecord&)>& visit) {
  return ForEachRecord(CatalogueTag::kChannel, [&](std::uint32_t id, std::string_view value) {
    ChannelRecord record;
    record.id = id;
    if (!DecodeChannelValue(value, &record)) return false;
    visit(record);
    return true;
  });
}

Status RocksDbStore::ForEachPerformer(const std::function<void(const PerformerRecord&)>& visit) {
  return ForEachRecord(CatalogueTag::kPerformer, [&](std::uint32_t id, std::string_view value) {
    PerformerRecord record;
    record.id = id;
    if (!DecodePerformerValue(value, &record)) return false;
    visit(record);
    return true;
  });
}

Status RocksDbStore::ForEachSong(const std::function<void(const SongRecord&)>& visit) {
  return ForEachRecord(CatalogueTag::kSong, [&](std::uint32_t id, std::string_view value) {
    SongRecord record;
    record.id = id;
    if (!DecodeSongValue(value, &record)) return false;
    visit(record);
    return true;
  });
}

}  // namespace spinlog::storage::rocks
