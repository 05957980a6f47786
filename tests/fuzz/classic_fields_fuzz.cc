// Fuzzes the classic API's request reading: query string, Content-Type and
// body (form or JSON) decoded into fields, then every typed read the
// handlers do. Nothing may crash, and every problem must name a field.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/request_fields.h"

namespace {

// Splits the input at the first two NUL bytes: query, content type, body.
spinlog::http::Request MakeRequest(std::string_view data) {
  spinlog::http::Request request;
  request.method = spinlog::http::Method::kPost;
  request.path = "/add_play";
  std::size_t first = data.find('\0');
  request.query = std::string(data.substr(0, first));
  if (first == std::string_view::npos) return request;
  data.remove_prefix(first + 1);
  std::size_t second = data.find('\0');
  request.headers.emplace_back("Content-Type", std::string(data.substr(0, second)));
  if (second != std::string_view::npos) request.body = std::string(data.substr(second + 1));
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using spinlog::api::RequestFields;
  using spinlog::api::FieldReader;
  spinlog::http::Request request =
      MakeRequest(std::string_view(reinterpret_cast<const char*>(data), size));
  spinlog::Result<RequestFields> fields = RequestFields::Read(request);
  if (!fields.ok()) {
    if (fields.status().violations().empty()) std::abort();
    return 0;
  }
  FieldReader reader(*fields);
  (void)reader.Name("title");  // the values are not needed, only the checks
  (void)reader.Name("channel");
  (void)reader.Datetime("start");
  (void)reader.Limit("limit", 40, 1000);
  (void)reader.NameList("channels");
  if (!reader.ok()) {
    const spinlog::Status status = reader.status();
    for (const spinlog::FieldViolation& v : status.violations()) {
      if (v.field.empty() || v.problem.empty()) std::abort();
    }
  }
  return 0;
}
