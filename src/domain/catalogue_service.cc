#include "domain/catalogue_service.h"

#include <algorithm>

namespace spinlog::domain {

CatalogueService::CatalogueService(storage::Store* store, charts::ChartService* charts)
    : store_(store), charts_(charts) {}

Result<storage::ChannelRecord> CatalogueService::AddChannel(std::string_view name) {
  return store_->UpsertChannel(name, nullptr);
}

Result<storage::PerformerRecord> CatalogueService::AddPerformer(std::string_view name) {
  return store_->UpsertPerformer(name, nullptr);
}

Result<storage::SongRecord> CatalogueService::AddSong(std::string_view performer,
                                                      std::string_view title) {
  SPINLOG_ASSIGN_OR_RETURN(storage::PerformerRecord p, store_->UpsertPerformer(performer, nullptr));
  SPINLOG_ASSIGN_OR_RETURN(storage::SongRecord song, store_->UpsertSong(p.id, title, nullptr));
  charts_->RegisterSong(song.id, p.name, song.title);
  return song;
}

Result<storage::ChannelRecord> CatalogueService::FindChannel(std::string_view name) {
  Result<storage::ChannelRecord> channel = store_->FindChannel(name);
  if (channel.status().IsNotFound()) {
    return Status::NotFound("channel '" + std::string(name) + "' not found");
  }
  return channel;
}

Result<storage::SongRecord> CatalogueService::FindSong(std::string_view performer,
                                                       std::string_view title) {
  const std::string what =
      "song '" + std::string(title) + "' by '" + std::string(performer) + "' not found";
  Result<storage::PerformerRecord> p = store_->FindPerformer(performer);
  if (p.status().IsNotFound()) return Status::NotFound(what);
  if (!p.ok()) return p.status();
  Result<storage::SongRecord> song = store_->FindSong(p->id, title);
  if (song.status().IsNotFound()) return Status::NotFound(what);
  return song;
}

Result<std::vector<storage::ChannelId>> CatalogueService::ResolveChannels(
    std::span<const std::string> names) {
  std::vector<storage::ChannelId> ids;
  std::vector<std::string_view> unknown;
  for (const std::string& name : names) {
    Result<storage::ChannelRecord> channel = store_->FindChannel(name);
    if (channel.status().IsNotFound()) {
      if (std::find(unknown.begin(), unknown.end(), name) == unknown.end()) {
        unknown.push_back(name);
      }
      continue;
    }
    if (!channel.ok()) return channel.status();
    if (std::find(ids.begin(), ids.end(), channel->id) == ids.end()) ids.push_back(channel->id);
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
