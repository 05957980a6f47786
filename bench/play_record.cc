#include "play_record.h"

#include <cstdint>

namespace spinlog::bench {
namespace {

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  void SkipSpace() {
    while (i_ < s_.size() &&
           (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n')) {
      ++i_;
    }
  }
  bool Eat(char c) {
    SkipSpace();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool AtEnd() {
    SkipSpace();
    return i_ == s_.size();
  }
  bool PeekString() {
    SkipSpace();
    return i_ < s_.size() && s_[i_] == '"';
  }

  // Reads a JSON string (the opening quote is next) into `out`, decoded.
  bool String(std::string* out) {
    out->clear();
    if (!Eat('"')) return false;
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        *out += c;
        continue;
      }
      if (i_ >= s_.size()) return false;
      const char e = s_[i_++];
      switch (e) {
        case '"':
          *out += '"';
          break;
        case '\\':
          *out += '\\';
          break;
        case '/':
          *out += '/';
          break;
        case 'b':
          *out += '\b';
          break;
        case 'f':
          *out += '\f';
          break;
        case 'n':
          *out += '\n';
          break;
        case 'r':
          *out += '\r';
          break;
        case 't':
          *out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low = 0;
            if (i_ + 2 > s_.size() || s_[i_] != '\\' || s_[i_ + 1] != 'u') return false;
            i_ += 2;
            if (!Hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false;
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }

  // Skips a scalar (number, true, false, null) up to the next ',' or '}'.
  bool SkipScalar() {
    SkipSpace();
    const std::size_t from = i_;
    while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '}') {
      if (s_[i_] == '{' || s_[i_] == '[' || s_[i_] == '"') return false;
      ++i_;
    }
    return i_ > from;
  }

 private:
  bool Hex4(std::uint32_t* v) {
    if (i_ + 4 > s_.size()) return false;
    *v = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = s_[i_++];
      *v <<= 4;
      if (h >= '0' && h <= '9') {
        *v |= static_cast<std::uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        *v |= static_cast<std::uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        *v |= static_cast<std::uint32_t>(h - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }

  static void AppendUtf8(std::string* out, std::uint32_t cp) {
    if (cp < 0x80) {
      *out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      *out += static_cast<char>(0xC0 | (cp >> 6));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *out += static_cast<char>(0xE0 | (cp >> 12));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *out += static_cast<char>(0xF0 | (cp >> 18));
      *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::string_view s_;
  std::size_t i_ = 0;
};

}  // namespace

bool ParsePlayLine(std::string_view line, PlayRecord* play) {
  Parser p(line);
  if (!p.Eat('{')) return false;
  struct Wanted {
    std::string_view name;
    std::string* field;
  };
  const Wanted wanted[] = {{"channel", &play->channel},
                           {"performer", &play->performer},
                           {"title", &play->title},
                           {"start", &play->start},
                           {"end", &play->end}};
  int seen = 0;  // bit k: wanted[k] was found
  std::string key;
  std::string value;
  if (!p.Eat('}')) {
    do {
      if (!p.String(&key) || !p.Eat(':')) return false;
      if (!p.PeekString()) {
        if (!p.SkipScalar()) return false;
        continue;
      }
      if (!p.String(&value)) return false;
      for (int k = 0; k < 5; ++k) {
        if (key == wanted[k].name) {
          *wanted[k].field = value;
          seen |= 1 << k;
        }
      }
    } while (p.Eat(','));
    if (!p.Eat('}')) return false;
  }
  return p.AtEnd() && seen == 31;
}

void AppendPercentEncoded(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
}

std::string FormBody(const PlayRecord& play) {
  std::string body;
  body.reserve(160);
  body += "title=";
  AppendPercentEncoded(body, play.title);
  body += "&performer=";
  AppendPercentEncoded(body, play.performer);
  body += "&channel=";
  AppendPercentEncoded(body, play.channel);
  body += "&start=";
  AppendPercentEncoded(body, play.start);
  body += "&end=";
  AppendPercentEncoded(body, play.end);
  return body;
}

}  // namespace spinlog::bench
