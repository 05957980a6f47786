#include "api/v1/path_id.h"

#include <charconv>
#include <string>

namespace spinlog::api::v1 {

Result<std::uint32_t> PathId(const http::Request& request, std::string_view what) {
  const std::string_view text = request.PathParam("id");
  std::uint32_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || id == 0) {
    return Status::NotFound("no " + std::string(what) + " has id '" + std::string(text) + "'");
  }
  return id;
}

}  // namespace spinlog::api::v1
