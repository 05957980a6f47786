// StringObjectReader: a fast reader for the most common request item, a
// small JSON object whose members are all strings ({"channel": "...", ...}).
// It exists for bulk input, where ParseJsonObject's general members (owned
// strings, literal text of numbers, a second pass) cost more than the work
// they feed; callers fall back to ParseJsonObject for anything else.
//
// It accepts exactly what ParseJsonObject accepts (the same parser and
// limits), and for an object of strings reports the same names and values.
//
// Thread-safety: none; one thread uses a reader. Reuses its buffers, so a
// warm reader allocates nothing per object.
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace spinlog::json {

class StringObjectReader {
 public:
  using Member = std::pair<std::string_view, std::string_view>;  // unescaped name, value

  StringObjectReader();
  ~StringObjectReader();
  StringObjectReader(const StringObjectReader&) = delete;
  StringObjectReader& operator=(const StringObjectReader&) = delete;

  // True when `text` is valid JSON holding one object whose every member
  // value is a string; members() then lists them in order (duplicates kept).
  // False otherwise (invalid JSON, not an object, a non-string value): ask
  // ParseJsonObject for the details.
  bool Read(std::string_view text);

  // Valid until the next Read.
  std::span<const Member> members() const { return members_; }

 private:
  struct Parser;
  std::unique_ptr<Parser> parser_;
  std::vector<Member> members_;
};

}  // namespace spinlog::json
