// Catalogue writes on the PostgreSQL store. What its schema holds (names, a
// channel's country and audience) is created as on the embedded store; the
// rest (performer and song details, renames of performers and songs,
// deletions, merges, country and title-wide lists) is not in its schema yet
// and answers Unimplemented, which the API turns into 501 with this reason,
// rather than dropping fields or pretending. docs/operations.md lists it.
#include "storage/postgresql/pg_store_impl.h"

namespace spinlog::storage::pg {
namespace {

Status NotYet(std::string_view what) {
  return Status::Unimplemented(std::string(what) +
                               " is not available on the PostgreSQL store yet; the embedded "
                               "store has it");
}

}  // namespace

Result<ChannelRecord> PostgresStore::CreateChannel(const ChannelRecord& channel, bool* created) {
  bool made = false;
  SPINLOG_ASSIGN_OR_RETURN(ChannelRecord stored, UpsertChannel(channel.name, &made));
  if (created != nullptr) *created = made;
  if (!made || (channel.country.empty() && channel.audience < 0)) return stored;
  ChannelRecord details = channel;
  details.id = stored.id;
  details.name = stored.name;
  return UpdateChannel(details);
}

Result<PerformerRecord> PostgresStore::CreatePerformer(const PerformerRecord& performer,
                                                       bool* created) {
  if (!performer.country.empty() || !performer.description.empty() ||
      !performer.date_of_birth.empty() || !performer.website.empty() ||
      !performer.picture_url.empty()) {
    return NotYet("a performer's country, description, date of birth, website or picture");
  }
  return UpsertPerformer(performer.name, created);
}

Result<SongRecord> PostgresStore::CreateSong(const SongRecord& song, bool* created) {
  if (song.duration_seconds != 0 || !song.release.empty() || !song.isrc.empty()) {
    return NotYet("a song's duration, release or ISRC");
  }
  SPINLOG_RETURN_IF_ERROR(GetPerformer(song.performer_id).status());
  return UpsertSong(song.performer_id, song.title, created);
}

Result<PerformerRecord> PostgresStore::UpdatePerformer(const PerformerRecord&) {
  return NotYet("changing a performer");
}
Result<SongRecord> PostgresStore::UpdateSong(const SongRecord&) {
  return NotYet("changing a song");
}
Status PostgresStore::DeleteChannel(ChannelId) { return NotYet("deleting a channel"); }
Status PostgresStore::DeletePerformer(PerformerId) { return NotYet("deleting a performer"); }
Status PostgresStore::DeleteSong(SongId) { return NotYet("deleting a song"); }
Status PostgresStore::MergeSongs(SongId, SongId) { return NotYet("merging songs"); }
Result<PerformerMergeResult> PostgresStore::MergePerformers(PerformerId, PerformerId) {
  return NotYet("merging performers");
}
Status PostgresStore::SeekSongsByTitleAll(const TitleSeek&, const RecordVisitor<SongRecord>&) {
  return NotYet("listing songs by title across performers");
}
Status PostgresStore::SeekChannelsByCountry(std::string_view, const NameSeek&,
                                            const RecordVisitor<ChannelRecord>&) {
  return NotYet("listing channels by country");
}
Status PostgresStore::SeekPerformersByCountry(std::string_view, const NameSeek&,
                                              const RecordVisitor<PerformerRecord>&) {
  return NotYet("listing performers by country");
}

}  // namespace spinlog::storage::pg
