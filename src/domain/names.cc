#include "domain/names.h"

#include "text/utf8.h"

namespace spinlog::domain {

std::string NormalizeName(std::string_view field, std::string_view raw,
                          std::vector<FieldViolation>* violations) {
  Result<std::string> normal = text::NormalizeName(raw);
  if (!normal.ok()) {
    violations->push_back({std::string(field), "is not valid UTF-8"});
    return "";
  }
  if (normal->empty()) {
    violations->push_back({std::string(field), "must not be empty"});
    return "";
  }
  if (normal->size() > kMaxNameBytes) {
    violations->push_back(
        {std::string(field), "is longer than " + std::to_string(kMaxNameBytes) + " bytes"});
    return "";
  }
  return std::move(normal).value();
}

}  // namespace spinlog::domain
