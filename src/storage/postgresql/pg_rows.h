// Records from result rows, and the paged reads that the catalogue and the
// channel groups share.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/row>
#include <string>

#include "storage/postgresql/pg_store_impl.h"

namespace spinlog::storage::pg {

// Columns, in this order, that the decoders below read.
inline constexpr char kChannelColumns[] = "id, name, country, audience";
inline constexpr char kPerformerColumns[] = "id, name";
inline constexpr char kSongColumns[] = "id, performer_id, title";

inline ChannelRecord ChannelFrom(const pqxx::row& row) {
  return ChannelRecord{row[0].as<std::uint32_t>(), BytesOf(row[1]), row[2].as<std::string>(),
                       row[3].as<std::int64_t>(), std::string()};
}
inline PerformerRecord PerformerFrom(const pqxx::row& row) {
  PerformerRecord performer;
  performer.id = row[0].as<std::uint32_t>();
  performer.name = BytesOf(row[1]);
  return performer;
}
inline SongRecord SongFrom(const pqxx::row& row) {
  SongRecord song;
  song.id = row[0].as<std::uint32_t>();
  song.performer_id = row[1].as<std::uint32_t>();
  song.title = BytesOf(row[2]);
  return song;
}

// Rows per page of a seek: small first (lists show a page of tens), larger
// as the visitor keeps going.
inline long NextPageSize(long previous) {
  return previous == 0 ? 128 : std::min<long>(previous * 8, 8192);
}

// Reads pages with `read_page(limit)` (which returns rows in order and
// moves its own position past the last row it returns) and visits each row
// with `visit` until it returns false or a page comes back short. The
// connection is given back between pages.
inline Status VisitPages(PostgresStore& store, const std::string& what,
                         const std::function<pqxx::result(pqxx::nontransaction&, long)>& read_page,
                         const std::function<bool(const pqxx::row&)>& visit, long first_page = 0) {
  long limit = first_page;
  while (true) {
    limit = NextPageSize(limit);
    pqxx::result rows;
    SPINLOG_RETURN_IF_ERROR(store.Run(what, Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      rows = read_page(tx, limit);
      return Status::OK();
    }));
    for (const pqxx::row& row : rows) {
      if (!visit(row)) return Status::OK();
    }
    if (static_cast<long>(rows.size()) < limit) return Status::OK();
  }
}

// The first name after every name that starts with `prefix`, bytewise; none
// when `prefix` is empty or all 0xFF bytes.
inline std::optional<std::string> PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) end.pop_back();
  if (end.empty()) return std::nullopt;
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

// The least name that `seek` selects: the prefix, or just after `after`.
inline std::string NameSeekStart(const NameSeek& seek) {
  std::string start(seek.prefix);
  if (seek.after) {
    std::string past(*seek.after);
    past.push_back('\0');  // the least name greater than `after`
    start = std::max(start, past);
  }
  return start;
}

}  // namespace spinlog::storage::pg
