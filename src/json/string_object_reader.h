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

#include <cstddef>
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

  // True when `text` is valid JSON holding one array whose every element is
  // an object of strings (as Read accepts them), parsed once for all of
  // them; objects() then counts the elements and object(i) lists the
  // members of element i as Read would. False otherwise, and for texts over
  // kMaxArrayBytes (a thread keeps the parser's buffers): read the elements
  // one by one (SplitJsonArrayViews, then Read) to learn more.
  static constexpr std::size_t kMaxArrayBytes = 1 << 20;
  bool ReadArray(std::string_view text);

  // Valid until the next Read or ReadArray.
  std::size_t objects() const { return object_ends_.size(); }
  // REQUIRES: i < objects()
  std::span<const Member> object(std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : object_ends_[i - 1];
    return std::span<const Member>(members_).subspan(begin, object_ends_[i] - begin);
  }

 private:
  struct Parser;
  // Parses `text` into the parser's document (its root in parser_->root);
  // false when it is not JSON.
  bool Parse(std::string_view text);

  std::unique_ptr<Parser> parser_;
  std::vector<Member> members_;
  // Where each object of ReadArray ends in members_.
  std::vector<std::size_t> object_ends_;
};

}  // namespace spinlog::json
