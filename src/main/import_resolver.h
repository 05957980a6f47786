// ImportResolver: turns the plays an import reads into storage records,
// creating missing catalogue entries as POST /api/v1/plays does.
//
// Two ways in. Resolve() takes a decoded play (api::v1::DecodePlayItem or a
// CSV row). TryResolveLine() takes the raw text of an NDJSON line and handles
// the shape nearly every line has, {"channel","performer","title","start",
// "end"} with valid values, without building a decoded play: names are
// looked up by their raw text in memos filled from the catalogue, so a name
// seen before costs one hash lookup instead of NFC normalisation and a cache
// probe. Anything else it declines, and the caller decodes the line the
// general way; both ways give the same record for the same line.
//
// Ids (channel_id, song_id) are checked once and remembered: nothing else can
// write to a data directory while an import holds it.
//
// Thread-safety: none; the import's reader thread owns it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "domain/catalogue_service.h"
#include "domain/play_service.h"
#include "json/string_object_reader.h"
#include "main/raw_name_memo.h"
#include "storage/records.h"

namespace spinlog {

class ImportResolver {
 public:
  // REQUIRES: `catalogue` outlives the resolver.
  explicit ImportResolver(domain::CatalogueService* catalogue) : catalogue_(catalogue) {}

  // Sets *record, or appends to *problems why the play names an unknown id.
  // Returns the store's error.
  Status Resolve(const domain::PlayInput& play, storage::PlayRecord* record,
                 std::vector<FieldViolation>* problems);

  // Sets *record and returns true when `line` is a valid play by names in
  // the common shape; false when the caller must decode it the general way
  // (which will then report its problems). Returns the store's error.
  Result<bool> TryResolveLine(std::string_view line, storage::PlayRecord* record);

 private:
  template <typename Lookup>
  Status CheckId(std::uint32_t id, const char* field,
                 std::unordered_map<std::uint32_t, Status>* known,
                 std::vector<FieldViolation>* problems, const Lookup& lookup);
  // Sets *name to the normalised `raw`; false when it breaks a name rule.
  bool Normalize(const char* field, std::string_view raw, std::string* name);

  domain::CatalogueService* catalogue_;
  std::unordered_map<std::uint32_t, Status> known_channels_;
  std::unordered_map<std::uint32_t, Status> known_songs_;

  json::StringObjectReader object_reader_;
  // Raw text -> catalogue id; 0 when the text is not a valid name.
  RawNameMemo channels_;
  RawNameMemo songs_;  // (performer, title)
  std::vector<FieldViolation> scratch_;
};

}  // namespace spinlog
