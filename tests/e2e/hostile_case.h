// Case: one hostile request against the classic API (plays-api.md) and what
// its answer must be, plus builders for the usual shapes (a form, a literal
// body, a literal target, raw bytes) and the play fields the case tables
// share. Plain values; nothing here talks to a server.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace spinlog::e2e::hostile {

// A status of 0 in Case::statuses means "the server may close the connection
// without answering".
constexpr int kClosed = 0;

struct Case {
  std::string name;
  // A well-formed HTTP/1.1 request (method non-empty) ...
  std::string method;
  std::string target;
  std::string body;
  std::string content_type;
  // ... or these raw bytes (method empty).
  std::string raw;
  // Acceptable statuses (kClosed: closing without an answer is acceptable).
  std::vector<int> statuses;
  // When non-empty: exactly the fields the errors name, one error each, each
  // message being "<field>: <problem>".
  std::vector<std::string> fields;
  // Substrings the error messages must contain (each in some message).
  std::vector<std::string> contains;
  // For 405: methods the Allow header must list.
  std::vector<std::string> allow;
  // Raw cases only: close right after sending, without reading an answer.
  bool hang_up = false;
};

using Fields = std::vector<std::pair<std::string, std::string>>;

// Names that only ever appear in requests that must be rejected.
constexpr const char* kGhostChannel = "Ghost Channel";
constexpr const char* kGhostPerformer = "Ghost Performer";
constexpr const char* kGhostSong = "Ghost Song";

// A form-encoded case: a GET carries the fields in its query, any other
// method in a form body.
Case FormCase(std::string name, std::string method, std::string path, const Fields& fields,
              std::vector<int> statuses, std::vector<std::string> bad_fields,
              std::vector<std::string> contains = {});

// A POST with a literal body (bytes as they are) and Content-Type.
Case BodyCase(std::string name, std::string path, std::string body, std::string content_type,
              std::vector<int> statuses, std::vector<std::string> bad_fields,
              std::vector<std::string> contains = {});

// A request with a literal (already encoded) target and no body.
Case TargetCase(std::string name, std::string method, std::string target, std::vector<int> statuses,
                std::vector<std::string> bad_fields, std::vector<std::string> contains = {});

// Raw bytes that must answer a 4xx or close the connection (or one of
// extra_statuses).
Case RawCase(std::string name, std::string raw, std::vector<int> extra_statuses = {});

// The five fields of an add_play request.
Fields Play(std::string channel, std::string performer, std::string title, std::string start,
            std::string end);

// A play on the ghost names, which must never come to exist.
Fields GhostPlay(std::string start, std::string end);

// Plays at times inside the stored data's window, on stored names: accepting
// one would change what the reads answer.
Fields Channel1Play(std::string start, std::string end);

}  // namespace spinlog::e2e::hostile
