// The reads of RocksDbStore behind lists of the catalogue: records in id
// order (their keys are tag + id) and in name order (through the name
// index, tag + name -> id). Each turns its arguments into one key range and
// walks it with one iterator, so a page costs what it visits.
#include <algorithm>
#include <memory>
#include <string>

#include "storage/rocksdb/record_codec.h"
#include "storage/rocksdb/rocksdb_store_impl.h"
#include "storage/rocksdb/status_conversion.h"

namespace spinlog::storage::rocks {
namespace {

// The smallest key greater than every key that starts with `prefix`: drop
// trailing 0xFF bytes, then add one to the last. REQUIRES: `prefix` does
// not consist of 0xFF bytes only (every catalogue key starts with a tag
// below 0xFF).
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xFF) prefix.pop_back();
  if (!prefix.empty()) prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

// [lower, upper) of the index keys `key_of(name)` for the names that `seek`
// selects. The key right after `key_of(after)` (the key with a NUL added)
// turns "greater than after" into an inclusive lower bound.
template <typename KeyOf>
std::pair<std::string, std::string> NameRange(const NameSeek& seek, KeyOf key_of) {
  std::string lower = key_of(seek.prefix);
  std::string upper = PrefixEnd(lower);
  if (seek.after) {
    std::string after = key_of(*seek.after);
    after.push_back('\0');
    lower = std::max(lower, after);
  }
  return {std::move(lower), std::move(upper)};
}

// Adapts a visitor of records into one of stored values, decoded by `decode`.
template <typename Record, typename Decode>
RawRecordVisitor Decoding(const RecordVisitor<Record>& visit, Decode decode) {
  return [&visit, decode](std::uint32_t id, std::string_view value, bool* malformed) {
    Record record{};
    record.id = id;
    if (!decode(value, &record)) {
      *malformed = true;
      return false;
    }
    return visit(record);
  };
}

}  // namespace

Status RocksDbStore::SeekRecords(CatalogueTag tag, std::uint32_t after,
                                 const RawRecordVisitor& visit) {
  const std::string lower = RecordKey(tag, after);
  const std::string upper(1, static_cast<char>(static_cast<std::uint8_t>(tag) + 1));
  const rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, family(Family::kCatalogue)));
  for (it->Seek(lower); it->Valid(); it->Next()) {
    std::uint32_t id = 0;
    if (!ParseRecordKey(View(it->key()), tag, &id)) {
      return Status::Corruption("malformed catalogue key in " + path_);
    }
    if (id <= after) continue;  // the seek lands on `after` itself when it is stored
    bool malformed = false;
    const bool more = visit(id, View(it->value()), &malformed);
    if (malformed) {
      return Status::Corruption("malformed catalogue record " + std::to_string(id) + " in " + path_);
    }
    if (!more) return Status::OK();
  }
  return FromRocksDb(it->status(), "cannot scan the catalogue in " + path_);
}

Status RocksDbStore::SeekNameIndex(const std::string& lower, const std::string& upper,
                                   CatalogueTag record_tag, const RawRecordVisitor& visit) {
  if (lower >= upper) return Status::OK();
  // One snapshot for the index and the records: a rename between reading an
  // index entry and its record cannot show a record under a name it left.
  rocksdb::ManagedSnapshot snapshot(db_.get());
  const rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read;
  read.snapshot = snapshot.snapshot();
  read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, family(Family::kCatalogue)));
  std::string value;
  for (it->Seek(lower); it->Valid(); it->Next()) {
    std::uint32_t id = 0;
    if (!DecodeId(View(it->value()), &id)) {
      return Status::Corruption("malformed name index entry in " + path_);
    }
    const rocksdb::Status got =
        db_->Get(read, family(Family::kCatalogue), RecordKey(record_tag, id), &value);
    if (got.IsNotFound()) {
      return Status::Corruption("name index entry without record " + std::to_string(id) + " in " +
                                path_);
    }
    SPINLOG_RETURN_IF_ERROR(FromRocksDb(got, "cannot read the catalogue in " + path_));
    bool malformed = false;
    const bool more = visit(id, value, &malformed);
    if (malformed) {
      return Status::Corruption("malformed catalogue record " + std::to_string(id) + " in " + path_);
    }
    if (!more) return Status::OK();
  }
  return FromRocksDb(it->status(), "cannot scan a name index in " + path_);
}

Status RocksDbStore::SeekChannels(ChannelId after, const RecordVisitor<ChannelRecord>& visit) {
  return SeekRecords(CatalogueTag::kChannel, after, Decoding(visit, DecodeChannelValue));
}

Status RocksDbStore::SeekPerformers(PerformerId after,
                                    const RecordVisitor<PerformerRecord>& visit) {
  return SeekRecords(CatalogueTag::kPerformer, after, Decoding(visit, DecodePerformerValue));
}

Status RocksDbStore::SeekSongs(SongId after, const RecordVisitor<SongRecord>& visit) {
  return SeekRecords(CatalogueTag::kSong, after, Decoding(visit, DecodeSongValue));
}

Status RocksDbStore::SeekChannelsByName(const NameSeek& seek,
                                        const RecordVisitor<ChannelRecord>& visit) {
  const auto [lower, upper] = NameRange(seek, ChannelNameKey);
  return SeekNameIndex(lower, upper, CatalogueTag::kChannel, Decoding(visit, DecodeChannelValue));
}

Status RocksDbStore::SeekPerformersByName(const NameSeek& seek,
                                          const RecordVisitor<PerformerRecord>& visit) {
  const auto [lower, upper] = NameRange(seek, PerformerNameKey);
  return SeekNameIndex(lower, upper, CatalogueTag::kPerformer,
                       Decoding(visit, DecodePerformerValue));
}

Status RocksDbStore::SeekSongsByTitle(PerformerId performer, const NameSeek& seek,
                                      const RecordVisitor<SongRecord>& visit) {
  const auto [lower, upper] =
      NameRange(seek, [performer](std::string_view title) { return SongTitleKey(performer, title); });
  return SeekNameIndex(lower, upper, CatalogueTag::kSong, Decoding(visit, DecodeSongValue));
}

Status RocksDbStore::SeekChannelsByCountry(std::string_view country, const NameSeek& seek,
                                           const RecordVisitor<ChannelRecord>& visit) {
  if (country.size() != 2) return Status::OK();  // no stored country has another size
  const auto [lower, upper] = NameRange(
      seek, [country](std::string_view name) { return ChannelCountryKey(country, name); });
  return SeekNameIndex(lower, upper, CatalogueTag::kChannel, Decoding(visit, DecodeChannelValue));
}

Status RocksDbStore::SeekPerformersByCountry(std::string_view country, const NameSeek& seek,
                                             const RecordVisitor<PerformerRecord>& visit) {
  if (country.size() != 2) return Status::OK();
  const auto [lower, upper] = NameRange(
      seek, [country](std::string_view name) { return PerformerCountryKey(country, name); });
  return SeekNameIndex(lower, upper, CatalogueTag::kPerformer,
                       Decoding(visit, DecodePerformerValue));
}

Status RocksDbStore::SeekSongsByTitleAll(const TitleSeek& seek,
                                         const RecordVisitor<SongRecord>& visit) {
  std::string lower = SongTitleAllPrefix(seek.prefix);
  const std::string upper = PrefixEnd(lower);
  if (seek.after) {
    // The key right after (title, id): that key with a byte added.
    std::string after = SongTitleAllKey(seek.after->first, seek.after->second);
    after.push_back('\0');
    lower = std::max(lower, after);
  }
  if (lower >= upper) return Status::OK();
  rocksdb::ManagedSnapshot snapshot(db_.get());
  const rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read;
  read.snapshot = snapshot.snapshot();
  read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, family(Family::kCatalogue)));
  std::string value;
  std::string title;
  for (it->Seek(lower); it->Valid(); it->Next()) {
    SongRecord song;
    if (!ParseSongTitleAllKey(View(it->key()), &title, &song.id)) {
      return Status::Corruption("malformed title index entry in " + path_);
    }
    const rocksdb::Status got = db_->Get(read, family(Family::kCatalogue),
                                         RecordKey(CatalogueTag::kSong, song.id), &value);
    if (got.IsNotFound()) {
      return Status::Corruption("title index entry without song " + std::to_string(song.id) +
                                " in " + path_);
    }
    SPINLOG_RETURN_IF_ERROR(FromRocksDb(got, "cannot read the catalogue in " + path_));
    if (!DecodeSongValue(value, &song)) {
      return Status::Corruption("malformed catalogue record " + std::to_string(song.id) + " in " +
                                path_);
    }
    if (!visit(song)) return Status::OK();
  }
  return FromRocksDb(it->status(), "cannot scan the title index in " + path_);
}

}  // namespace spinlog::storage::rocks
