#include "main/import_resolver.h"

#include <cstring>
#include <utility>

#include "domain/names.h"
#include "domain/play_rules.h"
#include "text/datetime.h"

namespace spinlog {
Status ImportResolver::Resolve(const domain::PlayInput& play, storage::PlayRecord* record,
                               std::vector<FieldViolation>* problems) {
  record->start = play.start;
  record->end = play.end;
  if (play.channel_id != 0) {
    SPINLOG_RETURN_IF_ERROR(
        CheckId(play.channel_id, "channel_id", &known_channels_, problems,
                [this](std::uint32_t id) { return catalogue_->GetChannel(id).status(); }));
    record->channel_id = play.channel_id;
  } else {
    SPINLOG_ASSIGN_OR_RETURN(storage::ChannelRecord channel, catalogue_->AddChannel(play.channel));
    record->channel_id = channel.id;
  }
  if (play.song_id != 0) {
    SPINLOG_RETURN_IF_ERROR(
        CheckId(play.song_id, "song_id", &known_songs_, problems,
                [this](std::uint32_t id) { return catalogue_->GetSong(id).status(); }));
    record->song_id = play.song_id;
  } else {
    SPINLOG_ASSIGN_OR_RETURN(storage::SongRecord song,
                             catalogue_->AddSong(play.performer, play.title));
    record->song_id = song.id;
  }
  return Status::OK();
}

// Looks `id` up once; a NotFound becomes a problem of `field` (its message
// names the id), as the API reports it.
template <typename Lookup>
Status ImportResolver::CheckId(std::uint32_t id, const char* field,
                               std::unordered_map<std::uint32_t, Status>* known,
                               std::vector<FieldViolation>* problems, const Lookup& lookup) {
  auto it = known->find(id);
  if (it == known->end()) {
    Status found = lookup(id);
    if (!found.ok() && !found.IsNotFound()) return found;
    it = known->emplace(id, std::move(found)).first;
  }
  if (!it->second.ok()) problems->push_back({field, it->second.message()});
  return Status::OK();
}

Result<bool> ImportResolver::TryResolveLine(std::string_view line, storage::PlayRecord* record) {
  if (!object_reader_.Read(line)) return false;
  // Exactly the five fields, once each, all strings: the general decoder
  // would read the same values (and nothing else) from such an object.
  enum Field { kChannel, kPerformer, kTitle, kStart, kEnd, kFieldCount };
  static constexpr std::string_view kNames[kFieldCount] = {"channel", "performer", "title",
                                                           "start", "end"};
  if (object_reader_.members().size() != kFieldCount) return false;
  std::string_view values[kFieldCount];
  bool seen[kFieldCount] = {};
  for (const auto& [name, value] : object_reader_.members()) {
    int field = 0;
    while (field < kFieldCount && kNames[field] != name) ++field;
    if (field == kFieldCount || seen[field]) return false;
    seen[field] = true;
    values[field] = value;
  }

  Result<UnixMicros> start = text::ParseDatetime(values[kStart]);
  Result<UnixMicros> end = text::ParseDatetime(values[kEnd]);
  if (!start.ok() || !end.ok()) return false;
  record->start = domain::TruncateToSecond(*start);
  record->end = domain::TruncateToSecond(*end);
  scratch_.clear();
  domain::CheckPlayTimes(record->start, record->end, &scratch_);
  if (!scratch_.empty()) return false;

  // Every name is checked before anything is created: an invalid line must
  // leave the catalogue as the general path would, untouched.
  const std::optional<std::uint32_t> channel = channels_.Find(values[kChannel]);
  std::string channel_name;
  if (!channel) {
    if (!Normalize("channel", values[kChannel], &channel_name)) {
      channels_.Remember(values[kChannel], 0);
      return false;
    }
  } else if (*channel == 0) {
    return false;
  }
  const std::optional<std::uint32_t> song = songs_.Find(values[kPerformer], values[kTitle]);
  std::string performer_name;
  std::string title_name;
  if (!song) {
    const bool valid = Normalize("performer", values[kPerformer], &performer_name);
    if (!Normalize("title", values[kTitle], &title_name) || !valid) {
      songs_.Remember(values[kPerformer], values[kTitle], 0);
      return false;
    }
  } else if (*song == 0) {
    return false;
  }

  if (channel) {
    record->channel_id = *channel;
  } else {
    SPINLOG_ASSIGN_OR_RETURN(storage::ChannelRecord created, catalogue_->AddChannel(channel_name));
    record->channel_id = created.id;
    channels_.Remember(values[kChannel], created.id);
  }
  if (song) {
    record->song_id = *song;
  } else {
    SPINLOG_ASSIGN_OR_RETURN(storage::SongRecord created,
                             catalogue_->AddSong(performer_name, title_name));
    record->song_id = created.id;
    songs_.Remember(values[kPerformer], values[kTitle], created.id);
  }
  return true;
}

bool ImportResolver::Normalize(const char* field, std::string_view raw, std::string* name) {
  scratch_.clear();
  *name = domain::NormalizeName(field, raw, &scratch_);
  return scratch_.empty();
}

}  // namespace spinlog
