// The catalogue of PostgresStore: channels, performers and songs.
#include <limits>
#include <pqxx/except>

#include "storage/postgresql/pg_rows.h"
#include "storage/postgresql/pg_store_impl.h"

namespace spinlog::storage::pg {
namespace {

std::string Describe(std::string_view kind, std::string_view name) {
  return std::string(kind) + " '" + std::string(name) + "'";
}

std::string DescribeId(std::string_view kind, std::uint32_t id) {
  return std::string(kind) + " " + std::to_string(id);
}

std::string DescribeSong(PerformerId performer, std::string_view title) {
  return Describe("song", title) + " of performer " + std::to_string(performer);
}

// The one record that `sql` (with `param`) selects, decoded; NotFound
// "<what> does not exist" when there is none.
template <typename Record, typename Param, typename Decode>
Result<Record> QueryOne(PostgresStore& store, const std::string& what, const std::string& sql,
                        const Param& param, Decode decode) {
  std::optional<Record> record;
  SPINLOG_RETURN_IF_ERROR(
      store.Run("read " + what, Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        const pqxx::result rows = tx.exec_params(sql, param);
        if (!rows.empty()) record = decode(rows[0]);
        return Status::OK();
      }));
  if (!record) return Status::NotFound(what + " does not exist");
  return *std::move(record);
}

}  // namespace

Result<std::uint32_t> PostgresStore::UpsertId(
    Kind kind, const std::string& what,
    const std::function<Result<std::uint32_t>(pqxx::work&)>& find,
    const std::function<void(pqxx::work&, std::uint32_t)>& insert, bool* created) {
  if (created != nullptr) *created = false;
  std::uint32_t id = 0;
  bool made = false;
  SPINLOG_RETURN_IF_ERROR(
      Run("create " + what, Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
        made = false;
        pqxx::work tx(c);
        // Creators of one kind queue here; the find below then sees what the
        // one before us committed (each statement reads anew).
        const pqxx::row counter = tx.exec_params1(
            "SELECT last_id FROM id_counters WHERE kind = $1 FOR UPDATE", KindName(kind));
        Result<std::uint32_t> found = find(tx);
        if (!found.ok()) return found.status();
        id = *found;
        if (id != 0) return Status::OK();  // the transaction rolls back: nothing written
        const auto last = counter[0].as<std::int64_t>();
        if (last >= std::numeric_limits<std::uint32_t>::max()) {
          return Status::ResourceExhausted("cannot create " + what + ": no ids left");
        }
        id = static_cast<std::uint32_t>(last + 1);
        insert(tx, id);
        tx.exec_params0("UPDATE id_counters SET last_id = $2 WHERE kind = $1", KindName(kind),
                        std::int64_t{id});
        tx.commit();
        made = true;
        return Status::OK();
      }));
  if (made) {
    std::atomic<std::uint32_t>& last = last_ids_[static_cast<std::size_t>(kind)];
    std::uint32_t seen = last.load();
    while (seen < id && !last.compare_exchange_weak(seen, id)) {
    }
  }
  if (created != nullptr) *created = made;
  return id;
}

Result<ChannelRecord> PostgresStore::UpsertChannel(std::string_view name, bool* created) {
  ChannelRecord channel;
  channel.name = std::string(name);
  return CreateChannel(channel, created);
}

Result<ChannelRecord> PostgresStore::CreateChannel(const ChannelRecord& channel, bool* created) {
  if (created != nullptr) *created = false;
  // Most creations name something that exists: one read, no lock.
  Result<ChannelRecord> found = FindChannel(channel.name);
  if (found.ok() || !found.status().IsNotFound()) return found;
  bool made = false;
  ChannelRecord record = channel;
  SPINLOG_ASSIGN_OR_RETURN(
      const std::uint32_t id,
      UpsertId(
          Kind::kChannel, Describe("channel", channel.name),
          [&](pqxx::work& tx) -> Result<std::uint32_t> {
            const pqxx::result r =
                tx.exec_params("SELECT id FROM channels WHERE name = $1", Bytes(channel.name));
            return r.empty() ? 0u : r[0][0].as<std::uint32_t>();
          },
          [&](pqxx::work& tx, std::uint32_t new_id) {
            tx.exec_params0(
                "INSERT INTO channels (id, name, country, audience, attributes) "
                "VALUES ($1, $2, $3, $4, $5)",
                std::int64_t{new_id}, Bytes(channel.name), channel.country, channel.audience,
                channel.attributes);
          },
          &made));
  if (created != nullptr) *created = made;
  if (!made) return GetChannel(id);
  record.id = id;
  return record;
}

Result<PerformerRecord> PostgresStore::UpsertPerformer(std::string_view name, bool* created) {
  PerformerRecord performer;
  performer.name = std::string(name);
  return CreatePerformer(performer, created);
}

Result<PerformerRecord> PostgresStore::CreatePerformer(const PerformerRecord& performer,
                                                       bool* created) {
  if (created != nullptr) *created = false;
  Result<PerformerRecord> found = FindPerformer(performer.name);
  if (found.ok() || !found.status().IsNotFound()) return found;
  bool made = false;
  PerformerRecord record = performer;
  SPINLOG_ASSIGN_OR_RETURN(
      const std::uint32_t id,
      UpsertId(
          Kind::kPerformer, Describe("performer", performer.name),
          [&](pqxx::work& tx) -> Result<std::uint32_t> {
            const pqxx::result r = tx.exec_params("SELECT id FROM performers WHERE name = $1",
                                                  Bytes(performer.name));
            return r.empty() ? 0u : r[0][0].as<std::uint32_t>();
          },
          [&](pqxx::work& tx, std::uint32_t new_id) {
            tx.exec_params0(
                "INSERT INTO performers (id, name, country, description, date_of_birth, website, "
                "picture_url) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                std::int64_t{new_id}, Bytes(performer.name), performer.country,
                Bytes(performer.description), performer.date_of_birth, performer.website,
                performer.picture_url);
          },
          &made));
  if (created != nullptr) *created = made;
  if (!made) return GetPerformer(id);
  record.id = id;
  return record;
}

Result<SongRecord> PostgresStore::UpsertSong(PerformerId performer, std::string_view title,
                                             bool* created) {
  SongRecord song;
  song.performer_id = performer;
  song.title = std::string(title);
  return CreateSong(song, created);
}

Result<SongRecord> PostgresStore::CreateSong(const SongRecord& song, bool* created) {
  if (created != nullptr) *created = false;
  Result<SongRecord> found = FindSong(song.performer_id, song.title);
  if (found.ok() || !found.status().IsNotFound()) return found;
  bool made = false;
  SongRecord record = song;
  SPINLOG_ASSIGN_OR_RETURN(
      const std::uint32_t id,
      UpsertId(
          Kind::kSong, DescribeSong(song.performer_id, song.title),
          [&](pqxx::work& tx) -> Result<std::uint32_t> {
            // Under the song counter's lock, which deletions and merges of
            // performers hold too: a performer merged away since the
            // caller resolved it has its songs on the target now.
            const pqxx::row performer = tx.exec_params1(
                "SELECT coalesce((SELECT into_id FROM merged_performers WHERE from_id = $1), $1), "
                "EXISTS (SELECT 1 FROM performers WHERE id = "
                "coalesce((SELECT into_id FROM merged_performers WHERE from_id = $1), $1))",
                std::int64_t{song.performer_id});
            record.performer_id = performer[0].as<PerformerId>();
            if (!performer[1].as<bool>()) {
              return Status::NotFound(DescribeId("performer", song.performer_id) +
                                      " does not exist");
            }
            const pqxx::result r =
                tx.exec_params("SELECT id FROM songs WHERE performer_id = $1 AND title = $2",
                               std::int64_t{record.performer_id}, Bytes(record.title));
            return r.empty() ? 0u : r[0][0].as<std::uint32_t>();
          },
          [&](pqxx::work& tx, std::uint32_t new_id) {
            tx.exec_params0(
                "INSERT INTO songs (id, performer_id, title, duration_seconds, release, isrc) "
                "VALUES ($1, $2, $3, $4, $5, $6)",
                std::int64_t{new_id}, std::int64_t{record.performer_id}, Bytes(record.title),
                record.duration_seconds, record.release, record.isrc);
          },
          &made));
  if (created != nullptr) *created = made;
  if (!made) return GetSong(id);
  record.id = id;
  return record;
}

Result<ChannelRecord> PostgresStore::FindChannel(std::string_view name) {
  return QueryOne<ChannelRecord>(
      *this, Describe("channel", name),
      std::string("SELECT ") + kChannelColumns + " FROM channels WHERE name = $1", Bytes(name),
      ChannelFrom);
}

Result<PerformerRecord> PostgresStore::FindPerformer(std::string_view name) {
  return QueryOne<PerformerRecord>(
      *this, Describe("performer", name),
      std::string("SELECT ") + kPerformerColumns + " FROM performers WHERE name = $1", Bytes(name),
      PerformerFrom);
}

Result<SongRecord> PostgresStore::FindSong(PerformerId performer, std::string_view title) {
  std::optional<SongRecord> song;
  const std::string what = DescribeSong(performer, title);
  SPINLOG_RETURN_IF_ERROR(Run("read " + what, Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    const pqxx::result rows =
        tx.exec_params(std::string("SELECT ") + kSongColumns +
                           " FROM songs WHERE performer_id = $1 AND title = $2",
                       std::int64_t{performer}, Bytes(title));
    if (!rows.empty()) song = SongFrom(rows[0]);
    return Status::OK();
  }));
  if (!song) return Status::NotFound(what + " does not exist");
  return *std::move(song);
}

Result<ChannelRecord> PostgresStore::GetChannel(ChannelId id) {
  return QueryOne<ChannelRecord>(
      *this, DescribeId("channel", id),
      std::string("SELECT ") + kChannelColumns + " FROM channels WHERE id = $1", std::int64_t{id},
      ChannelFrom);
}

Result<PerformerRecord> PostgresStore::GetPerformer(PerformerId id) {
  return QueryOne<PerformerRecord>(
      *this, DescribeId("performer", id),
      std::string("SELECT ") + kPerformerColumns + " FROM performers WHERE id = $1",
      std::int64_t{id}, PerformerFrom);
}

Result<SongRecord> PostgresStore::GetSong(SongId id) {
  return QueryOne<SongRecord>(*this, DescribeId("song", id),
                              std::string("SELECT ") + kSongColumns + " FROM songs WHERE id = $1",
                              std::int64_t{id}, SongFrom);
}

Status PostgresStore::ForEachChannel(const std::function<void(const ChannelRecord&)>& visit) {
  return SeekChannels(0, [&](const ChannelRecord& r) {
    visit(r);
    return true;
  });
}

Status PostgresStore::ForEachPerformer(const std::function<void(const PerformerRecord&)>& visit) {
  return SeekPerformers(0, [&](const PerformerRecord& r) {
    visit(r);
    return true;
  });
}

Status PostgresStore::ForEachSong(const std::function<void(const SongRecord&)>& visit) {
  return SeekSongs(0, [&](const SongRecord& r) {
    visit(r);
    return true;
  });
}

}  // namespace spinlog::storage::pg
