// The channel groups of PostgresStore: a row each, channels as bigint[],
// ids from the channel_group counter (never handed out twice).
#include <algorithm>
#include <limits>
#include <pqxx/except>

#include "storage/postgresql/pg_rows.h"
#include "storage/postgresql/pg_store_impl.h"

namespace spinlog::storage::pg {
namespace {

constexpr char kGroupColumns[] = "id, name, channels";

std::vector<ChannelId> SortedDistinct(std::span<const ChannelId> channels) {
  std::vector<ChannelId> sorted(channels.begin(), channels.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  return sorted;
}

// "{1,2,3}" as PostgreSQL writes a bigint[].
std::vector<ChannelId> ParseChannels(std::string_view text) {
  std::vector<ChannelId> channels;
  std::uint64_t value = 0;
  bool in_number = false;
  for (char ch : text) {
    if (ch >= '0' && ch <= '9') {
      value = value * 10 + static_cast<std::uint64_t>(ch - '0');
      in_number = true;
    } else if (in_number) {
      channels.push_back(static_cast<ChannelId>(value));
      value = 0;
      in_number = false;
    }
  }
  return channels;
}

ChannelGroupRecord GroupFrom(const pqxx::row& row) {
  return ChannelGroupRecord{row[0].as<std::uint32_t>(), BytesOf(row[1]),
                            ParseChannels(row[2].c_str())};
}

std::string DescribeGroup(ChannelGroupId id) { return "channel group " + std::to_string(id); }
std::string DescribeGroup(std::string_view name) {
  return "channel group '" + std::string(name) + "'";
}

}  // namespace

Result<ChannelGroupRecord> PostgresStore::CreateChannelGroup(std::string_view name,
                                                             std::span<const ChannelId> channels) {
  ChannelGroupRecord group{0, std::string(name), SortedDistinct(channels)};
  bool taken = false;
  SPINLOG_RETURN_IF_ERROR(
      Run("create " + DescribeGroup(name), Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
        taken = false;
        pqxx::work tx(c);
        const pqxx::row counter =
            tx.exec_params1("SELECT last_id FROM id_counters WHERE kind = $1 FOR UPDATE",
                            KindName(Kind::kChannelGroup));
        if (!tx.exec_params("SELECT 1 FROM channel_groups WHERE name = $1", Bytes(name)).empty()) {
          taken = true;
          return Status::OK();
        }
        const auto last = counter[0].as<std::int64_t>();
        if (last >= std::numeric_limits<std::uint32_t>::max()) {
          return Status::ResourceExhausted("cannot create a channel group: no ids left");
        }
        group.id = static_cast<ChannelGroupId>(last + 1);
        tx.exec_params0("INSERT INTO channel_groups (id, name, channels) VALUES ($1, $2, $3)",
                        std::int64_t{group.id}, Bytes(name), ArrayLiteral(group.channels));
        tx.exec_params0("UPDATE id_counters SET last_id = $2 WHERE kind = $1",
                        KindName(Kind::kChannelGroup), std::int64_t{group.id});
        tx.commit();
        return Status::OK();
      }));
  if (taken) return Status::AlreadyExists(DescribeGroup(name) + " exists");
  return group;
}

Result<ChannelGroupRecord> PostgresStore::GetChannelGroup(ChannelGroupId id) {
  std::optional<ChannelGroupRecord> group;
  SPINLOG_RETURN_IF_ERROR(
      Run("read " + DescribeGroup(id), Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        const pqxx::result rows = tx.exec_params(
            std::string("SELECT ") + kGroupColumns + " FROM channel_groups WHERE id = $1",
            std::int64_t{id});
        if (!rows.empty()) group = GroupFrom(rows[0]);
        return Status::OK();
      }));
  if (!group) return Status::NotFound(DescribeGroup(id) + " does not exist");
  return *std::move(group);
}

Result<ChannelGroupRecord> PostgresStore::FindChannelGroup(std::string_view name) {
  std::optional<ChannelGroupRecord> group;
  SPINLOG_RETURN_IF_ERROR(
      Run("read " + DescribeGroup(name), Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        const pqxx::result rows = tx.exec_params(
            std::string("SELECT ") + kGroupColumns + " FROM channel_groups WHERE name = $1",
            Bytes(name));
        if (!rows.empty()) group = GroupFrom(rows[0]);
        return Status::OK();
      }));
  if (!group) return Status::NotFound(DescribeGroup(name) + " does not exist");
  return *std::move(group);
}

Result<ChannelGroupRecord> PostgresStore::UpdateChannelGroup(const ChannelGroupRecord& group) {
  ChannelGroupRecord updated{group.id, group.name, SortedDistinct(group.channels)};
  bool found = false;
  bool taken = false;
  SPINLOG_RETURN_IF_ERROR(Run(
      "update " + DescribeGroup(group.id), Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
        found = taken = false;
        pqxx::work tx(c);
        try {
          found = tx.exec_params("UPDATE channel_groups SET name = $2, channels = $3 WHERE id = $1",
                                 std::int64_t{group.id}, Bytes(updated.name),
                                 ArrayLiteral(updated.channels))
                      .affected_rows() == 1;
        } catch (const pqxx::unique_violation&) {
          taken = true;
          return Status::OK();
        }
        tx.commit();
        return Status::OK();
      }));
  if (taken) return Status::AlreadyExists(DescribeGroup(updated.name) + " exists");
  if (!found) return Status::NotFound(DescribeGroup(group.id) + " does not exist");
  return updated;
}

Status PostgresStore::DeleteChannelGroup(ChannelGroupId id) {
  bool found = false;
  SPINLOG_RETURN_IF_ERROR(
      Run("delete " + DescribeGroup(id), Retry::kOnBrokenConnection, [&](pqxx::connection& c) {
        pqxx::nontransaction tx(c);
        found = tx.exec_params("DELETE FROM channel_groups WHERE id = $1", std::int64_t{id})
                    .affected_rows() == 1;
        return Status::OK();
      }));
  if (!found) return Status::NotFound(DescribeGroup(id) + " does not exist");
  return Status::OK();
}

Status PostgresStore::ForEachChannelGroup(
    ChannelGroupId after, const std::function<bool(const ChannelGroupRecord&)>& visit) {
  std::int64_t position = after;
  return VisitPages(
      *this, "read channel groups",
      [&](pqxx::nontransaction& tx, long limit) {
        pqxx::result rows = tx.exec_params(std::string("SELECT ") + kGroupColumns +
                                               " FROM channel_groups WHERE id > $1 ORDER BY id "
                                               "LIMIT $2",
                                           position, limit);
        if (!rows.empty()) position = rows.back()[0].as<std::int64_t>();
        return rows;
      },
      [&](const pqxx::row& row) { return visit(GroupFrom(row)); });
}

}  // namespace spinlog::storage::pg
