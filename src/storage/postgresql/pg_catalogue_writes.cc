// Catalogue writes of PostgresStore beyond creation: updates, deletions and
// merges, each one transaction, with the semantics (and Status codes) of the
// embedded store (rocksdb_catalogue_writes.cc).
//
// Locks, always taken in this order so that writers cannot deadlock:
//   1. the play lock (kPlayLockExclusive), by whatever must see no play
//      being written: deletions of channels and songs, merges;
//   2. the row of id_counters of the kind whose creations must not
//      interleave: 'song' for deletions and merges of performers (CreateSong
//      checks and redirects performers under it), 'channel_group' for
//      deletions of channels (a group being created cannot take the channel).
// Each write also adds a catalogue_feed row, in its transaction, for the
// other nodes (PollForeignCatalogueChanges).
#include <pqxx/except>

#include "storage/postgresql/pg_rows.h"
#include "storage/postgresql/pg_store_impl.h"

namespace spinlog::storage::pg {
namespace {

std::string Named(std::string_view kind, std::uint32_t id) {
  return std::string(kind) + " " + std::to_string(id);
}

// The id of the record `sql` ($1) finds, or 0.
std::uint32_t IdOf(pqxx::work& tx, const std::string& sql, const pqxx::binarystring& name) {
  const pqxx::result r = tx.exec_params(sql, name);
  return r.empty() ? 0u : r[0][0].as<std::uint32_t>();
}

// Whether record `id` of `table` exists, locking it against concurrent
// writes until the transaction ends.
bool LockRecord(pqxx::work& tx, const char* table, std::uint32_t id) {
  return !tx.exec_params(std::string("SELECT 1 FROM ") + table + " WHERE id = $1 FOR UPDATE",
                         std::int64_t{id})
              .empty();
}

void LockCounter(pqxx::work& tx, const char* kind) {
  tx.exec_params("SELECT 1 FROM id_counters WHERE kind = $1 FOR UPDATE", kind);
}

}  // namespace

void PostgresStore::Announce(pqxx::work& tx, const char* kind, const char* change,
                             std::uint32_t id, std::uint32_t into) {
  tx.exec_params0(
      "INSERT INTO catalogue_feed (node, kind, change, id, into_id) VALUES ($1, $2, $3, $4, $5)",
      node_id_, kind, change, std::int64_t{id}, std::int64_t{into});
}

// The message of AlreadyExists for `named`, held by `other` when it was found.
template <typename Record>
std::string NameTaken(const std::string& named, const Result<Record>& other) {
  return named + " exists" + (other.ok() ? " (id " + std::to_string(other->id) + ")" : "");
}

Result<PostgresStore::RowUpdate> PostgresStore::UpdateRow(
    const char* kind, std::uint32_t id, const std::function<pqxx::result(pqxx::work&)>& update) {
  const std::string what = Named(kind, id);
  RowUpdate outcome = RowUpdate::kMissing;
  SPINLOG_RETURN_IF_ERROR(
      Run("update " + what, Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
        outcome = RowUpdate::kMissing;
        pqxx::work tx(c);
        try {
          if (update(tx).affected_rows() != 1) return Status::OK();
        } catch (const pqxx::unique_violation&) {
          outcome = RowUpdate::kNameTaken;  // the transaction is void
          return Status::OK();
        } catch (const pqxx::foreign_key_violation&) {
          outcome = RowUpdate::kMissingReference;
          return Status::OK();
        }
        Announce(tx, kind, "updated", id);
        tx.commit();
        outcome = RowUpdate::kUpdated;
        return Status::OK();
      }));
  return outcome;
}

Result<ChannelRecord> PostgresStore::UpdateChannel(const ChannelRecord& channel) {
  SPINLOG_ASSIGN_OR_RETURN(const RowUpdate done, UpdateRow("channel", channel.id, [&](pqxx::work& tx) {
    return tx.exec_params(
        "UPDATE channels SET name = $2, country = $3, audience = $4, attributes = $5 "
        "WHERE id = $1",
        std::int64_t{channel.id}, Bytes(channel.name), channel.country, channel.audience,
        channel.attributes);
  }));
  switch (done) {
    case RowUpdate::kUpdated:
      return channel;
    case RowUpdate::kNameTaken:
      return Status::AlreadyExists(
          NameTaken("channel '" + channel.name + "'", FindChannel(channel.name)));
    case RowUpdate::kMissing:
    case RowUpdate::kMissingReference:
      break;
  }
  return Status::NotFound(Named("channel", channel.id) + " does not exist");
}

Result<PerformerRecord> PostgresStore::UpdatePerformer(const PerformerRecord& performer) {
  SPINLOG_ASSIGN_OR_RETURN(
      const RowUpdate done, UpdateRow("performer", performer.id, [&](pqxx::work& tx) {
        return tx.exec_params(
            "UPDATE performers SET name = $2, country = $3, description = $4, "
            "date_of_birth = $5, website = $6, picture_url = $7 WHERE id = $1",
            std::int64_t{performer.id}, Bytes(performer.name), performer.country,
            Bytes(performer.description), performer.date_of_birth, performer.website,
            performer.picture_url);
      }));
  switch (done) {
    case RowUpdate::kUpdated:
      return performer;
    case RowUpdate::kNameTaken:
      return Status::AlreadyExists(
          NameTaken("performer '" + performer.name + "'", FindPerformer(performer.name)));
    case RowUpdate::kMissing:
    case RowUpdate::kMissingReference:
      break;
  }
  return Status::NotFound(Named("performer", performer.id) + " does not exist");
}

Result<SongRecord> PostgresStore::UpdateSong(const SongRecord& song) {
  // The foreign key on performer_id refuses a missing performer.
  SPINLOG_ASSIGN_OR_RETURN(const RowUpdate done, UpdateRow("song", song.id, [&](pqxx::work& tx) {
    return tx.exec_params(
        "UPDATE songs SET performer_id = $2, title = $3, duration_seconds = $4, "
        "release = $5, isrc = $6 WHERE id = $1",
        std::int64_t{song.id}, std::int64_t{song.performer_id}, Bytes(song.title),
        song.duration_seconds, song.release, song.isrc);
  }));
  switch (done) {
    case RowUpdate::kUpdated:
      return song;
    case RowUpdate::kNameTaken:
      return Status::AlreadyExists(NameTaken(
          "song '" + song.title + "' of performer " + std::to_string(song.performer_id),
          FindSong(song.performer_id, song.title)));
    case RowUpdate::kMissingReference:
      return Status::NotFound(Named("performer", song.performer_id) + " does not exist");
    case RowUpdate::kMissing:
      break;
  }
  return Status::NotFound(Named("song", song.id) + " does not exist");
}

Status PostgresStore::DeleteChannel(ChannelId id) {
  const std::string what = Named("channel", id);
  return Run("delete " + what, Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec(kPlayLockExclusive);
    LockCounter(tx, "channel_group");
    if (!LockRecord(tx, "channels", id)) return Status::NotFound(what + " does not exist");
    if (!tx.exec_params("SELECT 1 FROM plays WHERE channel_id = $1 LIMIT 1", std::int64_t{id})
             .empty()) {
      return Status::Conflict(what + " has plays");
    }
    const pqxx::result holder = tx.exec_params(
        "SELECT id, name FROM channel_groups WHERE $1 = ANY (channels) ORDER BY id LIMIT 1",
        std::int64_t{id});
    if (!holder.empty()) {
      return Status::Conflict(what + " belongs to channel group '" + BytesOf(holder[0][1]) +
                              "' (id " + holder[0][0].as<std::string>() + ")");
    }
    tx.exec_params0("DELETE FROM channels WHERE id = $1", std::int64_t{id});
    Announce(tx, "channel", "deleted", id);
    tx.commit();
    return Status::OK();
  });
}

Status PostgresStore::DeletePerformer(PerformerId id) {
  const std::string what = Named("performer", id);
  return Run("delete " + what, Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
    pqxx::work tx(c);
    LockCounter(tx, "song");  // no song is being created for it
    if (!LockRecord(tx, "performers", id)) return Status::NotFound(what + " does not exist");
    if (!tx.exec_params("SELECT 1 FROM songs WHERE performer_id = $1 LIMIT 1", std::int64_t{id})
             .empty()) {
      return Status::Conflict(what + " has songs");
    }
    tx.exec_params0("DELETE FROM performers WHERE id = $1", std::int64_t{id});
    Announce(tx, "performer", "deleted", id);
    tx.commit();
    return Status::OK();
  });
}

Status PostgresStore::DeleteSong(SongId id) {
  const std::string what = Named("song", id);
  return Run("delete " + what, Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec(kPlayLockExclusive);
    if (!LockRecord(tx, "songs", id)) return Status::NotFound(what + " does not exist");
    if (!tx.exec_params("SELECT 1 FROM plays WHERE song_id = $1 LIMIT 1", std::int64_t{id})
             .empty()) {
      return Status::Conflict(what + " has plays");
    }
    tx.exec_params0("DELETE FROM songs WHERE id = $1", std::int64_t{id});
    Announce(tx, "song", "deleted", id);
    tx.commit();
    return Status::OK();
  });
}

// Moves the plays and, per (channel, day) they start on, their daily counts:
// every play of `from` moves, so its count there is exactly what moves.
constexpr char kMovePlays[] = R"sql(
WITH moved AS (
  UPDATE plays SET song_id = $2 WHERE song_id = $1 RETURNING channel_id, start_us),
per_day AS (
  SELECT channel_id, spinlog_day(start_us) AS day, count(*) AS plays FROM moved GROUP BY 1, 2),
taken AS (
  DELETE FROM daily_counts d USING per_day p
  WHERE d.channel_id = p.channel_id AND d.day = p.day AND d.song_id = $1)
INSERT INTO daily_counts AS d (channel_id, day, song_id, plays)
SELECT channel_id, day, $2, plays FROM per_day ORDER BY 1, 2
ON CONFLICT (channel_id, day, song_id) DO UPDATE SET plays = d.plays + excluded.plays
)sql";

void PostgresStore::MergeSongIn(pqxx::work& tx, SongId from, SongId into) {
  tx.exec_params0(kMovePlays, std::int64_t{from}, std::int64_t{into});
  tx.exec_params0("DELETE FROM songs WHERE id = $1", std::int64_t{from});
  // Plays resolved to `from` (or to a song merged into it) land on `into`.
  tx.exec_params0("UPDATE merged_songs SET into_id = $2 WHERE into_id = $1", std::int64_t{from},
                  std::int64_t{into});
  tx.exec_params0("INSERT INTO merged_songs (from_id, into_id) VALUES ($1, $2)",
                  std::int64_t{from}, std::int64_t{into});
  Announce(tx, "song", "merged", from, into);
}

Status PostgresStore::MergeSongs(SongId from, SongId into) {
  if (from == into) {
    return Status::InvalidArgument("cannot merge song " + std::to_string(from) + " into itself");
  }
  const std::string what = "merge " + Named("song", from) + " into " + std::to_string(into);
  return Run(what, Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec(kPlayLockExclusive);
    if (!LockRecord(tx, "songs", from)) return Status::NotFound(Named("song", from) + " does not exist");
    if (!LockRecord(tx, "songs", into)) return Status::NotFound(Named("song", into) + " does not exist");
    MergeSongIn(tx, from, into);
    tx.commit();
    return Status::OK();
  });
}

Result<PerformerMergeResult> PostgresStore::MergePerformers(PerformerId from, PerformerId into) {
  if (from == into) {
    return Status::InvalidArgument("cannot merge performer " + std::to_string(from) +
                                   " into itself");
  }
  PerformerMergeResult result;
  const std::string what = "merge " + Named("performer", from) + " into " + std::to_string(into);
  SPINLOG_RETURN_IF_ERROR(Run(what, Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
    result = PerformerMergeResult{};
    pqxx::work tx(c);
    tx.exec(kPlayLockExclusive);
    LockCounter(tx, "song");
    if (!LockRecord(tx, "performers", from)) {
      return Status::NotFound(Named("performer", from) + " does not exist");
    }
    if (!LockRecord(tx, "performers", into)) {
      return Status::NotFound(Named("performer", into) + " does not exist");
    }
    const pqxx::result songs = tx.exec_params(
        std::string("SELECT ") + kSongColumns + " FROM songs WHERE performer_id = $1 ORDER BY title",
        std::int64_t{from});
    for (const pqxx::row& row : songs) {
      SongRecord song = SongFrom(row);
      const std::uint32_t same_title =
          IdOf(tx, "SELECT id FROM songs WHERE performer_id = " + std::to_string(into) +
                       " AND title = $1",
               Bytes(song.title));
      if (same_title != 0) {
        MergeSongIn(tx, song.id, same_title);
        result.merged.emplace_back(song.id, same_title);
      } else {
        tx.exec_params0("UPDATE songs SET performer_id = $2 WHERE id = $1", std::int64_t{song.id},
                        std::int64_t{into});
        Announce(tx, "song", "updated", song.id);
        song.performer_id = into;
        result.moved.push_back(std::move(song));
      }
    }
    tx.exec_params0("DELETE FROM performers WHERE id = $1", std::int64_t{from});
    tx.exec_params0("UPDATE merged_performers SET into_id = $2 WHERE into_id = $1",
                    std::int64_t{from}, std::int64_t{into});
    tx.exec_params0("INSERT INTO merged_performers (from_id, into_id) VALUES ($1, $2)",
                    std::int64_t{from}, std::int64_t{into});
    Announce(tx, "performer", "merged", from, into);
    tx.commit();
    return Status::OK();
  }));
  return result;
}

}  // namespace spinlog::storage::pg
