// Value encoding of the RocksDB backend (keys are in key_codec.h). The layout
// is documented byte by byte in docs/storage-format.md.
//
// Catalogue values open with a format byte so that records can gain fields
// (country, groups, ...) without rewriting the store. Play values are the
// bulk of the data and stay minimal: varints, with the end stored as the
// duration since start.
//
// Decoders return false when the bytes are not a value they wrote; callers
// turn that into Corruption. Thread-safety: free functions over values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "storage/records.h"

namespace spinlog::storage::rocks {

// The leading byte of catalogue record values. Never renumber.
inline constexpr char kRecordFormatV1 = 0x01;
// Records with more fields than their first format had (channels; and
// performers and songs from storage format 3). A record without the extra
// fields keeps its version 1 value.
inline constexpr char kRecordFormatV2 = 0x02;

// A 4-byte big-endian id: name index values, counters, meta values.
// LEB128 varints, the building block of the values below.
void AppendVarint(std::string* out, std::uint64_t value);
// Consumes a varint from the front of `*in`; false when truncated or longer
// than 10 bytes.
bool ConsumeVarint(std::string_view* in, std::uint64_t* value);

std::string EncodeId(std::uint32_t id);
bool DecodeId(std::string_view value, std::uint32_t* id);

// Channel attributes are an optional last field of version 2 values: values
// written before they existed decode with attributes "".
std::string EncodeChannelValue(const ChannelRecord& channel);
bool DecodeChannelValue(std::string_view value, ChannelRecord* channel);  // not the id
std::string EncodePerformerValue(const PerformerRecord& performer);
bool DecodePerformerValue(std::string_view value, PerformerRecord* performer);  // name only
std::string EncodeSongValue(const SongRecord& song);
bool DecodeSongValue(std::string_view value, SongRecord* song);  // performer and title

// The plays value: varint32 song id, varint64 (end - start).
// REQUIRES: play.start < play.end.
// Format byte, varint name size, name, varint channel count, channels as
// varint deltas (ascending).
std::string EncodeChannelGroupValue(const ChannelGroupRecord& group);
bool DecodeChannelGroupValue(std::string_view value, ChannelGroupRecord* group);  // not the id

std::string EncodePlayValue(const PlayRecord& play);
// Appends the same bytes to *out.
void AppendPlayValue(std::string* out, const PlayRecord& play);
// Sets song_id and end of `play`; REQUIRES: play->start is set.
bool DecodePlayValue(std::string_view value, PlayRecord* play);

// The song plays value: varint64 (end - start). REQUIRES: play.start < play.end.
std::string EncodeSongPlayValue(const PlayRecord& play);
// Appends the same bytes to *out.
void AppendSongPlayValue(std::string* out, const PlayRecord& play);
// Sets end of `play`; REQUIRES: play->start is set.
bool DecodeSongPlayValue(std::string_view value, PlayRecord* play);

}  // namespace spinlog::storage::rocks
