// The lists half of PlayService: pages of the plays of a channel, a song or
// a performer that overlap a window, newest or oldest first, resuming after
// a position (keyset pagination). The classic get_channel_plays and
// get_song_plays are the unpaged case of the same reads.
#include <algorithm>
#include <utility>
#include <vector>

#include "domain/play_namer.h"
#include "domain/play_rules.h"
#include "domain/play_service.h"

namespace spinlog::domain {
namespace {

storage::ScanDirection DirectionOf(PlayOrder order) {
  return order == PlayOrder::kOldestFirst ? storage::ScanDirection::kForward
                                          : storage::ScanDirection::kBackward;
}

// True when `a` comes before `b` in lists in `order`.
bool Precedes(PlayOrder order, const storage::PlayRecord& a, const storage::PlayRecord& b) {
  return order == PlayOrder::kOldestFirst ? storage::PositionOf(a) < storage::PositionOf(b)
                                          : storage::PositionOf(a) > storage::PositionOf(b);
}

// Visits, in query.order from query.after, the plays of one channel or song
// that overlap the query's window, until `visit` returns false. A play lasts
// at most kMaxPlayDuration, so the store is read from that far before the
// window, and plays that end before it are passed over.
Status VisitOverlapping(storage::Store& store, bool by_song, std::uint32_t id,
                        const PlayListQuery& query, const storage::PlayVisitor& visit) {
  const storage::PlaySeek seek{EarliestOverlappingStart(query.from), query.to,
                               DirectionOf(query.order), query.after};
  const storage::PlayVisitor overlapping = [&](const storage::PlayRecord& play) {
    return !Overlaps(play.start, play.end, query.from, query.to) || visit(play);
  };
  return by_song ? store.SeekSongPlays(id, seek, overlapping)
                 : store.SeekChannelPlays(id, seek, overlapping);
}

// Names plays into a page until it holds `limit` of them; one more only
// tells that the page is not the last.
class PageBuilder {
 public:
  PageBuilder(CatalogueService* catalogue, std::size_t limit) : namer_(catalogue), limit_(limit) {}

  // False when the page is full (or naming failed): stop visiting.
  bool Add(const storage::PlayRecord& play) {
    if (page_.plays.size() == limit_) {
      page_.more = true;
      return false;
    }
    Result<PlayByNames> named = namer_.Name(play);
    if (!named.ok()) {
      failure_ = named.status();
      return false;
    }
    page_.plays.push_back(std::move(named).value());
    return true;
  }

  // The page, or the first error of the reads (`read`) or of naming.
  Result<PlayListPage> Finish(const Status& read) {
    SPINLOG_RETURN_IF_ERROR(read);
    SPINLOG_RETURN_IF_ERROR(failure_);
    return std::move(page_);
  }

 private:
  PlayNamer namer_;
  const std::size_t limit_;
  PlayListPage page_;
  Status failure_;
};

}  // namespace

Result<PlayListPage> PlayService::ListChannelPlays(storage::ChannelId channel,
                                                   const PlayListQuery& query) {
  SPINLOG_RETURN_IF_ERROR(catalogue_->GetChannel(channel).status());
  return ListIndex(PlayIndex::kChannel, channel, query);
}

Result<PlayListPage> PlayService::ListSongPlays(storage::SongId song, const PlayListQuery& query) {
  SPINLOG_RETURN_IF_ERROR(catalogue_->GetSong(song).status());
  return ListIndex(PlayIndex::kSong, song, query);
}

Result<PlayListPage> PlayService::ListIndex(PlayIndex index, std::uint32_t id,
                                            const PlayListQuery& query) {
  PageBuilder page(catalogue_, query.limit);
  if (query.from >= query.to) return page.Finish(Status::OK());
  const Status read =
      VisitOverlapping(*store_, index == PlayIndex::kSong, id, query,
                       [&page](const storage::PlayRecord& play) { return page.Add(play); });
  return page.Finish(read);
}

Result<PlayListPage> PlayService::ListPerformerPlays(storage::PerformerId performer,
                                                     const PlayListQuery& query) {
  SPINLOG_RETURN_IF_ERROR(catalogue_->GetPerformer(performer).status());
  PageBuilder page(catalogue_, query.limit);
  if (query.from >= query.to) return page.Finish(Status::OK());
  // A k-way merge of the songs' lists, one song at a time: `best` holds the
  // first `limit` plays seen so far (a heap whose front is the last of them
  // in list order). Once it is full, a song's scan stops at its first play
  // that comes after that front, so every song after the first reads little
  // more than what it adds to the page.
  const auto precedes = [&query](const storage::PlayRecord& a, const storage::PlayRecord& b) {
    return Precedes(query.order, a, b);
  };
  std::vector<storage::PlayRecord> best;
  bool dropped = false;  // some play did not make the page: more follow it
  const auto keep_best = [&](const storage::PlayRecord& play) {
    if (best.size() == query.limit) {
      dropped = true;
      // This song's later plays come after this one too: none can enter.
      if (best.empty() || !precedes(play, best.front())) return false;
      std::pop_heap(best.begin(), best.end(), precedes);
      best.pop_back();
    }
    best.push_back(play);
    std::push_heap(best.begin(), best.end(), precedes);
    return true;
  };
  for (storage::SongId song : catalogue_->SongsOf(performer)) {
    SPINLOG_RETURN_IF_ERROR(VisitOverlapping(*store_, /*by_song=*/true, song, query, keep_best));
  }
  std::sort_heap(best.begin(), best.end(), precedes);
  for (const storage::PlayRecord& play : best) {
    if (!page.Add(play)) break;  // naming failed: Finish reports it
  }
  Result<PlayListPage> result = page.Finish(Status::OK());
  if (result.ok()) result->more = dropped;
  return result;
}

}  // namespace spinlog::domain
