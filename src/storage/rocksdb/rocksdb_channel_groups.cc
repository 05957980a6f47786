// The channel groups of RocksDbStore: records and a name index in the
// catalogue family, written under the catalogue mutex like every upsert.
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <limits>

#include "storage/rocksdb/record_codec.h"
#include "storage/rocksdb/rocksdb_store_impl.h"
#include "storage/rocksdb/status_conversion.h"

namespace spinlog::storage::rocks {
namespace {

std::vector<ChannelId> SortedDistinct(std::span<const ChannelId> channels) {
  std::vector<ChannelId> sorted(channels.begin(), channels.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  return sorted;
}

std::string DescribeGroup(ChannelGroupId id) { return "channel group " + std::to_string(id); }

}  // namespace

Result<ChannelGroupRecord> RocksDbStore::CreateChannelGroup(std::string_view name,
                                                            std::span<const ChannelId> channels) {
  std::lock_guard<std::mutex> guard(catalogue_mutex_);
  const std::string name_key = ChannelGroupNameKey(name);
  Result<std::uint32_t> taken = LookupId(name_key, "channel group '" + std::string(name) + "'");
  if (taken.ok()) {
    return Status::AlreadyExists("channel group '" + std::string(name) + "' exists (id " +
                                 std::to_string(*taken) + ")");
  }
  if (!taken.status().IsNotFound()) return taken.status();
  std::string counter;
  const rocksdb::Status read = db_->Get(rocksdb::ReadOptions(), family(Family::kCatalogue),
                                        CounterKey(CatalogueTag::kChannelGroup), &counter);
  std::uint32_t last = 0;
  if (read.ok()) {
    if (!DecodeId(counter, &last)) return Status::Corruption("malformed group counter in " + path_);
  } else if (!read.IsNotFound()) {
    return FromRocksDb(read, "cannot read the group counter in " + path_);
  }
  if (last == std::numeric_limits<std::uint32_t>::max()) {
    return Status::ResourceExhausted("cannot create a channel group: no ids left");
  }
  ChannelGroupRecord group{last + 1, std::string(name), SortedDistinct(channels)};
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Put(RecordKey(CatalogueTag::kChannelGroup, group.id),
                                EncodeChannelGroupValue(group));
  if (s.ok()) s = batch.Put(name_key, EncodeId(group.id));
  if (s.ok()) s = batch.Put(CounterKey(CatalogueTag::kChannelGroup), EncodeId(group.id));
  if (s.ok()) s = db_->Write(WriteOptions(), &batch);
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(s, "cannot create a channel group in " + path_));
  return group;
}

Result<ChannelGroupRecord> RocksDbStore::GetChannelGroup(ChannelGroupId id) {
  SPINLOG_ASSIGN_OR_RETURN(std::string value,
                           GetCatalogueValue(RecordKey(CatalogueTag::kChannelGroup, id),
                                             DescribeGroup(id)));
  ChannelGroupRecord group;
  group.id = id;
  if (!DecodeChannelGroupValue(value, &group)) {
    return Status::Corruption("malformed " + DescribeGroup(id) + " in " + path_);
  }
  return group;
}

Result<ChannelGroupRecord> RocksDbStore::FindChannelGroup(std::string_view name) {
  SPINLOG_ASSIGN_OR_RETURN(
      std::uint32_t id,
      LookupId(ChannelGroupNameKey(name), "channel group '" + std::string(name) + "'"));
  return GetChannelGroup(id);
}

Result<ChannelGroupRecord> RocksDbStore::UpdateChannelGroup(const ChannelGroupRecord& group) {
  std::lock_guard<std::mutex> guard(catalogue_mutex_);
  SPINLOG_ASSIGN_OR_RETURN(ChannelGroupRecord old, GetChannelGroup(group.id));
  ChannelGroupRecord updated{group.id, group.name, SortedDistinct(group.channels)};
  rocksdb::WriteBatch batch;
  rocksdb::Status s;
  if (updated.name != old.name) {
    const std::string name_key = ChannelGroupNameKey(updated.name);
    Result<std::uint32_t> taken = LookupId(name_key, "channel group '" + updated.name + "'");
    if (taken.ok()) {
      return Status::AlreadyExists("channel group '" + updated.name + "' exists (id " +
                                   std::to_string(*taken) + ")");
    }
    if (!taken.status().IsNotFound()) return taken.status();
    s = batch.Delete(ChannelGroupNameKey(old.name));
    if (s.ok()) s = batch.Put(name_key, EncodeId(group.id));
  }
  if (s.ok()) {
    s = batch.Put(RecordKey(CatalogueTag::kChannelGroup, group.id), EncodeChannelGroupValue(updated));
  }
  if (s.ok()) s = db_->Write(WriteOptions(), &batch);
  SPINLOG_RETURN_IF_ERROR(FromRocksDb(s, "cannot update " + DescribeGroup(group.id) + " in " + path_));
  return updated;
}

Status RocksDbStore::DeleteChannelGroup(ChannelGroupId id) {
  std::lock_guard<std::mutex> guard(catalogue_mutex_);
  SPINLOG_ASSIGN_OR_RETURN(ChannelGroupRecord old, GetChannelGroup(id));
  rocksdb::WriteBatch batch;
  rocksdb::Status s = batch.Delete(RecordKey(CatalogueTag::kChannelGroup, id));
  if (s.ok()) s = batch.Delete(ChannelGroupNameKey(old.name));
  if (s.ok()) s = db_->Write(WriteOptions(), &batch);
  return FromRocksDb(s, "cannot delete " + DescribeGroup(id) + " in " + path_);
}

Status RocksDbStore::ForEachChannelGroup(
    ChannelGroupId after, const std::function<bool(const ChannelGroupRecord&)>& visit) {
  const std::string lower = RecordKey(CatalogueTag::kChannelGroup, after);
  const std::string upper(1, static_cast<char>(static_cast<std::uint8_t>(CatalogueTag::kChannelGroup) + 1));
  const rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions read;
  read.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, family(Family::kCatalogue)));
  for (it->Seek(lower); it->Valid(); it->Next()) {
    ChannelGroupRecord group;
    const std::string_view key(it->key().data(), it->key().size());
    if (!ParseRecordKey(key, CatalogueTag::kChannelGroup, &group.id) ||
        !DecodeChannelGroupValue({it->value().data(), it->value().size()}, &group)) {
      return Status::Corruption("malformed channel group in " + path_);
    }
    if (group.id <= after) continue;
    if (!visit(group)) return Status::OK();
  }
  return FromRocksDb(it->status(), "cannot scan channel groups in " + path_);
}

}  // namespace spinlog::storage::rocks
