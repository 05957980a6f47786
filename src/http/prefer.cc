#include "http/prefer.h"

#include <string_view>

namespace spinlog::http {
namespace {

// tchar of RFC 9110 5.6.2.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

// Reads one field value's members in turn. Commas inside quoted strings do
// not end a member.
class PreferenceReader {
 public:
  explicit PreferenceReader(std::string_view field) : field_(field) {}

  // Reads the next member into *name and *value (unquoted); false at the end
  // of the field. *well_formed tells whether the member parsed.
  bool Next(std::string_view* name, std::string* value, bool* well_formed) {
    SkipSpaceAndCommas();
    if (pos_ >= field_.size()) return false;
    *well_formed = ParseMember(name, value);
    SkipToNextMember();
    return true;
  }

 private:
  void SkipSpaceAndCommas() {
    while (pos_ < field_.size() && (IsSpace(field_[pos_]) || field_[pos_] == ',')) ++pos_;
  }
  void SkipSpace() {
    while (pos_ < field_.size() && IsSpace(field_[pos_])) ++pos_;
  }
  std::string_view Token() {
    const std::size_t begin = pos_;
    while (pos_ < field_.size() && IsTokenChar(field_[pos_])) ++pos_;
    return field_.substr(begin, pos_ - begin);
  }
  // A quoted-string at pos_ (which holds '"'), unescaped into *out; false
  // when it is not closed.
  bool QuotedString(std::string* out) {
    ++pos_;
    while (pos_ < field_.size()) {
      const char c = field_[pos_++];
      if (c == '"') return true;
      if (c == '\\') {
        if (pos_ >= field_.size()) return false;
        out->push_back(field_[pos_++]);
      } else {
        out->push_back(c);
      }
    }
    return false;
  }
  bool ParseMember(std::string_view* name, std::string* value) {
    value->clear();
    *name = Token();
    if (name->empty()) return false;
    SkipSpace();
    if (pos_ < field_.size() && field_[pos_] == '=') {
      ++pos_;
      SkipSpace();
      if (pos_ < field_.size() && field_[pos_] == '"') {
        if (!QuotedString(value)) return false;
      } else {
        const std::string_view token = Token();
        if (token.empty()) return false;
        value->assign(token);
      }
      SkipSpace();
    }
    // Parameters (";" ...) qualify a preference; none that spinlog honours
    // has any, so they are skipped with the rest of the member.
    return pos_ >= field_.size() || field_[pos_] == ',' || field_[pos_] == ';';
  }
  // Past the rest of this member: up to the next comma outside quotes.
  void SkipToNextMember() {
    bool quoted = false;
    while (pos_ < field_.size()) {
      const char c = field_[pos_];
      if (quoted && c == '\\') {
        pos_ += 2;
        continue;
      }
      if (c == '"') quoted = !quoted;
      if (c == ',' && !quoted) return;
      ++pos_;
    }
  }

  std::string_view field_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<std::string> FindPreference(const Request& request, std::string_view name) {
  for (std::string_view field : request.FindHeaders("Prefer")) {
    PreferenceReader reader(field);
    std::string_view member;
    std::string value;
    bool well_formed = false;
    while (reader.Next(&member, &value, &well_formed)) {
      if (well_formed && EqualsIgnoreAsciiCase(member, name)) return value;
    }
  }
  return std::nullopt;
}

bool PrefersMinimalReturn(const Request& request) {
  const std::optional<std::string> value = FindPreference(request, "return");
  return value && EqualsIgnoreAsciiCase(*value, "minimal");
}

}  // namespace spinlog::http
