#include "e2e/hostile_error_body.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spinlog::e2e::hostile {
namespace {

// A small JSON reader for checking answers (the server's own reader is what is
// under test, so it is not used here).

struct Json {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  double number = 0;
  std::string text;                                   // kString
  std::vector<Json> items;                            // kArray
  std::vector<std::pair<std::string, Json>> members;  // kObject
};

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text) {}

  // Parses the whole text as one value; false on any syntax error.
  bool Parse(Json* out) {
    if (!Value(out, 0)) return false;
    SkipSpace();
    return pos_ == text_.size();
  }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() &&
           std::string_view(" \t\r\n").find(text_[pos_]) != std::string_view::npos)
      ++pos_;
  }
  bool Literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  static void AppendUtf8(unsigned cp, std::string* out) {
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
  bool Hex4(unsigned* cp) {
    if (pos_ + 4 > text_.size()) return false;
    *cp = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      *cp <<= 4;
      if (c >= '0' && c <= '9') {
        *cp |= static_cast<unsigned>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        *cp |= static_cast<unsigned>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        *cp |= static_cast<unsigned>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    return true;
  }
  bool String(std::string* out) {
    if (pos_ >= text_.size() || text_[pos_] != '"') return false;
    ++pos_;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c != '\\') {
        *out += c;
        continue;
      }
      if (pos_ >= text_.size()) return false;
      const char e = text_[pos_++];
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
          unsigned cp = 0;
          if (!Hex4(&cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00) {
            unsigned low = 0;
            if (!Literal("\\u") || !Hex4(&low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp < 0xE000) {
            return false;
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return false;
      }
    }
    return false;
  }
  bool Value(Json* out, int depth) {
    if (depth > 100) return false;
    SkipSpace();
    if (pos_ >= text_.size()) return false;
    const char c = text_[pos_];
    if (c == 'n') return Literal("null");
    if (c == 't' || c == 'f') {
      out->kind = Json::Kind::kBool;
      return Literal("true") || Literal("false");
    }
    if (c == '"') {
      out->kind = Json::Kind::kString;
      return String(&out->text);
    }
    if (c == '[') {
      out->kind = Json::Kind::kArray;
      ++pos_;
      SkipSpace();
      if (Literal("]")) return true;
      for (;;) {
        out->items.emplace_back();
        if (!Value(&out->items.back(), depth + 1)) return false;
        SkipSpace();
        if (Literal("]")) return true;
        if (!Literal(",")) return false;
      }
    }
    if (c == '{') {
      out->kind = Json::Kind::kObject;
      ++pos_;
      SkipSpace();
      if (Literal("}")) return true;
      for (;;) {
        SkipSpace();
        std::string key;
        if (!String(&key)) return false;
        SkipSpace();
        if (!Literal(":")) return false;
        out->members.emplace_back(std::move(key), Json{});
        if (!Value(&out->members.back().second, depth + 1)) return false;
        SkipSpace();
        if (Literal("}")) return true;
        if (!Literal(",")) return false;
      }
    }
    const std::size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    while (pos_ < text_.size() &&
           std::string_view("0123456789.eE+-").find(text_[pos_]) != std::string_view::npos) {
      ++pos_;
    }
    if (pos_ == start) return false;
    out->kind = Json::Kind::kNumber;
    out->number = std::stod(std::string(text_.substr(start, pos_ - start)));
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

bool IsValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    unsigned cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 2;
      cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 3;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp < 0xE000))) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

}  // namespace

void ExpectErrorBody(const Case& c, const HttpResponse& r) {
  EXPECT_EQ(r.Header("Content-Type"), "application/json; charset=utf-8");
  ASSERT_TRUE(IsValidUtf8(r.body)) << "the body is not UTF-8: " << r.body;
  Json body;
  ASSERT_TRUE(JsonParser(r.body).Parse(&body)) << "not JSON: " << r.body;
  ASSERT_EQ(body.kind, Json::Kind::kObject) << r.body;
  ASSERT_EQ(body.members.size(), 3u) << r.body;
  EXPECT_EQ(body.members[0].first, "code") << r.body;
  EXPECT_EQ(body.members[1].first, "errors") << r.body;
  EXPECT_EQ(body.members[2].first, "result") << r.body;
  const Json& code = body.members[0].second;
  const Json& errors = body.members[1].second;
  EXPECT_EQ(body.members[2].second.kind, Json::Kind::kNull) << r.body;
  EXPECT_EQ(code.kind, Json::Kind::kNumber) << r.body;
  EXPECT_EQ(code.number, r.status) << r.body;
  ASSERT_EQ(errors.kind, Json::Kind::kArray) << r.body;
  EXPECT_FALSE(errors.items.empty()) << r.body;
  std::vector<std::string> messages;
  for (const Json& e : errors.items) {
    ASSERT_EQ(e.kind, Json::Kind::kString) << r.body;
    messages.push_back(e.text);
  }
  if (!c.fields.empty()) {
    std::vector<std::string> named;
    for (const std::string& m : messages) {
      const std::size_t colon = m.find(": ");
      named.push_back(colon == std::string::npos ? "<no field in '" + m + "'>"
                                                 : m.substr(0, colon));
    }
    std::vector<std::string> expected = c.fields;
    std::sort(named.begin(), named.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(named, expected) << "fields named by the errors of: " << r.body;
  }
  for (const std::string& needle : c.contains) {
    const bool found = std::any_of(messages.begin(), messages.end(), [&](const std::string& m) {
      return m.find(needle) != std::string::npos;
    });
    EXPECT_TRUE(found) << "no error mentions '" << needle << "': " << r.body;
  }
  if (r.status == 405) {
    const std::string allow = r.Header("Allow");
    EXPECT_FALSE(allow.empty()) << "405 without Allow";
    for (const std::string& m : c.allow) {
      EXPECT_NE(allow.find(m), std::string::npos) << "Allow: " << allow;
    }
    if (c.allow == std::vector<std::string>{"POST"}) {
      EXPECT_EQ(allow, "POST");
    }
  }
}

}  // namespace spinlog::e2e::hostile
