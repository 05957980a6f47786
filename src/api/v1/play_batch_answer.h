// The answer to POST /api/v1/plays (plays_api.h): one result per item, in
// order, then the counts of each outcome.
#pragma once

#include <span>

#include "api/v1/play_item.h"
#include "domain/play_service.h"
#include "http/request.h"

namespace spinlog::api::v1 {

// How much each result tells.
enum class PlayResultDetail {
  kFull,     // created and duplicate results carry the play as stored
  kMinimal,  // they carry only index, line and status (Prefer: return=minimal)
};

// The answer for `items` (the decoded request), where `stored` holds one
// result per item that has a play, in order: 200 when every item was created
// or a duplicate, 207 otherwise. Conflicts always carry the stored play
// (`existing`) and invalid items their `errors`: a client needs them to act.
// REQUIRES: stored.size() is the number of items with a play.
http::Response PlayBatchAnswer(std::span<const PlayItem> items,
                               std::span<const domain::PlayResult> stored,
                               PlayResultDetail detail = PlayResultDetail::kFull);

}  // namespace spinlog::api::v1
