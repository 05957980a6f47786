#include "http/request.h"

namespace spinlog::http {
namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

// Header names are ASCII tokens (RFC 9110 5.1), so ASCII folding is the whole
// story; locale-aware comparison would be both slower and wrong.
bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

const char* MethodName(Method method) {
  switch (method) {
    case Method::kGet: return "GET";
    case Method::kHead: return "HEAD";
    case Method::kPost: return "POST";
    case Method::kPut: return "PUT";
    case Method::kPatch: return "PATCH";
    case Method::kDelete: return "DELETE";
    case Method::kOptions: return "OPTIONS";
    case Method::kOther: return "OTHER";
  }
  return "OTHER";
}

std::string_view Request::FindHeader(std::string_view name) const {
  for (const auto& [header_name, value] : headers) {
    if (EqualsIgnoreAsciiCase(header_name, name)) return value;
  }
  return {};
}

std::vector<std::string_view> Request::FindHeaders(std::string_view name) const {
  std::vector<std::string_view> values;
  for (const auto& [header_name, value] : headers) {
    if (EqualsIgnoreAsciiCase(header_name, name)) values.emplace_back(value);
  }
  return values;
}

std::string_view Request::PathParam(std::string_view name) const {
  for (const auto& [param_name, value] : path_params) {
    if (param_name == name) return value;
  }
  return {};
}

}  // namespace spinlog::http
