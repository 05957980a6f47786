#include "json/json_writer.h"

#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "json/utf8_repair.h"

namespace spinlog::json {
namespace {

// The output stream RapidJSON's Writer writes into. RapidJSON's own
// StringBuffer is not used: like the Writer's level stack, it sits on
// rapidjson::internal::Stack, which in 1.1.0 adds offsets to a null pointer
// on its first push (undefined behaviour, fatal under clang's UBSan; fixed
// upstream after 1.1.0, see Tencent/rapidjson#1724).
//
// RapidJSON reserves room before each value and then writes byte by byte, so
// the text grows ahead of `size` and is cut back in Take(): per-byte
// push_back() would run at a third of the speed.
class StringOutput {
 public:
  using Ch = char;

  void Reserve(std::size_t count) {
    if (text_.size() - size_ < count) Grow(count);
  }
  // REQUIRES: room reserved.
  void PutUnsafe(char c) { text_[size_++] = c; }
  void Put(char c) {
    Reserve(1);
    PutUnsafe(c);
  }
  void Flush() {}
  void Append(std::string_view bytes) {
    Reserve(bytes.size());
    AppendUnsafe(bytes);
  }
  // REQUIRES: room reserved.
  void AppendUnsafe(std::string_view bytes) {
    bytes.copy(text_.data() + size_, bytes.size());
    size_ += bytes.size();
  }

  // Room for `total` bytes of text in all.
  void ReserveTotal(std::size_t total) {
    if (total > text_.size()) text_.resize(total);
  }

  std::string Take() {
    text_.resize(size_);
    std::string text = std::move(text_);
    text_.clear();
    size_ = 0;
    return text;
  }

 private:
  // Out of line: the check above is on every value, growing is rare.
  [[gnu::noinline]] void Grow(std::size_t count) {
    // A first answer gets room for a typical small one at once.
    constexpr std::size_t kFirstRoom = 1024;
    text_.resize(std::max({2 * text_.size(), size_ + count, kFirstRoom}));
  }

  std::string text_;
  std::size_t size_ = 0;  // bytes of text_ written; the rest is room
};

// Found by argument-dependent lookup from rapidjson::Writer, in place of
// RapidJSON's generic versions (which call Put() for each byte).
void PutReserve(StringOutput& out, std::size_t count) { out.Reserve(count); }

// True when `s` can be written between quotes as it is: printable ASCII
// without '"' or '\\'. Most names and every key are; they skip RapidJSON's
// per-character escaping and the UTF-8 check. (Eight bytes at a time was
// tried: no fewer instructions on keys and names this short.)
bool IsPlainAscii(std::string_view s) {
  static constexpr auto kPlain = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x7F; ++c) plain[c] = c != '"' && c != '\\';
    return plain;
  }();
  for (unsigned char c : s) {
    if (!kPlain[c]) return false;
  }
  return true;
}
void PutUnsafe(StringOutput& out, char c) { out.PutUnsafe(c); }

}  // namespace

// The structure (brackets, commas, colons) is written here, and RapidJSON's
// Writer formats each scalar as a root value of its own: escaping and
// shortest-round-trip doubles come from RapidJSON, but its level stack, the
// null-pointer arithmetic above and its assert-only order checks (after a
// failed one it corrupts that stack, as release builds compile the assert
// out) are never reached. Calls out of order are refused before any output.
struct JsonWriter::Impl {
  // One open object or array.
  struct Level {
    bool in_array = false;
    bool has_key = false;    // in an object: a Key() awaits its value
    bool has_entry = false;  // a ',' is due before the next element or key
  };

  // True when a value may come now: at the root if none came yet, in an
  // array, or in an object after Key().
  bool ValueAllowed() const {
    if (levels.empty()) return !has_root;
    return levels.back().in_array || levels.back().has_key;
  }

  // Checks that a value may come and writes the ',' before it, if any.
  // Returns false, writing nothing, for misuse.
  bool BeginValue() {
    if (!ValueAllowed()) return Misuse();
    if (levels.empty()) {
      has_root = true;
      return true;
    }
    Level& level = levels.back();
    if (level.in_array) {
      if (level.has_entry) out.Put(',');
      level.has_entry = true;
    } else {
      level.has_key = false;  // Key() wrote the ',' and the ':'
    }
    return true;
  }

  bool KeyAllowed() const {
    return !levels.empty() && !levels.back().in_array && !levels.back().has_key;
  }

  bool Misuse() {
    // A programmer error: loud in debug builds, a dropped call in release.
    assert(false && "JsonWriter calls out of order");
    ok = false;
    return false;
  }

  // RapidJSON's writer, reset to write one scalar as a root value.
  rapidjson::Writer<StringOutput>& ScalarWriter() {
    scalar_writer.Reset(out);
    return scalar_writer;
  }

  // Points `*s` at the text to write for it: itself, or a copy in *storage
  // with ill-formed UTF-8 repaired, so that the output stays UTF-8 JSON text.
  // Returns false when the text is too long for RapidJSON, whose lengths are
  // 32-bit; the HTTP layer's limits keep real strings far shorter.
  static bool PrepareString(std::string_view* s, std::string* storage) {
    if (!IsWellFormedUtf8(*s)) {
      *storage = ReplaceIllFormedUtf8(*s);
      *s = *storage;
    }
    return s->size() <= std::numeric_limits<rapidjson::SizeType>::max();
  }

  // REQUIRES: PrepareString(&s, ...) returned true, or `plain` (IsPlainAscii(s)).
  void WriteString(std::string_view s, bool plain) {
    if (plain) {
      out.Reserve(s.size() + 2);
      out.PutUnsafe('"');
      out.Append(s);
      out.PutUnsafe('"');
      return;
    }
    ScalarWriter().String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  }

  StringOutput out;
  rapidjson::Writer<StringOutput> scalar_writer{out};
  std::vector<Level> levels;
  bool has_root = false;
  bool ok = true;
};

JsonWriter::JsonWriter() : impl_(std::make_unique<Impl>()) {}

JsonWriter::~JsonWriter() = default;

void JsonWriter::StartObject() {
  if (!impl_->BeginValue()) return;
  impl_->levels.push_back({.in_array = false});
  impl_->out.Put('{');
}

void JsonWriter::EndObject() {
  if (!impl_->KeyAllowed()) {  // in an object, no value owed
    impl_->Misuse();
    return;
  }
  impl_->levels.pop_back();
  impl_->out.Put('}');
}

void JsonWriter::StartArray() {
  if (!impl_->BeginValue()) return;
  impl_->levels.push_back({.in_array = true});
  impl_->out.Put('[');
}

void JsonWriter::EndArray() {
  if (impl_->levels.empty() || !impl_->levels.back().in_array) {
    impl_->Misuse();
    return;
  }
  impl_->levels.pop_back();
  impl_->out.Put(']');
}

void JsonWriter::Key(std::string_view key) {
  if (!impl_->KeyAllowed()) {
    impl_->Misuse();
    return;
  }
  Impl::Level& level = impl_->levels.back();
  StringOutput& out = impl_->out;
  const bool plain = IsPlainAscii(key);
  std::string storage;
  if (!plain && !Impl::PrepareString(&key, &storage)) {
    impl_->Misuse();
    return;
  }
  if (plain) {
    // Keys are nearly always plain: one check for room, then the bytes.
    out.Reserve(key.size() + 4);
    if (level.has_entry) out.PutUnsafe(',');
    out.PutUnsafe('"');
    out.AppendUnsafe(key);
    out.PutUnsafe('"');
    out.PutUnsafe(':');
  } else {
    if (level.has_entry) out.Put(',');
    impl_->WriteString(key, plain);
    out.Put(':');
  }
  level.has_entry = true;
  level.has_key = true;
}

void JsonWriter::String(std::string_view value) {
  std::string storage;
  const bool plain = IsPlainAscii(value);
  if (!plain && !Impl::PrepareString(&value, &storage)) {
    impl_->Misuse();
    return;
  }
  if (!impl_->BeginValue()) return;
  impl_->WriteString(value, plain);
}

void JsonWriter::Int(std::int64_t value) {
  if (!impl_->BeginValue()) return;
  impl_->ScalarWriter().Int64(value);
}

void JsonWriter::Uint(std::uint64_t value) {
  if (!impl_->BeginValue()) return;
  impl_->ScalarWriter().Uint64(value);
}

void JsonWriter::Double(double value) {
  if (!impl_->BeginValue()) return;
  // JSON has no NaN or infinity, and RapidJSON refuses them without writing
  // anything; null keeps the document well-formed and is what JavaScript's
  // JSON.stringify writes too.
  if (!std::isfinite(value)) {
    impl_->ScalarWriter().Null();
    return;
  }
  impl_->ScalarWriter().Double(value);
}

void JsonWriter::Bool(bool value) {
  if (!impl_->BeginValue()) return;
  impl_->ScalarWriter().Bool(value);
}

void JsonWriter::Null() {
  if (!impl_->BeginValue()) return;
  impl_->ScalarWriter().Null();
}

void JsonWriter::Reserve(std::size_t bytes) { impl_->out.ReserveTotal(bytes); }

bool JsonWriter::ok() const { return impl_->ok; }

bool JsonWriter::IsComplete() const { return impl_->has_root && impl_->levels.empty(); }

std::string JsonWriter::Take() {
  std::string text = impl_->out.Take();
  impl_->levels.clear();
  impl_->has_root = false;
  impl_->ok = true;
  return text;
}

}  // namespace spinlog::json
