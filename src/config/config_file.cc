#include "config/config_file.h"

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>

// toml++ is a large header: it stays in this one file.
#include <toml++/toml.h>

#include "common/status.h"

namespace spinlog::config {
namespace {

std::string Where(const std::string& path, const toml::source_region& region) {
  return path + ":" + std::to_string(region.begin.line);
}

// The text of a scalar as the command line would take it; empty optional for
// anything else.
std::optional<std::string> ScalarText(const toml::node& node) {
  if (const auto* s = node.as_string()) return s->get();
  if (const auto* i = node.as_integer()) return std::to_string(i->get());
  if (const auto* b = node.as_boolean()) return std::string(b->get() ? "true" : "false");
  if (const auto* f = node.as_floating_point()) {
    std::ostringstream text;
    text << f->get();
    return text.str();
  }
  return std::nullopt;
}

}  // namespace

Result<std::vector<Setting>> ReadConfigFile(const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& error) {
    const std::string reason(error.description());
    if (error.source().begin.line == 0) {
      return Status::InvalidArgument("config file " + path + ": " + reason);
    }
    return Status::InvalidArgument("config file " + Where(path, error.source()) + ": " + reason);
  }
  // toml++ keeps a table's keys sorted; settings come back in file order.
  std::vector<std::pair<std::uint32_t, Setting>> lines;
  std::vector<Setting> settings;
  for (const auto& [raw_key, node] : table) {
    std::string key(raw_key.str());
    for (char& c : key) {
      if (c == '_') c = '-';
    }
    const std::string origin = Where(path, node.source());
    if (std::optional<std::string> text = ScalarText(node)) {
      lines.push_back({node.source().begin.line, {key, std::move(*text), origin}});
      continue;
    }
    if (const auto* array = node.as_array()) {
      std::string list;
      for (const toml::node& item : *array) {
        std::optional<std::string> text = ScalarText(item);
        if (!text) {
          return Status::InvalidArgument("config file " + origin + ": " + std::string(raw_key.str()) +
                                         ": a list may hold only strings, numbers and booleans");
        }
        if (!list.empty()) list += ',';
        list += *text;
      }
      lines.push_back({node.source().begin.line, {key, std::move(list), origin}});
      continue;
    }
    return Status::InvalidArgument("config file " + origin + ": " + std::string(raw_key.str()) +
                                   ": expected a string, number, boolean or list, not a " +
                                   (node.is_table() ? "table" : "date or time"));
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& line : lines) settings.push_back(std::move(line.second));
  return settings;
}

}  // namespace spinlog::config
