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
    Kind kind, const std::string& what, const std::function<std::uint32_t(pqxx::work&)>& find,
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
        id = find(tx);
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
  if (created != nullptr) *created = false;
  // Most upserts name something that exists: one read, no lock.
  Result<ChannelRecord> found = FindChannel(name);
  if (found.ok() || !found.status().IsNotFound()) return found;
  bool made = false;
  SPINLOG_ASSIGN_OR_RETURN(const std::uint32_t id,
                           UpsertId(
                               Kind::kChannel, Describe("channel", name),
                               [&](pqxx::work& tx) {
                                 const pqxx::result r = tx.exec_params(
                                     "SELECT id FROM channels WHERE name = $1", Bytes(name));
                                 return r.empty() ? 0u : r[0][0].as<std::uint32_t>();
                               },
                               [&](pqxx::work& tx, std::uint32_t new_id) {
                                 tx.exec_params0("INSERT INTO channels (id, name) VALUES ($1, $2)",
                                                 std::int64_t{new_id}, Bytes(name));
                               },
                               &made));
  if (created != nullptr) *created = made;
  if (made) return ChannelRecord{id, std::string(name), "", -1, ""};
  return GetChannel(id);
}

Result<PerformerRecord> PostgresStore::UpsertPerformer(std::string_view name, bool* created) {
  if (created != nullptr) *created = false;
  Result<PerformerRecord> found = FindPerformer(name);
  if (found.ok() || !found.status().IsNotFound()) return found;
  bool made = false;
  SPINLOG_ASSIGN_OR_RETURN(
      const std::uint32_t id,
      UpsertId(
          Kind::kPerformer, Describe("performer", name),
          [&](pqxx::work& tx) {
            const pqxx::result r =
                tx.exec_params("SELECT id FROM performers WHERE name = $1", Bytes(name));
            return r.empty() ? 0u : r[0][0].as<std::uint32_t>();
          },
          [&](pqxx::work& tx, std::uint32_t new_id) {
            tx.exec_params0("INSERT INTO performers (id, name) VALUES ($1, $2)",
                            std::int64_t{new_id}, Bytes(name));
          },
          &made));
  if (created != nullptr) *created = made;
  if (made) {
    PerformerRecord performer;
    performer.id = id;
    performer.name = std::string(name);
    return performer;
  }
  return GetPerformer(id);
}

Result<SongRecord> PostgresStore::UpsertSong(PerformerId performer, std::string_view title,
                                             bool* created) {
  if (created != nullptr) *created = false;
  Result<SongRecord> found = FindSong(performer, title);
  if (found.ok() || !found.status().IsNotFound()) return found;
  // Performers are never deleted, so checking outside the transaction is
  // enough (and the foreign key would catch a miss).
  SPINLOG_RETURN_IF_ERROR(GetPerformer(performer).status());
  bool made = false;
  SPINLOG_ASSIGN_OR_RETURN(
      const std::uint32_t id,
      UpsertId(
          Kind::kSong, DescribeSong(performer, title),
          [&](pqxx::work& tx) {
            const pqxx::result r =
                tx.exec_params("SELECT id FROM songs WHERE performer_id = $1 AND title = $2",
                               std::int64_t{performer}, Bytes(title));
            return r.empty() ? 0u : r[0][0].as<std::uint32_t>();
          },
          [&](pqxx::work& tx, std::uint32_t new_id) {
            tx.exec_params0("INSERT INTO songs (id, performer_id, title) VALUES ($1, $2, $3)",
                            std::int64_t{new_id}, std::int64_t{performer}, Bytes(title));
          },
          &made));
  if (created != nullptr) *created = made;
  if (made) {
    SongRecord song;
    song.id = id;
    song.performer_id = performer;
    song.title = std::string(title);
    return song;
  }
  return GetSong(id);
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

Result<ChannelRecord> PostgresStore::UpdateChannel(const ChannelRecord& channel) {
  const std::string what = DescribeId("channel", channel.id);
  bool found = false;
  bool taken = false;
  SPINLOG_RETURN_IF_ERROR(
      Run("update " + what, Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
        found = taken = false;
        pqxx::work tx(c);
        try {
          const pqxx::result updated = tx.exec_params(
              "UPDATE channels SET name = $2, country = $3, audience = $4 WHERE id = $1",
              std::int64_t{channel.id}, Bytes(channel.name), channel.country, channel.audience);
          found = updated.affected_rows() == 1;
        } catch (const pqxx::unique_violation&) {
          taken = true;  // another channel has the name; the transaction is void
          return Status::OK();
        }
        tx.commit();
        return Status::OK();
      }));
  if (taken) return Status::AlreadyExists(Describe("channel", channel.name) + " exists");
  if (!found) return Status::NotFound(what + " does not exist");
  return channel;
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
