#include "domain/play_namer.h"

#include <utility>

namespace spinlog::domain {

Result<PlayByNames> PlayNamer::Name(const storage::PlayRecord& play) {
  SPINLOG_ASSIGN_OR_RETURN(const std::string* channel, ChannelName(play.channel_id));
  SPINLOG_ASSIGN_OR_RETURN(const SongNames* song, Song(play.song_id));
  return PlayByNames{*channel, song->performer, song->title,  play.start,
                     play.end, play.channel_id, play.song_id, song->performer_id};
}

Result<const PlayNamer::SongNames*> PlayNamer::Song(storage::SongId id) {
  auto it = songs_.find(id);
  if (it != songs_.end()) return &it->second;
  SPINLOG_ASSIGN_OR_RETURN(storage::SongRecord song, catalogue_->GetSong(id));
  SPINLOG_ASSIGN_OR_RETURN(storage::PerformerRecord performer,
                           catalogue_->GetPerformer(song.performer_id));
  it = songs_.emplace(id, SongNames{performer.id, std::move(performer.name), std::move(song.title)})
           .first;
  return &it->second;
}

Result<const std::string*> PlayNamer::ChannelName(storage::ChannelId id) {
  if (id == last_channel_id_ && last_channel_name_ != nullptr) return last_channel_name_;
  auto it = channels_.find(id);
  if (it == channels_.end()) {
    SPINLOG_ASSIGN_OR_RETURN(storage::ChannelRecord channel, catalogue_->GetChannel(id));
    it = channels_.emplace(id, std::move(channel.name)).first;
  }
  // Pointers into an unordered_map stay valid as it grows.
  last_channel_id_ = id;
  last_channel_name_ = &it->second;
  return last_channel_name_;
}

}  // namespace spinlog::domain
