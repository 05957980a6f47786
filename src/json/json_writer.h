// JsonWriter: builds compact JSON text (RapidJSON's Writer underneath).
// Strings must be valid UTF-8: they pass through as UTF-8, with '"', '\\' and
// control characters escaped. Not thread-safe; one writer per response.
//
// Output: no spaces; strings escape '"' and '\\', \b \f \n \r \t, other
// control characters (NUL included) as \u00XX with upper-case hex; '/', DEL
// and all non-ASCII pass through. Ill-formed UTF-8 in a string (a broken
// precondition) is written with U+FFFD in place of each bad sequence, so the
// text stays valid UTF-8 JSON.
//
// Calls must follow JSON's grammar: one root value; in an object, Key() then
// one value, in turn; End* matching Start*. A call out of order is a
// programmer error: it asserts in debug builds; in release builds it is
// dropped (the text so far stays well-formed) and ok() turns false.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace spinlog::json {

class JsonWriter {
 public:
  JsonWriter();
  ~JsonWriter();
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  void StartObject();
  void EndObject();
  void StartArray();
  void EndArray();
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int(std::int64_t value);
  void Uint(std::uint64_t value);
  // Shortest text that reads back as the same double ("0.1", "1e100",
  // "2.0"). NaN and infinities, which JSON cannot express, are written null.
  void Double(double value);
  void Bool(bool value);
  void Null();

  // Makes room for `bytes` bytes of text in all, so that a writer that knows
  // roughly how long its text gets grows (and copies) at most once more.
  // Changes nothing but capacity.
  void Reserve(std::size_t bytes);

  // False once a call came out of order (see above) since the last Take().
  bool ok() const;
  // True when exactly one root value has been written and closed.
  bool IsComplete() const;

  // The text written so far; the writer is empty afterwards (ready for a new
  // document, ok() true again).
  std::string Take();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spinlog::json
