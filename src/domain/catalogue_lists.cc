// CatalogueService's pages of channels, performers and songs: each page is
// one bounded seek of the store (storage::Store::Seek*), in id order over
// the records or in name order over the name indexes.
#include <algorithm>
#include <functional>

#include "domain/catalogue_service.h"

namespace spinlog::domain {
namespace {

// The two orders a kind of record can be read in; either may be missing
// (null) when the store has no index for it.
template <typename Record>
struct Seeks {
  std::function<Status(std::uint32_t after, const storage::RecordVisitor<Record>&)> by_id;
  std::function<Status(const storage::NameSeek&, const storage::RecordVisitor<Record>&)> by_name;
};

template <typename Record>
bool ById(const Record& a, const Record& b) {
  return a.id < b.id;
}

// Records of `seeks.by_name` (in name order, filtered by the prefix) with
// id > after, in id order: the `want` lowest ids. No index orders names of
// a prefix by id, so every match is read; at most 2 * want are kept.
template <typename Record>
Result<std::vector<Record>> LowestIdsByName(const Seeks<Record>& seeks, std::string_view prefix,
                                            std::uint32_t after, std::size_t want) {
  std::vector<Record> kept;
  const auto trim = [&] {
    if (kept.size() <= want) return;
    std::nth_element(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(want), kept.end(),
                     ById<Record>);
    kept.resize(want);
  };
  SPINLOG_RETURN_IF_ERROR(seeks.by_name({prefix, std::nullopt}, [&](const Record& record) {
    if (record.id > after) kept.push_back(record);
    if (kept.size() >= 2 * want) trim();
    return true;
  }));
  trim();
  std::sort(kept.begin(), kept.end(), ById<Record>);
  return kept;
}

template <typename Record>
Result<CataloguePage<Record>> ListRecords(const CatalogueListQuery& query,
                                          const Seeks<Record>& seeks) {
  CataloguePage<Record> page;
  const std::size_t want = query.limit + 1;  // one more tells whether a next page exists
  const auto collect = [&](const Record& record) {
    page.items.push_back(record);
    return page.items.size() < want;
  };
  if (query.order == CatalogueOrder::kByName) {
    std::optional<std::string_view> after;
    if (query.after_name) after = *query.after_name;
    SPINLOG_RETURN_IF_ERROR(seeks.by_name({query.name_prefix, after}, collect));
  } else if (seeks.by_id && query.name_prefix.empty()) {
    SPINLOG_RETURN_IF_ERROR(seeks.by_id(query.after_id.value_or(0), collect));
  } else {
    SPINLOG_ASSIGN_OR_RETURN(
        page.items, LowestIdsByName(seeks, query.name_prefix, query.after_id.value_or(0), want));
  }
  page.more = page.items.size() > query.limit;
  if (page.more) page.items.resize(query.limit);
  return page;
}

}  // namespace

Result<CataloguePage<storage::ChannelRecord>> CatalogueService::ListChannels(
    const CatalogueListQuery& query) {
  Seeks<storage::ChannelRecord> seeks;
  if (!query.country.empty()) {
    // The country index orders by name: by id, the country's channels are
    // read and ordered here (a cost of the country's channel count).
    seeks.by_name = [this, &query](const storage::NameSeek& seek, const auto& visit) {
      return store_->SeekChannelsByCountry(query.country, seek, visit);
    };
    return ListRecords(query, seeks);
  }
  seeks.by_id = [this](std::uint32_t after, const auto& visit) {
    return store_->SeekChannels(after, visit);
  };
  seeks.by_name = [this](const storage::NameSeek& seek, const auto& visit) {
    return store_->SeekChannelsByName(seek, visit);
  };
  return ListRecords(query, seeks);
}

Result<CataloguePage<storage::PerformerRecord>> CatalogueService::ListPerformers(
    const CatalogueListQuery& query) {
  Seeks<storage::PerformerRecord> seeks;
  if (!query.country.empty()) {
    seeks.by_name = [this, &query](const storage::NameSeek& seek, const auto& visit) {
      return store_->SeekPerformersByCountry(query.country, seek, visit);
    };
    return ListRecords(query, seeks);
  }
  seeks.by_id = [this](std::uint32_t after, const auto& visit) {
    return store_->SeekPerformers(after, visit);
  };
  seeks.by_name = [this](const storage::NameSeek& seek, const auto& visit) {
    return store_->SeekPerformersByName(seek, visit);
  };
  return ListRecords(query, seeks);
}

Result<CataloguePage<storage::SongRecord>> CatalogueService::ListSongs(
    const CatalogueListQuery& query) {
  Seeks<storage::SongRecord> seeks;
  if (query.performer == 0) {
    seeks.by_id = [this](std::uint32_t after, const auto& visit) {
      return store_->SeekSongs(after, visit);
    };
    // The title index of all songs orders by (title, id): titles repeat
    // across performers, so a page resumes after the last (title, id).
    seeks.by_name = [this, after_id = query.after_id.value_or(0)](
                        const storage::NameSeek& seek, const auto& visit) {
      storage::TitleSeek titles;
      titles.prefix = seek.prefix;
      if (seek.after) titles.after = std::make_pair(*seek.after, after_id);
      return store_->SeekSongsByTitleAll(titles, visit);
    };
  } else {
    // No index orders a performer's songs by id: by id, they are read by
    // title and ordered here (a cost of the performer's song count).
    seeks.by_name = [this, performer = query.performer](const storage::NameSeek& seek,
                                                        const auto& visit) {
      return store_->SeekSongsByTitle(performer, seek, visit);
    };
  }
  return ListRecords(query, seeks);
}

}  // namespace spinlog::domain
