// Bounded catalogue reads of PostgresStore: by id, and by name through the
// unique name indexes (bytea, so bytewise order), a page at a time.
#include <string>

#include "storage/postgresql/pg_rows.h"
#include "storage/postgresql/pg_store_impl.h"

namespace spinlog::storage::pg {
namespace {

// Visits the records of `table` with id > after in id order.
template <typename Record>
Status SeekById(PostgresStore& store, const char* table, const char* columns, std::uint32_t after,
                Record (*decode)(const pqxx::row&), const RecordVisitor<Record>& visit) {
  std::int64_t position = after;
  const std::string sql =
      std::string("SELECT ") + columns + " FROM " + table + " WHERE id > $1 ORDER BY id LIMIT $2";
  return VisitPages(
      store, std::string("read ") + table,
      [&](pqxx::nontransaction& tx, long limit) {
        pqxx::result rows = tx.exec_params(sql, position, limit);
        if (!rows.empty()) position = rows.back()[0].as<std::int64_t>();
        return rows;
      },
      [&](const pqxx::row& row) { return visit(decode(row)); });
}

// Visits the records of `table` that `seek` selects by `name_column`, in
// bytewise order; when `scope_column` is set, only those whose
// `scope_column` equals `scope` (a performer's songs, a country's records).
template <typename Record>
Status SeekByName(PostgresStore& store, const char* table, const char* columns,
                  const char* name_column, const NameSeek& seek, const char* scope_column,
                  const std::string& scope, Record (*decode)(const pqxx::row&),
                  const RecordVisitor<Record>& visit) {
  const std::optional<std::string> end = PrefixEnd(seek.prefix);
  std::string start = NameSeekStart(seek);
  if (end && start >= *end) return Status::OK();
  const int name_index = std::string_view(table) == "songs" ? 2 : 1;
  // Parameters: $1 the least name, $2 the page size, $3 the scope, $4 the
  // end of the prefix.
  std::string sql = std::string("SELECT ") + columns + " FROM " + table + " WHERE ";
  sql += scope_column != nullptr ? std::string(scope_column) + " = $3 AND "
                                 : std::string("$3::text IS NULL AND ");
  sql += std::string(name_column) + " >= $1";
  if (end) sql += std::string(" AND ") + name_column + " < $4";
  sql += std::string(" ORDER BY ") + name_column + " LIMIT $2";
  return VisitPages(
      store, std::string("read ") + table + " by name",
      [&](pqxx::nontransaction& tx, long limit) {
        // libpqxx 6 sends a null `const char*` as NULL.
        const char* scope_param = scope_column != nullptr ? scope.c_str() : nullptr;
        pqxx::result rows = end ? tx.exec_params(sql, Bytes(start), limit, scope_param, Bytes(*end))
                                : tx.exec_params(sql, Bytes(start), limit, scope_param);
        if (!rows.empty()) {
          start = BytesOf(rows.back()[name_index]);
          start.push_back('\0');
        }
        return rows;
      },
      [&](const pqxx::row& row) { return visit(decode(row)); });
}

}  // namespace

Status PostgresStore::SeekChannels(ChannelId after, const RecordVisitor<ChannelRecord>& visit) {
  return SeekById<ChannelRecord>(*this, "channels", kChannelColumns, after, ChannelFrom, visit);
}

Status PostgresStore::SeekPerformers(PerformerId after,
                                     const RecordVisitor<PerformerRecord>& visit) {
  return SeekById<PerformerRecord>(*this, "performers", kPerformerColumns, after, PerformerFrom,
                                   visit);
}

Status PostgresStore::SeekSongs(SongId after, const RecordVisitor<SongRecord>& visit) {
  return SeekById<SongRecord>(*this, "songs", kSongColumns, after, SongFrom, visit);
}

Status PostgresStore::SeekChannelsByName(const NameSeek& seek,
                                         const RecordVisitor<ChannelRecord>& visit) {
  return SeekByName<ChannelRecord>(*this, "channels", kChannelColumns, "name", seek, nullptr, "",
                                   ChannelFrom, visit);
}

Status PostgresStore::SeekPerformersByName(const NameSeek& seek,
                                           const RecordVisitor<PerformerRecord>& visit) {
  return SeekByName<PerformerRecord>(*this, "performers", kPerformerColumns, "name", seek,
                                     nullptr, "", PerformerFrom, visit);
}

Status PostgresStore::SeekSongsByTitle(PerformerId performer, const NameSeek& seek,
                                       const RecordVisitor<SongRecord>& visit) {
  return SeekByName<SongRecord>(*this, "songs", kSongColumns, "title", seek,
                                "performer_id", std::to_string(performer), SongFrom, visit);
}

Status PostgresStore::SeekChannelsByCountry(std::string_view country, const NameSeek& seek,
                                            const RecordVisitor<ChannelRecord>& visit) {
  // As on the embedded store, records without a country are in no country's list.
  if (country.empty()) return Status::OK();
  return SeekByName<ChannelRecord>(*this, "channels", kChannelColumns, "name", seek, "country",
                                   std::string(country), ChannelFrom, visit);
}

Status PostgresStore::SeekPerformersByCountry(std::string_view country, const NameSeek& seek,
                                              const RecordVisitor<PerformerRecord>& visit) {
  if (country.empty()) return Status::OK();
  return SeekByName<PerformerRecord>(*this, "performers", kPerformerColumns, "name", seek,
                                     "country", std::string(country), PerformerFrom, visit);
}

Status PostgresStore::SeekSongsByTitleAll(const TitleSeek& seek,
                                          const RecordVisitor<SongRecord>& visit) {
  const std::optional<std::string> end = PrefixEnd(seek.prefix);
  // Position: songs after (title, id) in that order (songs_by_title).
  std::string title(seek.prefix);
  std::int64_t id = -1;
  if (seek.after && std::string_view(seek.after->first) >= seek.prefix) {
    title = std::string(seek.after->first);
    id = seek.after->second;
  }
  if (end && title >= *end) return Status::OK();
  std::string sql = std::string("SELECT ") + kSongColumns +
                    " FROM songs WHERE (title, id) > ($1, $2)";
  if (end) sql += " AND title < $4";
  sql += " ORDER BY title, id LIMIT $3";
  return VisitPages(
      *this, "read songs by title",
      [&](pqxx::nontransaction& tx, long limit) {
        pqxx::result rows = end ? tx.exec_params(sql, Bytes(title), id, limit, Bytes(*end))
                                : tx.exec_params(sql, Bytes(title), id, limit);
        if (!rows.empty()) {
          title = BytesOf(rows.back()[2]);
          id = rows.back()[0].as<std::int64_t>();
        }
        return rows;
      },
      [&](const pqxx::row& row) { return visit(SongFrom(row)); });
}

}  // namespace spinlog::storage::pg
