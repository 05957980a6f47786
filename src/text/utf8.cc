#include "text/utf8.h"

#include <utf8proc.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

namespace spinlog::text {
namespace {

bool IsContinuation(unsigned char b) { return (b & 0xC0) == 0x80; }

// True when every byte of s[i, i + 8) is ASCII; names and form values are
// mostly ASCII, so checking eight bytes at a time pays.
bool EightAsciiBytes(const char* p) {
  std::uint64_t word;
  std::memcpy(&word, p, sizeof(word));
  return (word & 0x8080808080808080ULL) == 0;
}

bool AllAscii(std::string_view s) {
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    if (!EightAsciiBytes(s.data() + i)) return false;
  }
  for (; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) return false;
  }
  return true;
}

// Decodes the sequence starting at s[0]. REQUIRES: a well-formed sequence of
// `len` bytes starts `s`.
char32_t DecodeAt(std::string_view s, std::size_t len) {
  auto b = [&](std::size_t i) { return static_cast<char32_t>(static_cast<unsigned char>(s[i])); };
  switch (len) {
    case 1:
      return b(0);
    case 2:
      return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3:
      return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    default:
      return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  }
}

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

Result<std::string> ApplyNfc(std::string_view s) {
  utf8proc_uint8_t* raw = nullptr;
  // Not utf8proc_NFC(): that one stops at the first NUL, and names may hold one.
  const utf8proc_ssize_t length = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()),
      &raw, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> owned(raw);
  if (length < 0) {
    switch (length) {
      case UTF8PROC_ERROR_INVALIDUTF8:
        return Status::InvalidArgument("is not valid UTF-8");
      case UTF8PROC_ERROR_NOMEM:
      case UTF8PROC_ERROR_OVERFLOW:
        return Status::ResourceExhausted(std::string("cannot normalise text: ") +
                                         utf8proc_errmsg(length));
      default:
        return Status::Internal(std::string("utf8proc_map failed: ") + utf8proc_errmsg(length));
    }
  }
  return std::string(reinterpret_cast<const char*>(owned.get()), static_cast<std::size_t>(length));
}

// The NFC form of recently normalised non-ASCII names, per thread. Bulk
// input repeats a few names many times over (a 1,000-play batch names some
// hundred channels and songs), and utf8proc costs two passes and a heap
// buffer per call; a lookup costs one hash of the bytes. NFC is a pure
// function of the text, so a cached answer is the answer.
class NfcCache {
 public:
  // Longer texts are normalised every time: rare, and they would crowd out
  // the names.
  static constexpr std::size_t kMaxTextBytes = 256;
  // Emptied when full: a bound on memory (about 1 MiB per thread even if
  // NFC tripled every text) that costs one refill on input naming more than
  // this many distinct names.
  static constexpr std::size_t kMaxEntries = 1024;

  const std::string* Find(std::string_view text) const {
    auto it = entries_.find(text);
    return it == entries_.end() ? nullptr : &it->second;
  }

  void Insert(std::string_view text, const std::string& normal) {
    if (text.size() > kMaxTextBytes) return;
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_.emplace(std::string(text), normal);
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, std::string, Hash, std::equal_to<>> entries_;
};

}  // namespace

std::size_t Utf8SequenceLength(std::string_view s) {
  if (s.empty()) return 0;
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return 1;
  // The ranges of Unicode 15, table 3-7 "Well-Formed UTF-8 Byte Sequences":
  // the bounds on the second byte rule out overlongs, surrogates and values
  // above U+10FFFF.
  std::size_t len;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;  // a stray continuation byte, C0/C1 (overlong) or F5..FF
  }
  if (s.size() < len) return 0;
  const auto b1 = static_cast<unsigned char>(s[1]);
  if (b1 < lo || b1 > hi) return 0;
  for (std::size_t i = 2; i < len; ++i) {
    if (!IsContinuation(static_cast<unsigned char>(s[i]))) return 0;
  }
  return len;
}

bool IsValidUtf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    if (i + 8 <= n && EightAsciiBytes(s.data() + i)) {
      i += 8;
      continue;
    }
    const std::size_t len = Utf8SequenceLength(s.substr(i));
    if (len == 0) return false;
    i += len;
  }
  return true;
}

bool IsUnicodeWhitespace(char32_t c) {
  if (c < 0x80) return c == 0x20 || (c >= 0x09 && c <= 0x0D);
  switch (c) {
    case 0x0085:
    case 0x00A0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

std::string_view TrimWhitespace(std::string_view s) {
  while (!s.empty()) {
    const std::size_t len = Utf8SequenceLength(s);
    if (len == 0 || !IsUnicodeWhitespace(DecodeAt(s, len))) break;
    s.remove_prefix(len);
  }
  while (!s.empty()) {
    // Step back over continuation bytes to the lead byte of the last character.
    std::size_t start = s.size() - 1;
    while (start > 0 && IsContinuation(static_cast<unsigned char>(s[start]))) --start;
    const std::string_view last = s.substr(start);
    const std::size_t len = Utf8SequenceLength(last);
    if (len != last.size() || !IsUnicodeWhitespace(DecodeAt(last, len))) break;
    s.remove_suffix(len);
  }
  return s;
}

Result<std::string> NormalizeName(std::string_view s) {
  // Most names are ASCII: valid UTF-8 and in NFC as they are, and the only
  // whitespace that can end them is ASCII's, so one pass over the bytes and
  // a trim of ASCII whitespace do what the general path below does.
  if (AllAscii(s)) {
    auto is_space = [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return std::string(s);
  }
  if (!IsValidUtf8(s)) return Status::InvalidArgument("is not valid UTF-8");
  const std::string_view trimmed = TrimWhitespace(s);
  // Non-ASCII whitespace trimmed off may leave ASCII, already in NFC.
  if (AllAscii(trimmed)) return std::string(trimmed);
  thread_local NfcCache cache;
  if (const std::string* known = cache.Find(trimmed)) return *known;
  SPINLOG_ASSIGN_OR_RETURN(std::string normal, ApplyNfc(trimmed));
  // NFC maps U+2000/U+2001 to U+2002/U+2003, whitespace to whitespace, so the
  // ends are still trimmed; trimming again guards idempotence all the same.
  const std::string_view retrimmed = TrimWhitespace(normal);
  if (retrimmed.size() != normal.size()) normal = std::string(retrimmed);
  cache.Insert(trimmed, normal);
  return normal;
}

}  // namespace spinlog::text
