// ForwardingStore: a Store that forwards every call to another one, for
// tests that watch or change a few calls of a real store (override those).
#pragma once

#include <cstddef>

#include "storage/store.h"

namespace spinlog::testing {

class ForwardingStore : public storage::Store {
 public:
  // REQUIRES: `store` outlives this one.
  explicit ForwardingStore(storage::Store* store) : store_(store) {}

  Status SeekChannelPlays(storage::ChannelId channel, const storage::PlaySeek& seek,
                          const storage::PlayVisitor& visit) override {
    return store_->SeekChannelPlays(channel, seek, visit);
  }
  Status SeekSongPlays(storage::SongId song, const storage::PlaySeek& seek,
                       const storage::PlayVisitor& visit) override {
    return store_->SeekSongPlays(song, seek, visit);
  }
  Result<storage::ChannelRecord> UpsertChannel(std::string_view name, bool* created) override {
    return store_->UpsertChannel(name, created);
  }
  Result<storage::PerformerRecord> UpsertPerformer(std::string_view name, bool* created) override {
    return store_->UpsertPerformer(name, created);
  }
  Result<storage::SongRecord> UpsertSong(storage::PerformerId performer, std::string_view title,
                                         bool* created) override {
    return store_->UpsertSong(performer, title, created);
  }
  Result<storage::ChannelRecord> FindChannel(std::string_view name) override {
    return store_->FindChannel(name);
  }
  Result<storage::PerformerRecord> FindPerformer(std::string_view name) override {
    return store_->FindPerformer(name);
  }
  Result<storage::SongRecord> FindSong(storage::PerformerId performer,
                                       std::string_view title) override {
    return store_->FindSong(performer, title);
  }
  Result<storage::ChannelRecord> GetChannel(storage::ChannelId id) override {
    return store_->GetChannel(id);
  }
  Result<storage::PerformerRecord> GetPerformer(storage::PerformerId id) override {
    return store_->GetPerformer(id);
  }
  Result<storage::SongRecord> GetSong(storage::SongId id) override { return store_->GetSong(id); }
  Result<storage::ChannelRecord> UpdateChannel(const storage::ChannelRecord& channel) override {
    return store_->UpdateChannel(channel);
  }
  Status ForEachChannel(const std::function<void(const storage::ChannelRecord&)>& visit) override {
    return store_->ForEachChannel(visit);
  }
  Status ForEachPerformer(
      const std::function<void(const storage::PerformerRecord&)>& visit) override {
    return store_->ForEachPerformer(visit);
  }
  Status ForEachSong(const std::function<void(const storage::SongRecord&)>& visit) override {
    return store_->ForEachSong(visit);
  }
  Status SeekChannels(storage::ChannelId after,
                      const storage::RecordVisitor<storage::ChannelRecord>& visit) override {
    return store_->SeekChannels(after, visit);
  }
  Status SeekPerformers(storage::PerformerId after,
                        const storage::RecordVisitor<storage::PerformerRecord>& visit) override {
    return store_->SeekPerformers(after, visit);
  }
  Status SeekSongs(storage::SongId after,
                   const storage::RecordVisitor<storage::SongRecord>& visit) override {
    return store_->SeekSongs(after, visit);
  }
  Status SeekChannelsByName(const storage::NameSeek& seek,
                            const storage::RecordVisitor<storage::ChannelRecord>& visit) override {
    return store_->SeekChannelsByName(seek, visit);
  }
  Status SeekPerformersByName(
      const storage::NameSeek& seek,
      const storage::RecordVisitor<storage::PerformerRecord>& visit) override {
    return store_->SeekPerformersByName(seek, visit);
  }
  Status SeekSongsByTitle(storage::PerformerId performer, const storage::NameSeek& seek,
                          const storage::RecordVisitor<storage::SongRecord>& visit) override {
    return store_->SeekSongsByTitle(performer, seek, visit);
  }
  Status SeekSongsByTitleAll(const storage::TitleSeek& seek,
                             const storage::RecordVisitor<storage::SongRecord>& visit) override {
    return store_->SeekSongsByTitleAll(seek, visit);
  }
  Status SeekChannelsByCountry(std::string_view country, const storage::NameSeek& seek,
                               const storage::RecordVisitor<storage::ChannelRecord>& visit) override {
    return store_->SeekChannelsByCountry(country, seek, visit);
  }
  Status SeekPerformersByCountry(
      std::string_view country, const storage::NameSeek& seek,
      const storage::RecordVisitor<storage::PerformerRecord>& visit) override {
    return store_->SeekPerformersByCountry(country, seek, visit);
  }
  Result<storage::ChannelRecord> CreateChannel(const storage::ChannelRecord& channel,
                                               bool* created) override {
    return store_->CreateChannel(channel, created);
  }
  Result<storage::PerformerRecord> CreatePerformer(const storage::PerformerRecord& performer,
                                                   bool* created) override {
    return store_->CreatePerformer(performer, created);
  }
  Result<storage::SongRecord> CreateSong(const storage::SongRecord& song, bool* created) override {
    return store_->CreateSong(song, created);
  }
  Result<storage::PerformerRecord> UpdatePerformer(
      const storage::PerformerRecord& performer) override {
    return store_->UpdatePerformer(performer);
  }
  Result<storage::SongRecord> UpdateSong(const storage::SongRecord& song) override {
    return store_->UpdateSong(song);
  }
  Status DeleteChannel(storage::ChannelId id) override { return store_->DeleteChannel(id); }
  Status DeletePerformer(storage::PerformerId id) override { return store_->DeletePerformer(id); }
  Status DeleteSong(storage::SongId id) override { return store_->DeleteSong(id); }
  Status MergeSongs(storage::SongId from, storage::SongId into) override {
    return store_->MergeSongs(from, into);
  }
  Result<storage::PerformerMergeResult> MergePerformers(storage::PerformerId from,
                                                        storage::PerformerId into) override {
    return store_->MergePerformers(from, into);
  }
  Result<storage::ChannelGroupRecord> CreateChannelGroup(
      std::string_view name, std::span<const storage::ChannelId> channels) override {
    return store_->CreateChannelGroup(name, channels);
  }
  Result<storage::ChannelGroupRecord> GetChannelGroup(storage::ChannelGroupId id) override {
    return store_->GetChannelGroup(id);
  }
  Result<storage::ChannelGroupRecord> FindChannelGroup(std::string_view name) override {
    return store_->FindChannelGroup(name);
  }
  Result<storage::ChannelGroupRecord> UpdateChannelGroup(
      const storage::ChannelGroupRecord& group) override {
    return store_->UpdateChannelGroup(group);
  }
  Status DeleteChannelGroup(storage::ChannelGroupId id) override {
    return store_->DeleteChannelGroup(id);
  }
  Status ForEachChannelGroup(
      storage::ChannelGroupId after,
      const std::function<bool(const storage::ChannelGroupRecord&)>& visit) override {
    return store_->ForEachChannelGroup(after, visit);
  }
  Result<std::vector<storage::PlayInsertResult>> InsertPlays(
      std::span<const storage::PlayRecord> plays) override {
    return store_->InsertPlays(plays);
  }
  std::size_t ConcurrentPlayWrites() const override { return store_->ConcurrentPlayWrites(); }
  Status ScanAllPlays(const storage::PlayVisitor& visit) override {
    return store_->ScanAllPlays(visit);
  }
  Status ScanDailyCounts(const storage::DailyCountsVisitor& visit) override {
    return store_->ScanDailyCounts(visit);
  }
  Status Flush() override { return store_->Flush(); }
  Status CheckWritable() override { return store_->CheckWritable(); }
  std::vector<storage::StoreStatistic> Statistics() override { return store_->Statistics(); }

 protected:
  storage::Store* store_;
};

}  // namespace spinlog::testing
