// PlayNamer: turns stored plays (ids) into plays by names for answers,
// remembering the names it has looked up: a list of plays repeats few
// channels and songs, and each catalogue lookup costs a probe under a lock.
//
// Thread-safety: none; a namer is a memo for one request on one thread.
#pragma once

#include <string>
#include <unordered_map>

#include "common/result.h"
#include "domain/catalogue_service.h"
#include "domain/play_service.h"

namespace spinlog::domain {

class PlayNamer {
 public:
  struct SongNames {
    storage::PerformerId performer_id = 0;
    std::string performer;
    std::string title;
  };

  // REQUIRES: `catalogue` outlives the namer.
  explicit PlayNamer(CatalogueService* catalogue) : catalogue_(catalogue) {}

  // The play with the names and ids of its channel, song and performer.
  // NotFound when the catalogue lacks one of them.
  Result<PlayByNames> Name(const storage::PlayRecord& play);

  // The title and performer of song `id`; the pointer stays valid as long as
  // the namer. NotFound when there is no such song (or performer).
  Result<const SongNames*> Song(storage::SongId id);

 private:
  Result<const std::string*> ChannelName(storage::ChannelId id);

  CatalogueService* catalogue_;
  std::unordered_map<storage::SongId, SongNames> songs_;
  std::unordered_map<storage::ChannelId, std::string> channels_;
  // Most lists are of one channel: the last one asked for, without a probe.
  storage::ChannelId last_channel_id_ = 0;
  const std::string* last_channel_name_ = nullptr;
};

}  // namespace spinlog::domain
