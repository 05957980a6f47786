// Opening and closing the RocksDB store; the Store methods live in
// rocksdb_catalogue.cc and rocksdb_plays.cc.
#include "storage/rocksdb/rocksdb_store.h"

#include <rocksdb/write_batch.h>

#include <filesystem>
#include <system_error>
#include <utility>
#include <vector>

#include "storage/rocksdb/daily_counts.h"
#include "storage/rocksdb/db_options.h"
#include "storage/rocksdb/record_codec.h"
#include "storage/rocksdb/rocksdb_store_impl.h"
#include "storage/rocksdb/status_conversion.h"

namespace spinlog::storage {
namespace {

using rocks::CatalogueTag;

// Bump when the layout in docs/storage-format.md changes incompatibly.
// 2: the daily_counts column family (version 1 stores are upgraded at open).
// 3: performer and song details, the title index of all songs and the
//    country indexes (version 1 and 2 stores are upgraded at open).
constexpr std::uint32_t kFormatVersion = 3;
constexpr char kFormatVersionName[] = "format_version";

Status CreateDirectory(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  // A file that is not a directory at `path` is an error too, whichever of
  // the two calls notices it.
  if (!error && !std::filesystem::is_directory(path, error) && !error) {
    error = std::make_error_code(std::errc::not_a_directory);
  }
  if (error) {
    return Status::IOError("cannot create data directory " + path + ": " + error.message());
  }
  return Status::OK();
}

Status WriteFormatVersion(rocksdb::DB* db, const std::string& path) {
  rocksdb::WriteOptions write;
  write.sync = true;
  return rocks::FromRocksDb(
      db->Put(write, rocks::MetaKey(kFormatVersionName), rocks::EncodeId(kFormatVersion)),
      "cannot write format version in " + path);
}

// Version 1 had no daily counts: computes them from the plays, one Put per
// (channel, day), so that an upgrade interrupted by a crash is simply done
// again. The version is stamped only afterwards.
Status UpgradeFromVersion1(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& families,
                           const std::string& path) {
  using rocks::Family;
  rocksdb::ReadOptions read;
  read.total_order_seek = true;
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(read, families[static_cast<std::size_t>(Family::kPlays)]));
  rocksdb::ColumnFamilyHandle* counts_family =
      families[static_cast<std::size_t>(Family::kDailyCounts)];
  rocksdb::WriteBatch batch;
  // One (channel, day) at a time: the plays come in (channel, start) order.
  rocks::DailyCountsDelta day_counts;
  storage::ChannelId channel = 0;
  std::int64_t day = 0;
  auto put_day = [&]() -> Status {
    for (const auto& [day_key, counts] : day_counts.Operands()) {
      SPINLOG_RETURN_IF_ERROR(rocks::FromRocksDb(batch.Put(counts_family, day_key, counts),
                                                 "cannot build a write batch"));
    }
    day_counts = rocks::DailyCountsDelta();
    if (batch.Count() < 10'000) return Status::OK();
    Status written = rocks::FromRocksDb(db->Write(rocksdb::WriteOptions(), &batch),
                                        "cannot write daily counts in " + path);
    batch.Clear();
    return written;
  };
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    storage::PlayRecord play;
    const rocksdb::Slice key = it->key();
    const rocksdb::Slice value = it->value();
    if (!rocks::ParseChannelPlayKey({key.data(), key.size()}, &play.channel_id, &play.start) ||
        !rocks::DecodePlayValue({value.data(), value.size()}, &play)) {
      return Status::Corruption("malformed play in " + path);
    }
    if (play.channel_id != channel || DayOf(play.start) != day) {
      SPINLOG_RETURN_IF_ERROR(put_day());
      channel = play.channel_id;
      day = DayOf(play.start);
    }
    day_counts.Add(play);
  }
  SPINLOG_RETURN_IF_ERROR(rocks::FromRocksDb(it->status(), "cannot scan plays in " + path));
  SPINLOG_RETURN_IF_ERROR(put_day());
  rocksdb::WriteOptions write;
  write.sync = true;
  return rocks::FromRocksDb(db->Write(write, &batch), "cannot write daily counts in " + path);
}

// Version 3 added indexes over what version 2 records hold already: every
// song by title, and channels by country. Puts their entries (idempotent, so
// an upgrade interrupted by a crash is simply done again); the version is
// stamped only afterwards. Performers of version 2 have no country.
Status UpgradeToVersion3(rocksdb::DB* db, const std::string& path) {
  rocksdb::ReadOptions read;
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(read));
  rocksdb::WriteBatch batch;
  auto flush = [&](bool last) -> Status {
    if (!last && batch.Count() < 10'000) return Status::OK();
    rocksdb::WriteOptions write;
    write.sync = last;
    Status written =
        rocks::FromRocksDb(db->Write(write, &batch), "cannot write indexes in " + path);
    batch.Clear();
    return written;
  };
  const auto tag_of = [](const rocksdb::Slice& key) {
    return static_cast<CatalogueTag>(static_cast<std::uint8_t>(key[0]));
  };
  for (it->Seek(std::string(1, static_cast<char>(CatalogueTag::kChannel)));
       it->Valid() && tag_of(it->key()) <= CatalogueTag::kSong; it->Next()) {
    const CatalogueTag tag = tag_of(it->key());
    const std::string_view key(it->key().data(), it->key().size());
    const std::string_view value(it->value().data(), it->value().size());
    std::uint32_t id = 0;
    if (!rocks::ParseRecordKey(key, tag, &id)) return Status::Corruption("malformed key in " + path);
    rocksdb::Status s;
    if (tag == CatalogueTag::kChannel) {
      storage::ChannelRecord channel;
      if (!rocks::DecodeChannelValue(value, &channel)) {
        return Status::Corruption("malformed channel " + std::to_string(id) + " in " + path);
      }
      if (channel.country.size() == 2) {
        s = batch.Put(rocks::ChannelCountryKey(channel.country, channel.name), rocks::EncodeId(id));
      }
    } else if (tag == CatalogueTag::kSong) {
      storage::SongRecord song;
      if (!rocks::DecodeSongValue(value, &song)) {
        return Status::Corruption("malformed song " + std::to_string(id) + " in " + path);
      }
      s = batch.Put(rocks::SongTitleAllKey(song.title, id), rocksdb::Slice());
    }
    SPINLOG_RETURN_IF_ERROR(rocks::FromRocksDb(s, "cannot build a write batch"));
    SPINLOG_RETURN_IF_ERROR(flush(false));
  }
  SPINLOG_RETURN_IF_ERROR(rocks::FromRocksDb(it->status(), "cannot scan the catalogue in " + path));
  return flush(true);
}

// Checks the format version of an existing store and upgrades older ones, or
// stamps a new one.
Status CheckFormatVersion(rocksdb::DB* db,
                          const std::vector<rocksdb::ColumnFamilyHandle*>& families,
                          const std::string& path) {
  std::string value;
  const rocksdb::Status read =
      db->Get(rocksdb::ReadOptions(), rocks::MetaKey(kFormatVersionName), &value);
  if (read.IsNotFound()) return WriteFormatVersion(db, path);
  SPINLOG_RETURN_IF_ERROR(rocks::FromRocksDb(read, "cannot read format version in " + path));
  std::uint32_t version = 0;
  if (!rocks::DecodeId(value, &version)) {
    return Status::Corruption("malformed format version in " + path);
  }
  if (version == 1 || version == 2) {
    if (version == 1) SPINLOG_RETURN_IF_ERROR(UpgradeFromVersion1(db, families, path));
    SPINLOG_RETURN_IF_ERROR(UpgradeToVersion3(db, path));
    return WriteFormatVersion(db, path);
  }
  if (version != kFormatVersion) {
    return Status::InvalidArgument("data directory " + path + " holds storage format version " +
                                   std::to_string(version) + "; this build reads versions 1 to " +
                                   std::to_string(kFormatVersion));
  }
  return Status::OK();
}

Result<std::uint32_t> ReadCounter(rocksdb::DB* db, CatalogueTag tag, const std::string& path) {
  std::string value;
  const rocksdb::Status read = db->Get(rocksdb::ReadOptions(), rocks::CounterKey(tag), &value);
  if (read.IsNotFound()) return std::uint32_t{0};
  SPINLOG_RETURN_IF_ERROR(rocks::FromRocksDb(read, "cannot read id counter in " + path));
  std::uint32_t last = 0;
  if (!rocks::DecodeId(value, &last)) return Status::Corruption("malformed id counter in " + path);
  return last;
}

void CloseDb(rocksdb::DB* db, const std::vector<rocksdb::ColumnFamilyHandle*>& families) {
  for (rocksdb::ColumnFamilyHandle* handle : families) {
    // Destroying a handle only frees memory; its status reports misuse only.
    static_cast<void>(db->DestroyColumnFamilyHandle(handle));
  }
  // Close() fails only when it cannot sync or release files; the database is
  // closed all the same, and nobody is left to act on the error.
  static_cast<void>(db->Close());
  delete db;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenRocksDbStore(const RocksDbStoreOptions& options) {
  const std::string& path = options.path;
  if (path.empty()) return Status::InvalidArgument("the data directory path is empty");
  SPINLOG_RETURN_IF_ERROR(CreateDirectory(path));
  SPINLOG_ASSIGN_OR_RETURN(rocks::DirLock lock, rocks::DirLock::Acquire(path));
  // Leftovers of a bulk insert that a crash interrupted: never ingested, so
  // never part of the database. Only the lock holder may write there.
  std::error_code ignored;
  std::filesystem::remove_all(path + "/" + rocks::kBulkDirectory, ignored);

  rocks::DbLayout layout = rocks::MakeDbLayout(options);
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  rocksdb::DB* db = nullptr;
  const rocksdb::Status opened =
      rocksdb::DB::Open(layout.db, path, layout.families, &families, &db);
  if (!opened.ok()) {
    // Our lock keeps out other spinlog stores; RocksDB's catches other tools
    // (ldb, an older build) holding the database.
    if (rocks::IsLockHeld(opened)) return Status::Unavailable(rocks::InUseMessage(path));
    return rocks::FromRocksDb(opened, "cannot open RocksDB in " + path);
  }

  rocks::RocksDbStore::Counters counters{};
  Status status = CheckFormatVersion(db, families, path);
  const CatalogueTag tags[] = {CatalogueTag::kChannel, CatalogueTag::kPerformer,
                               CatalogueTag::kSong};
  for (std::size_t i = 0; i < counters.size() && status.ok(); ++i) {
    Result<std::uint32_t> last = ReadCounter(db, tags[i], path);
    if (last.ok()) {
      counters[i] = *last;
    } else {
      status = last.status();
    }
  }
  if (!status.ok()) {
    CloseDb(db, families);
    return status;
  }
  return std::unique_ptr<Store>(std::make_unique<rocks::RocksDbStore>(
      path, options.sync_writes, options.settle_after_quiet, std::move(lock), db,
      std::move(families), counters));
}

namespace rocks {

RocksDbStore::RocksDbStore(std::string path, bool sync_writes,
                           std::chrono::milliseconds settle_after_quiet, DirLock lock,
                           rocksdb::DB* db, std::vector<rocksdb::ColumnFamilyHandle*> families,
                           const Counters& counters)
    : path_(std::move(path)),
      sync_writes_(sync_writes),
      settle_after_quiet_(settle_after_quiet),
      lock_(std::move(lock)),
      db_(db),
      families_(std::move(families)) {
  for (std::size_t i = 0; i < counters.size(); ++i) last_ids_[i].store(counters[i]);
}

RocksDbStore::~RocksDbStore() {
  if (settle_thread_.joinable()) {
    // Aborts a compaction StartSettling's thread runs (RocksDB keeps what it
    // had before) and waits for the thread to end.
    settle_thread_.request_stop();
    db_->DisableManualCompaction();
    settle_thread_.join();
  }
  if (broken_) {
    // Left open on purpose (see broken_): the process is ending, and every
    // answered write is already in the synced log. Kept reachable so that
    // leak checkers do not report the abandoned database.
    // (Never destroyed: a static vector would free its buffer at exit.)
    static auto* abandoned = new std::vector<std::pair<rocksdb::DB*, decltype(families_)>>();
    abandoned->emplace_back(db_.release(), std::move(families_));
    return;
  }
  if (!sync_writes_) {
    // Best effort for callers that skipped Flush(): a failure here has no
    // one to report to, and the writes already reached the operating system.
    static_cast<void>(db_->SyncWAL());
  }
  CloseDb(db_.release(), families_);
}

rocksdb::WriteOptions RocksDbStore::WriteOptions() const {
  rocksdb::WriteOptions options;
  options.sync = sync_writes_;
  return options;
}

Status RocksDbStore::Flush() {
  // After a failed write RocksDB refuses every write without touching its
  // files, so a probe write tells safely whether the log may be synced.
  if (Status writable = CheckWritable(); !writable.ok()) {
    broken_ = true;
    return Status::IOError("not synced: the store stopped writing after a failed write (" +
                           writable.message() + "); every answered write was synced before");
  }
  return FromRocksDb(db_->SyncWAL(), "cannot sync the write-ahead log in " + path_);
}

}  // namespace rocks
}  // namespace spinlog::storage
