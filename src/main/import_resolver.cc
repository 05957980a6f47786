#include "main/import_resolver.h"

#include <cstring>
#include <utility>

#include "domain/names.h"
#include "domain/play_rules.h"
#include "text/datetime.h"

namespace spinlog {
namespace {

// Past this many entries a memo starts over; its catalogue lookups stay
// correct either way, only slower. About 100 bytes an entry.
constexpr std::size_t kMaxMemoEntries = 4'000'000;

}  // namespace

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
  auto channel = channels_.find(values[kChannel]);
  std::string channel_name;
  if (channel == channels_.end()) {
    if (!Normalize("channel", values[kChannel], &channel_name)) {
      Remember(&channels_, values[kChannel], 0);
      return false;
    }
  } else if (channel->second == 0) {
    return false;
  }
  const auto length = static_cast<std::uint32_t>(values[kPerformer].size());
  song_key_.assign(reinterpret_cast<const char*>(&length), sizeof(length));
  song_key_.append(values[kPerformer]);
  song_key_.append(values[kTitle]);
  auto song = songs_.find(song_key_);
  std::string performer_name;
  std::string title_name;
  if (song == songs_.end()) {
    const bool valid = Normalize("performer", values[kPerformer], &performer_name);
    if (!Normalize("title", values[kTitle], &title_name) || !valid) {
      Remember(&songs_, song_key_, 0);
      return false;
    }
  } else if (song->second == 0) {
    return false;
  }

  if (channel != channels_.end()) {
    record->channel_id = channel->second;
  } else {
    SPINLOG_ASSIGN_OR_RETURN(storage::ChannelRecord created, catalogue_->AddChannel(channel_name));
    record->channel_id = created.id;
    Remember(&channels_, values[kChannel], created.id);
  }
  if (song != songs_.end()) {
    record->song_id = song->second;
  } else {
    SPINLOG_ASSIGN_OR_RETURN(storage::SongRecord created,
                             catalogue_->AddSong(performer_name, title_name));
    record->song_id = created.id;
    Remember(&songs_, song_key_, created.id);
  }
  return true;
}

bool ImportResolver::Normalize(const char* field, std::string_view raw, std::string* name) {
  scratch_.clear();
  *name = domain::NormalizeName(field, raw, &scratch_);
  return scratch_.empty();
}

void ImportResolver::Remember(Memo* memo, std::string_view key, std::uint32_t id) {
  if (memo->size() >= kMaxMemoEntries) memo->clear();
  memo->emplace(std::string(key), id);
}

}  // namespace spinlog
