// JsonWriter: builds compact JSON text (RapidJSON's Writer underneath).
// Strings must be valid UTF-8: they pass through as UTF-8, with '"', '\\' and
// control characters escaped. Not thread-safe; one writer per response.
#pragma once

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
  void Double(double value);
  void Bool(bool value);
  void Null();

  // The text written so far; the writer is empty afterwards.
  std::string Take();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace spinlog::json
