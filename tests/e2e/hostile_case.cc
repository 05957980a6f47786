#include "e2e/hostile_case.h"

#include <string>
#include <utility>
#include <vector>

#include "e2e/http_client.h"

namespace spinlog::e2e::hostile {

Case FormCase(std::string name, std::string method, std::string path, const Fields& fields,
              std::vector<int> statuses, std::vector<std::string> bad_fields,
              std::vector<std::string> contains) {
  Case c;
  c.name = std::move(name);
  c.method = std::move(method);
  if (c.method == "GET") {
    c.target = path + (fields.empty() ? "" : "?" + Form(fields));
  } else {
    c.target = std::move(path);
    c.body = Form(fields);
    c.content_type = "application/x-www-form-urlencoded";
  }
  c.statuses = std::move(statuses);
  c.fields = std::move(bad_fields);
  c.contains = std::move(contains);
  return c;
}

Case BodyCase(std::string name, std::string path, std::string body, std::string content_type,
              std::vector<int> statuses, std::vector<std::string> bad_fields,
              std::vector<std::string> contains) {
  Case c;
  c.name = std::move(name);
  c.method = "POST";
  c.target = std::move(path);
  c.body = std::move(body);
  c.content_type = std::move(content_type);
  c.statuses = std::move(statuses);
  c.fields = std::move(bad_fields);
  c.contains = std::move(contains);
  return c;
}

Case TargetCase(std::string name, std::string method, std::string target, std::vector<int> statuses,
                std::vector<std::string> bad_fields, std::vector<std::string> contains) {
  Case c;
  c.name = std::move(name);
  c.method = std::move(method);
  c.target = std::move(target);
  c.statuses = std::move(statuses);
  c.fields = std::move(bad_fields);
  c.contains = std::move(contains);
  return c;
}

Case RawCase(std::string name, std::string raw, std::vector<int> extra_statuses) {
  Case c;
  c.name = std::move(name);
  c.raw = std::move(raw);
  c.statuses = {kClosed, 400, 404, 405, 408, 411, 413, 414, 431};
  c.statuses.insert(c.statuses.end(), extra_statuses.begin(), extra_statuses.end());
  return c;
}

Fields Play(std::string channel, std::string performer, std::string title, std::string start,
            std::string end) {
  return {{"title", std::move(title)},
          {"performer", std::move(performer)},
          {"channel", std::move(channel)},
          {"start", std::move(start)},
          {"end", std::move(end)}};
}

Fields GhostPlay(std::string start, std::string end) {
  return Play(kGhostChannel, kGhostPerformer, kGhostSong, std::move(start), std::move(end));
}

Fields Channel1Play(std::string start, std::string end) {
  return Play("Channel1", "Performer1", "Song1", std::move(start), std::move(end));
}

}  // namespace spinlog::e2e::hostile
