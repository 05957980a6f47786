// PlayService: recording plays and reading them back by channel or by song
// over a time window, with the classic API's rules: a play is identified by
// (channel, start); re-posting it changes nothing; another song or end at the
// same (channel, start) is a conflict.
//
// All names given to this service must be normalised (domain/names.h).
// Thread-safety: every method may be called concurrently.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "charts/chart_service.h"
#include "common/result.h"
#include "domain/catalogue_service.h"
#include "ingest/play_committer.h"
#include "storage/store.h"

namespace spinlog::domain {

// A play by names, as clients send and receive it.
struct PlayByNames {
  std::string channel;
  std::string performer;
  std::string title;
  UnixMicros start = 0;
  UnixMicros end = 0;
  // The ids behind the names when the play was read from the store (0 for
  // plays built from input): v1 answers show them, and encoders reuse work
  // per channel or song.
  storage::ChannelId channel_id = 0;
  storage::SongId song_id = 0;
  storage::PerformerId performer_id = 0;
  bool operator==(const PlayByNames&) const = default;
};

// Lists of plays (ListChannelPlays and its siblings) are ordered by
// (start, channel id), a key unique to each play, so that a page can resume
// after the last play it showed: paging while plays are added neither skips
// nor repeats one.
enum class PlayOrder {
  kNewestFirst,  // descending (start, channel id)
  kOldestFirst,  // ascending (start, channel id)
};

struct PlayListQuery {
  // The window: the plays that overlap [from, to) (start < to, end > from).
  UnixMicros from = 0;
  UnixMicros to = 0;
  PlayOrder order = PlayOrder::kNewestFirst;
  // When set, the list starts after this position (the last play of the
  // previous page), in `order`.
  std::optional<storage::PlayPosition> after;
  // At most this many plays.
  std::size_t limit = 100;
};

struct PlayListPage {
  std::vector<PlayByNames> plays;
  // True when plays follow the last one: the next page starts after it.
  bool more = false;
};

// Called exactly once with the stored play (also when it was stored before),
// Conflict describing the stored play, or the error that prevented storing.
using AddPlayCallback = std::function<void(Result<PlayByNames>)>;

// One play of a batch, by names or by ids: a non-zero channel_id (song_id)
// is used instead of the channel name (the performer and title).
struct PlayInput {
  std::string channel;
  storage::ChannelId channel_id = 0;
  std::string performer;
  std::string title;
  storage::SongId song_id = 0;
  UnixMicros start = 0;
  UnixMicros end = 0;
};

enum class PlayOutcome {
  kCreated,    // stored now
  kDuplicate,  // the same play was stored already; nothing changed
  kConflict,   // another song or end is stored at that channel and start
  kInvalid,    // the item names an unknown id; see problems
};
inline constexpr std::size_t kPlayOutcomeCount = 4;

// "created", "duplicate", "conflict" or "invalid", as answers and metrics
// spell the outcomes.
const char* PlayOutcomeName(PlayOutcome outcome);

struct PlayResult {
  PlayOutcome outcome = PlayOutcome::kCreated;
  // kCreated, kDuplicate: the play as stored (empty with
  // PlayEcho::kConflictsOnly); kConflict: the stored play that the item
  // contradicts.
  PlayByNames play;
  // kInvalid: what is wrong, by field.
  std::vector<FieldViolation> problems;
};

// Which results of AddPlays name their play (PlayResult::play).
enum class PlayEcho {
  kEveryPlay,      // created and duplicate plays too
  kConflictsOnly,  // only conflicts; other results carry their outcome alone
};

// Called exactly once with one result per item, in order, or the error that
// prevented storing any of them.
using AddPlaysCallback = std::function<void(Result<std::vector<PlayResult>>)>;

class PlayService {
 public:
  // REQUIRES: all pointers outlive the service, and the service outlives
  // the committer's callbacks (stop the committer first).
  PlayService(storage::Store* store, CatalogueService* catalogue, ingest::PlayCommitter* committer);

  // Creates missing catalogue entries, then queues the play for a durable
  // write. `done` runs later on another thread, or now, on this thread, when
  // the play cannot be queued (ResourceExhausted when the write queue is full).
  // REQUIRES: CheckPlayTimes(play.start, play.end) reported nothing.
  void AddPlay(PlayByNames play, AddPlayCallback done);

  // Stores a batch: resolves ids and names (creating missing catalogue
  // entries), then writes every resolvable play in one durable group commit.
  // `done` runs later on another thread, or now on this thread when the batch
  // cannot be queued (ResourceExhausted when the write queue is full).
  // `echo` says which results name their play: answers that show only
  // outcomes for stored plays spare copying every play's names.
  // REQUIRES: each play's names are normalised and its times pass CheckPlayTimes.
  void AddPlays(std::vector<PlayInput> plays, PlayEcho echo, AddPlaysCallback done);

  // The plays of `channel` overlapping [from, to), ordered by start.
  // NotFound naming the channel when it does not exist.
  Result<std::vector<PlayByNames>> ChannelPlays(std::string_view channel, UnixMicros from,
                                                UnixMicros to);

  // The plays of the song overlapping [from, to), ordered by start, then
  // channel name. NotFound naming the song when it does not exist.
  Result<std::vector<PlayByNames>> SongPlays(std::string_view performer, std::string_view title,
                                             UnixMicros from, UnixMicros to);

  // --- Lists of plays, a page at a time (play_lists.cc) --------------------
  // A page of the plays of the channel, song or performer (all of its songs)
  // that `query` selects; an empty page when query.from >= query.to.
  // A channel's or song's page costs as many store reads as it holds plus
  // one, and plays passed over because they end before the window (those
  // starting up to kMaxPlayDuration before it). A performer's page merges
  // its songs' lists: each song reads its plays that could still enter the
  // page, plus one.
  // NotFound "no channel has id N" (song, performer) when there is none.
  // REQUIRES: query.limit >= 1.
  Result<PlayListPage> ListChannelPlays(storage::ChannelId channel, const PlayListQuery& query);
  Result<PlayListPage> ListSongPlays(storage::SongId song, const PlayListQuery& query);
  Result<PlayListPage> ListPerformerPlays(storage::PerformerId performer,
                                          const PlayListQuery& query);

  // Plays given an outcome since the service started, indexed by
  // PlayOutcome (for metrics): every AddPlay whose play was stored or found
  // stored (created, duplicate, conflict), every item of AddPlays, and the
  // plays the API refused before they reached the service (CountRefused).
  // Plays whose write failed are not counted. Counting is a relaxed atomic
  // addition, so the figures may lag the answers by a moment.
  std::array<std::uint64_t, kPlayOutcomeCount> OutcomeCounts() const;

  // Counts `plays` as invalid that the API refused before asking the
  // service (fields that do not decode), so the metrics see every play sent.
  void CountRefused(std::size_t plays) {
    if (plays > 0) {
      outcomes_[static_cast<std::size_t>(PlayOutcome::kInvalid)].fetch_add(
          plays, std::memory_order_relaxed);
    }
  }

 private:
  // Which store index a list of one channel or one song reads.
  enum class PlayIndex { kChannel, kSong };
  // A page of the plays of one channel or song (play_lists.cc).
  Result<PlayListPage> ListIndex(PlayIndex index, std::uint32_t id, const PlayListQuery& query);

  // Queues `record` (the resolved `play`) for the committer; `done` hears
  // created, duplicate or conflict from the store's write.
  void SubmitPlay(storage::PlayRecord record, PlayByNames play, AddPlayCallback done);

  // The play stored at (channel, start), if any.
  Result<std::optional<storage::PlayRecord>> FindStoredPlay(std::string_view channel,
                                                            UnixMicros start);

  void Count(PlayOutcome outcome) {
    outcomes_[static_cast<std::size_t>(outcome)].fetch_add(1, std::memory_order_relaxed);
  }

  storage::Store* store_;
  CatalogueService* catalogue_;
  ingest::PlayCommitter* committer_;
  std::array<std::atomic<std::uint64_t>, kPlayOutcomeCount> outcomes_{};
};

}  // namespace spinlog::domain
