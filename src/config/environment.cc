#include "config/environment.h"

#include <string>

namespace spinlog::config {

std::vector<Setting> ReadEnvironment(char** environ, std::string_view prefix) {
  std::vector<Setting> settings;
  if (environ == nullptr) return settings;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view variable(*entry);
    const std::size_t equals = variable.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view name = variable.substr(0, equals);
    if (name.size() <= prefix.size() || name.substr(0, prefix.size()) != prefix) continue;
    std::string key;
    for (char c : name.substr(prefix.size())) {
      key += c == '_' ? '-' : (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    settings.push_back({std::move(key), std::string(variable.substr(equals + 1)), std::string(name)});
  }
  return settings;
}

std::string EnvironmentName(std::string_view prefix, std::string_view key) {
  std::string name(prefix);
  for (char c : key) {
    name += c == '-' ? '_' : (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return name;
}

}  // namespace spinlog::config
