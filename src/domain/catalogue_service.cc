#include "domain/catalogue_service.h"

#include <algorithm>
#include <cctype>

#include "domain/names.h"

namespace spinlog::domain {

CatalogueService::CatalogueService(storage::Store* store, charts::ChartService* charts)
    : store_(store), charts_(charts) {}

std::string CatalogueService::SongKey(storage::PerformerId performer, std::string_view title) {
  std::string key(reinterpret_cast<const char*>(&performer), sizeof(performer));
  key.append(title);
  return key;
}

Result<storage::ChannelRecord> CatalogueService::AddChannel(std::string_view name) {
  if (std::optional<storage::ChannelRecord> cached = channels_.Find(name)) return *cached;
  std::shared_lock lock(channel_update_mutex_);
  SPINLOG_ASSIGN_OR_RETURN(storage::ChannelRecord channel, store_->UpsertChannel(name, nullptr));
  channels_.Put(name, channel);
  return channel;
}

Result<storage::ChannelRecord> CatalogueService::UpdateChannel(storage::ChannelId id,
                                                               const ChannelChange& change) {
  std::vector<FieldViolation> problems;
  std::optional<std::string> name;
  if (change.name) name = NormalizeName("name", *change.name, &problems);
  std::optional<std::string> country;
  if (change.country) country = NormalizeCountry("country", *change.country, &problems);
  if (change.audience && (*change.audience < -1 || *change.audience > kMaxAudience)) {
    problems.push_back({"audience", "must be a whole number of listeners from 0 to " +
                                        std::to_string(kMaxAudience)});
  }
  if (!problems.empty()) return Status::InvalidFields(std::move(problems));

  std::unique_lock lock(channel_update_mutex_);
  Result<storage::ChannelRecord> found = store_->GetChannel(id);
  if (found.status().IsNotFound()) {
    return Status::NotFound("no channel has id " + std::to_string(id));
  }
  if (!found.ok()) return found.status();
  storage::ChannelRecord channel = std::move(found).value();
  const std::string old_name = channel.name;
  if (name) channel.name = *name;
  if (country) channel.country = *country;
  if (change.audience) channel.audience = *change.audience;
  if (change.attributes) {
    // Under the exclusive lock: concurrent patches of one channel's
    // attributes merge one after the other, none is lost.
    SPINLOG_ASSIGN_OR_RETURN(channel.attributes,
                             ApplyAttributesPatch(channel.attributes, *change.attributes, &problems));
    if (!problems.empty()) return Status::InvalidFields(std::move(problems));
  }
  SPINLOG_ASSIGN_OR_RETURN(storage::ChannelRecord updated, store_->UpdateChannel(channel));
  if (updated.name != old_name) channels_.Erase(old_name);
  channels_.Put(updated.name, updated);
  channels_by_id_.Put(updated.id, updated);
  charts_->SetChannelAudience(updated.id, updated.audience);
  return updated;
}

Result<storage::PerformerRecord> CatalogueService::AddPerformer(std::string_view name) {
  if (std::optional<storage::PerformerRecord> cached = performers_.Find(name)) return *cached;
  std::shared_lock lock(record_update_mutex_);
  SPINLOG_ASSIGN_OR_RETURN(storage::PerformerRecord performer,
                           store_->UpsertPerformer(name, nullptr));
  performers_.Put(name, performer);
  return performer;
}

Result<storage::SongRecord> CatalogueService::AddSong(std::string_view performer_name,
                                                      std::string_view title) {
  SPINLOG_ASSIGN_OR_RETURN(storage::PerformerRecord performer, AddPerformer(performer_name));
  const std::string key = SongKey(performer.id, title);
  if (std::optional<storage::SongRecord> cached = songs_.Find(key)) return *cached;
  std::shared_lock lock(record_update_mutex_);
  SPINLOG_ASSIGN_OR_RETURN(storage::SongRecord song,
                           store_->UpsertSong(performer.id, title, nullptr));
  // The store creates songs of a performer merged away (since the lookup
  // above) for the merge target: name them and cache them as the target's.
  if (song.performer_id != performer.id) {
    SPINLOG_ASSIGN_OR_RETURN(performer, store_->GetPerformer(song.performer_id));
  }
  // Registered before the cache knows the song, so that no play of it can be
  // counted in charts before its names are known there.
  charts_->RegisterSong(song.id, performer.name, song.title, performer.id);
  songs_.Put(SongKey(performer.id, title), song);
  return song;
}

Result<storage::ChannelRecord> CatalogueService::FindChannel(std::string_view name) {
  if (std::optional<storage::ChannelRecord> cached = channels_.Find(name)) return *cached;
  std::shared_lock lock(channel_update_mutex_);
  Result<storage::ChannelRecord> channel = store_->FindChannel(name);
  if (channel.status().IsNotFound()) {
    return Status::NotFound("channel '" + std::string(name) + "' not found");
  }
  if (channel.ok()) channels_.Put(name, *channel);
  return channel;
}

Result<storage::PerformerRecord> CatalogueService::LookupPerformer(std::string_view name) {
  if (std::optional<storage::PerformerRecord> cached = performers_.Find(name)) return *cached;
  std::shared_lock lock(record_update_mutex_);
  Result<storage::PerformerRecord> performer = store_->FindPerformer(name);
  if (performer.ok()) performers_.Put(name, *performer);
  return performer;
}

Result<storage::SongRecord> CatalogueService::FindSong(std::string_view performer_name,
                                                       std::string_view title) {
  const std::string what =
      "song '" + std::string(title) + "' by '" + std::string(performer_name) + "' not found";
  Result<storage::PerformerRecord> performer = LookupPerformer(performer_name);
  if (performer.status().IsNotFound()) return Status::NotFound(what);
  if (!performer.ok()) return performer.status();
  const std::string key = SongKey(performer->id, title);
  if (std::optional<storage::SongRecord> cached = songs_.Find(key)) return *cached;
  std::shared_lock lock(record_update_mutex_);
  Result<storage::SongRecord> song = store_->FindSong(performer->id, title);
  if (song.status().IsNotFound()) return Status::NotFound(what);
  if (song.ok()) songs_.Put(key, *song);
  return song;
}

namespace {

// Looks `id` up in `cache`, then in the store (through `get`), caching what
// it finds. NotFound says "no <what> has id N".
template <typename Record, typename Get>
Result<Record> GetById(IdCache<Record>& cache, std::uint32_t id, const char* what, Get get) {
  if (std::optional<Record> cached = cache.Find(id)) return *cached;
  Result<Record> record = get(id);
  if (record.status().IsNotFound()) {
    return Status::NotFound(std::string("no ") + what + " has id " + std::to_string(id));
  }
  if (record.ok()) cache.Put(id, *record);
  return record;
}

}  // namespace

Result<storage::ChannelRecord> CatalogueService::GetChannel(storage::ChannelId id) {
  if (std::optional<storage::ChannelRecord> cached = channels_by_id_.Find(id)) return *cached;
  std::shared_lock lock(channel_update_mutex_);
  return GetById(channels_by_id_, id, "channel", [this](auto i) { return store_->GetChannel(i); });
}

Result<storage::SongRecord> CatalogueService::GetSong(storage::SongId id) {
  if (std::optional<storage::SongRecord> cached = songs_by_id_.Find(id)) return *cached;
  std::shared_lock lock(record_update_mutex_);
  return GetById(songs_by_id_, id, "song", [this](storage::SongId i) -> Result<storage::SongRecord> {
    SPINLOG_ASSIGN_OR_RETURN(storage::SongRecord song, store_->GetSong(i));
    // Over a shared store the song may have been created by another node:
    // charts name it before a play of it (posted here by id) counts.
    if (!charts_->KnowsSong(i)) {
      SPINLOG_ASSIGN_OR_RETURN(storage::PerformerRecord performer,
                               store_->GetPerformer(song.performer_id));
      charts_->RegisterSong(i, performer.name, song.title, performer.id);
    }
    return song;
  });
}

Result<storage::PerformerRecord> CatalogueService::GetPerformer(storage::PerformerId id) {
  if (std::optional<storage::PerformerRecord> cached = performers_by_id_.Find(id)) return *cached;
  std::shared_lock lock(record_update_mutex_);
  return GetById(performers_by_id_, id, "performer",
                 [this](auto i) { return store_->GetPerformer(i); });
}

Result<std::vector<storage::ChannelId>> CatalogueService::ResolveChannels(
    std::span<const std::string> names) {
  std::vector<storage::ChannelId> ids;
  std::vector<std::string_view> unknown;
  ids.reserve(names.size());
  for (const std::string& name : names) {
    // Every chart request resolves its channels: the cached ones without
    // copying their records.
    storage::ChannelId id = 0;
    if (!channels_.Read(name, [&id](const storage::ChannelRecord& c) { id = c.id; })) {
      Result<storage::ChannelRecord> channel = FindChannel(name);
      if (channel.status().IsNotFound()) {
        if (std::find(unknown.begin(), unknown.end(), name) == unknown.end()) {
          unknown.push_back(name);
        }
        continue;
      }
      if (!channel.ok()) return channel.status();
      id = channel->id;
    }
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  if (!unknown.empty()) {
    std::string message = unknown.size() == 1 ? "channel " : "channels ";
    for (std::size_t i = 0; i < unknown.size(); ++i) {
      message += (i == 0 ? "'" : ", '") + std::string(unknown[i]) + "'";
    }
    return Status::NotFound(message + " not found");
  }
  return ids;
}

}  // namespace spinlog::domain
