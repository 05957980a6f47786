// CatalogueService's writes: creating records with every field, updates,
// deletions and merges. The store does each in one atomic write; this layer
// checks the fields first and then brings what lives in memory in step:
// the name and id caches, and the charts' song labels and counts.
//
// Performer and song writes hold record_update_mutex_ exclusively (channel
// writes channel_update_mutex_), so that no cache fill that read the store
// before a write lands in a cache after the write cleaned it.
#include <mutex>

#include "domain/catalogue_service.h"
#include "domain/names.h"

namespace spinlog::domain {
namespace {

Status NotFoundId(const char* what, std::uint32_t id) {
  return Status::NotFound(std::string("no ") + what + " has id " + std::to_string(id));
}

// The store's NotFound for `id` in our words; other errors as they are.
Status Explain(const Status& status, const char* what, std::uint32_t id) {
  return status.IsNotFound() ? NotFoundId(what, id) : status;
}

}  // namespace

Status CatalogueService::CheckPerformerExists(storage::PerformerId id, const char* field) {
  Result<storage::PerformerRecord> performer = store_->GetPerformer(id);
  if (performer.status().IsNotFound()) {
    return Status::InvalidFields({{field, "no performer has id " + std::to_string(id)}});
  }
  return performer.status();
}

Result<storage::ChannelRecord> CatalogueService::CreateChannel(const ChannelChange& change,
                                                               bool* created) {
  std::vector<FieldViolation> problems;
  storage::ChannelRecord channel;
  channel.name = NormalizeName("name", change.name.value_or(""), &problems);
  if (change.country) channel.country = NormalizeCountry("country", *change.country, &problems);
  if (change.audience) {
    if (*change.audience < -1 || *change.audience > kMaxAudience) {
      problems.push_back({"audience", "must be a whole number of listeners from 0 to " +
                                          std::to_string(kMaxAudience)});
    } else {
      channel.audience = *change.audience;
    }
  }
  if (change.attributes) {  // a patch over none
    SPINLOG_ASSIGN_OR_RETURN(channel.attributes,
                             ApplyAttributesPatch("", *change.attributes, &problems));
  }
  if (!problems.empty()) return Status::InvalidFields(std::move(problems));
  std::shared_lock lock(channel_update_mutex_);
  SPINLOG_ASSIGN_OR_RETURN(storage::ChannelRecord stored, store_->CreateChannel(channel, created));
  channels_.Put(stored.name, stored);
  channels_by_id_.Put(stored.id, stored);
  if (*created) charts_->SetChannelAudience(stored.id, stored.audience);
  return stored;
}

Result<storage::PerformerRecord> CatalogueService::CreatePerformer(const PerformerChange& change,
                                                                   bool* created) {
  std::vector<FieldViolation> problems;
  storage::PerformerRecord performer;
  PerformerChange complete = change;
  if (!complete.name) complete.name = "";  // reported as empty
  ApplyPerformerChange(complete, &performer, &problems);
  if (!problems.empty()) return Status::InvalidFields(std::move(problems));
  std::shared_lock lock(record_update_mutex_);
  SPINLOG_ASSIGN_OR_RETURN(storage::PerformerRecord stored,
                           store_->CreatePerformer(performer, created));
  performers_.Put(stored.name, stored);
  performers_by_id_.Put(stored.id, stored);
  return stored;
}

Result<storage::SongRecord> CatalogueService::CreateSong(const SongChange& change, bool* created) {
  std::vector<FieldViolation> problems;
  storage::SongRecord song;
  SongChange complete = change;
  if (!complete.title) complete.title = "";
  ApplySongChange(complete, &song, &problems);
  if (!problems.empty()) return Status::InvalidFields(std::move(problems));
  std::shared_lock lock(record_update_mutex_);
  SPINLOG_RETURN_IF_ERROR(CheckPerformerExists(song.performer_id, "performer_id"));
  Result<storage::SongRecord> stored = store_->CreateSong(song, created);
  if (stored.status().IsNotFound()) {  // deleted meanwhile
    return Status::InvalidFields(
        {{"performer_id", "no performer has id " + std::to_string(song.performer_id)}});
  }
  if (!stored.ok()) return stored.status();
  SPINLOG_ASSIGN_OR_RETURN(storage::PerformerRecord performer,
                           store_->GetPerformer(stored->performer_id));
  charts_->RegisterSong(stored->id, performer.name, stored->title, performer.id);
  songs_.Put(SongKey(stored->performer_id, stored->title), *stored);
  songs_by_id_.Put(stored->id, *stored);
  return stored;
}

Result<storage::PerformerRecord> CatalogueService::UpdatePerformer(storage::PerformerId id,
                                                                   const PerformerChange& change) {
  std::vector<FieldViolation> problems;
  storage::PerformerRecord checked;
  ApplyPerformerChange(change, &checked, &problems);
  if (!problems.empty()) return Status::InvalidFields(std::move(problems));

  std::unique_lock lock(record_update_mutex_);
  Result<storage::PerformerRecord> found = store_->GetPerformer(id);
  if (!found.ok()) return Explain(found.status(), "performer", id);
  storage::PerformerRecord performer = *found;
  ApplyPerformerChange(change, &performer, &problems);  // checked above: no problems
  SPINLOG_ASSIGN_OR_RETURN(storage::PerformerRecord updated, store_->UpdatePerformer(performer));
  if (updated.name != found->name) {
    performers_.Erase(found->name);
    // Charts rank ties by performer name: relabel the performer's songs.
    for (storage::SongId song : charts_->SongsOf(id)) {
      Result<storage::SongRecord> record = store_->GetSong(song);
      if (!record.ok()) return record.status();
      charts_->RegisterSong(song, updated.name, record->title, id);
    }
  }
  performers_.Put(updated.name, updated);
  performers_by_id_.Put(updated.id, updated);
  return updated;
}

Result<storage::SongRecord> CatalogueService::UpdateSong(storage::SongId id,
                                                         const SongChange& change) {
  std::vector<FieldViolation> problems;
  storage::SongRecord checked;
  ApplySongChange(change, &checked, &problems);
  if (!problems.empty()) return Status::InvalidFields(std::move(problems));

  std::unique_lock lock(record_update_mutex_);
  Result<storage::SongRecord> found = store_->GetSong(id);
  if (!found.ok()) return Explain(found.status(), "song", id);
  storage::SongRecord song = *found;
  ApplySongChange(change, &song, &problems);
  if (song.performer_id != found->performer_id) {
    SPINLOG_RETURN_IF_ERROR(CheckPerformerExists(song.performer_id, "performer_id"));
  }
  SPINLOG_ASSIGN_OR_RETURN(storage::SongRecord updated, store_->UpdateSong(song));
  SPINLOG_ASSIGN_OR_RETURN(storage::PerformerRecord performer,
                           store_->GetPerformer(updated.performer_id));
  songs_.Erase(SongKey(found->performer_id, found->title));
  songs_.Put(SongKey(updated.performer_id, updated.title), updated);
  songs_by_id_.Put(updated.id, updated);
  charts_->RegisterSong(updated.id, performer.name, updated.title, performer.id);
  return updated;
}

Status CatalogueService::DeleteChannel(storage::ChannelId id) {
  std::unique_lock lock(channel_update_mutex_);
  Result<storage::ChannelRecord> found = store_->GetChannel(id);
  if (!found.ok()) return Explain(found.status(), "channel", id);
  SPINLOG_RETURN_IF_ERROR(store_->DeleteChannel(id));
  channels_.Erase(found->name);
  channels_by_id_.Erase(id);
  charts_->SetChannelAudience(id, -1);
  return Status::OK();
}

Status CatalogueService::DeletePerformer(storage::PerformerId id) {
  std::unique_lock lock(record_update_mutex_);
  Result<storage::PerformerRecord> found = store_->GetPerformer(id);
  if (!found.ok()) return Explain(found.status(), "performer", id);
  SPINLOG_RETURN_IF_ERROR(store_->DeletePerformer(id));
  performers_.Erase(found->name);
  performers_by_id_.Erase(id);
  return Status::OK();
}

Status CatalogueService::DeleteSong(storage::SongId id) {
  std::unique_lock lock(record_update_mutex_);
  Result<storage::SongRecord> found = store_->GetSong(id);
  if (!found.ok()) return Explain(found.status(), "song", id);
  SPINLOG_RETURN_IF_ERROR(store_->DeleteSong(id));
  songs_.Erase(SongKey(found->performer_id, found->title));
  songs_by_id_.Erase(id);
  charts_->ForgetSong(id);
  return Status::OK();
}

Status CatalogueService::MergeSongs(storage::SongId from, storage::SongId into) {
  if (from == into) {
    return Status::InvalidFields({{"into", "is the song to merge; give another song's id"}});
  }
  std::unique_lock lock(record_update_mutex_);
  Result<storage::SongRecord> source = store_->GetSong(from);
  if (!source.ok()) return Explain(source.status(), "song", from);
  Result<storage::SongRecord> target = store_->GetSong(into);
  if (target.status().IsNotFound()) {
    return Status::InvalidFields({{"into", "no song has id " + std::to_string(into)}});
  }
  if (!target.ok()) return target.status();
  SPINLOG_RETURN_IF_ERROR(store_->MergeSongs(from, into));
  songs_.Erase(SongKey(source->performer_id, source->title));
  songs_by_id_.Erase(from);
  charts_->MergeSong(from, into);
  return Status::OK();
}

Result<storage::PerformerMergeResult> CatalogueService::MergePerformers(storage::PerformerId from,
                                                                        storage::PerformerId into) {
  if (from == into) {
    return Status::InvalidFields({{"into", "is the performer to merge; give another performer's id"}});
  }
  std::unique_lock lock(record_update_mutex_);
  Result<storage::PerformerRecord> source = store_->GetPerformer(from);
  if (!source.ok()) return Explain(source.status(), "performer", from);
  Result<storage::PerformerRecord> target = store_->GetPerformer(into);
  if (target.status().IsNotFound()) {
    return Status::InvalidFields({{"into", "no performer has id " + std::to_string(into)}});
  }
  if (!target.ok()) return target.status();
  SPINLOG_ASSIGN_OR_RETURN(storage::PerformerMergeResult result,
                           store_->MergePerformers(from, into));
  // Every cached song of `from` is keyed by its id: drop them all.
  songs_.ErasePrefix(SongKey(from, ""));
  for (const storage::SongRecord& song : result.moved) {
    songs_.Put(SongKey(into, song.title), song);
    songs_by_id_.Put(song.id, song);
    charts_->RegisterSong(song.id, target->name, song.title, into);
  }
  for (const auto& [song, merged_into] : result.merged) {
    songs_by_id_.Erase(song);
    charts_->MergeSong(song, merged_into);
  }
  performers_.Erase(source->name);
  performers_by_id_.Erase(from);
  return result;
}

void CatalogueService::ForgetChanged(const storage::CatalogueChange& change) {
  using Kind = storage::CatalogueChange::Kind;
  const std::uint32_t id = change.id;
  // Exclusively, like this service's own writes: no fill that read the
  // record before the change lands in a cache after this.
  switch (change.kind) {
    case Kind::kChannel: {
      std::unique_lock lock(channel_update_mutex_);
      channels_.EraseIf([id](const storage::ChannelRecord& r) { return r.id == id; });
      channels_by_id_.Erase(id);
      break;
    }
    case Kind::kPerformer: {
      std::unique_lock lock(record_update_mutex_);
      performers_.EraseIf([id](const storage::PerformerRecord& r) { return r.id == id; });
      performers_by_id_.Erase(id);
      // Songs are cached under their performer's id.
      songs_.EraseIf([id](const storage::SongRecord& r) { return r.performer_id == id; });
      break;
    }
    case Kind::kSong: {
      std::unique_lock lock(record_update_mutex_);
      songs_.EraseIf([id](const storage::SongRecord& r) { return r.id == id; });
      songs_by_id_.Erase(id);
      break;
    }
  }
}

}  // namespace spinlog::domain
