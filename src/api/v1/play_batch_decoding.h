// The body of POST /api/v1/plays (plays_api.h) decoded into its items.
#pragma once

#include <string_view>
#include <vector>

#include "api/v1/play_item.h"
#include "common/result.h"

namespace spinlog::api::v1 {

// The items of `body`: one JSON object, a JSON array of objects, or NDJSON
// lines (`ndjson`: the Content-Type said so) numbered from 1, blank lines
// skipped. Each item is decoded on its own (DecodePlayItem); a bad item is an
// item with problems, not an error. InvalidArgument naming "body" when the
// body is none of these (or a single object that is not JSON);
// ResourceExhausted when it holds more than kMaxBatchPlays items.
Result<std::vector<PlayItem>> DecodePlayBatch(std::string_view body, bool ndjson);

}  // namespace spinlog::api::v1
