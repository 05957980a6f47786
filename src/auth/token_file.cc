#include "auth/token_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "json/json_reader.h"
#include "json/json_writer.h"

namespace spinlog::auth {
namespace {

std::string SystemError(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

Result<std::int64_t> ParseSeconds(const std::string& text) {
  std::int64_t value = 0;
  if (text.empty()) return Status::InvalidArgument("empty number");
  for (char c : text) {
    if (c < '0' || c > '9' || value > (INT64_MAX - 9) / 10) {
      return Status::InvalidArgument("not a count of seconds");
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

Result<TokenRecord> ParseRecord(const std::string& line) {
  SPINLOG_ASSIGN_OR_RETURN(std::vector<json::JsonMember> members, json::ParseJsonObject(line));
  TokenRecord record;
  bool has_hash = false;
  for (const json::JsonMember& m : members) {
    if (m.name == "id") {
      record.id = m.value;
    } else if (m.name == "name") {
      record.name = m.value;
    } else if (m.name == "scopes") {
      SPINLOG_ASSIGN_OR_RETURN(record.scopes, ParseScopes(m.value));
    } else if (m.name == "sha256") {
      SPINLOG_ASSIGN_OR_RETURN(record.hash, HashFromHex(m.value));
      has_hash = true;
    } else if (m.name == "created") {
      SPINLOG_ASSIGN_OR_RETURN(record.created, ParseSeconds(m.value));
    } else if (m.name == "revoked") {
      SPINLOG_ASSIGN_OR_RETURN(record.revoked, ParseSeconds(m.value));
    }
  }
  if (record.id.empty() || !has_hash || record.scopes == 0) {
    return Status::InvalidArgument("a token record needs id, scopes and sha256");
  }
  return record;
}

}  // namespace

std::string TokenFilePath(const std::string& data_dir) { return data_dir + "/tokens.json"; }

Result<std::vector<TokenRecord>> ReadTokenFile(const std::string& path) {
  std::vector<TokenRecord> records;
  std::ifstream in(path);
  if (!in) {
    if (errno == ENOENT) return records;
    return Status::IOError(SystemError("cannot read", path));
  }
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    Result<TokenRecord> record = ParseRecord(line);
    if (!record.ok()) {
      return Status::Corruption(path + ":" + std::to_string(number) + ": " +
                                record.status().message());
    }
    records.push_back(std::move(record).value());
  }
  if (in.bad()) return Status::IOError(SystemError("cannot read", path));
  return records;
}

Status WriteTokenFile(const std::string& path, const std::vector<TokenRecord>& records) {
  std::string text;
  for (const TokenRecord& r : records) {
    json::JsonWriter w;
    w.StartObject();
    w.Key("id");
    w.String(r.id);
    w.Key("name");
    w.String(r.name);
    w.Key("scopes");
    w.String(FormatScopes(r.scopes));
    w.Key("sha256");
    w.String(HashToHex(r.hash));
    w.Key("created");
    w.Int(r.created);
    w.Key("revoked");
    w.Int(r.revoked);
    w.EndObject();
    text += w.Take();
    text += '\n';
  }
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError(SystemError("cannot write", temporary));
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status failed = Status::IOError(SystemError("cannot write", temporary));
      ::close(fd);
      return failed;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status failed = Status::IOError(SystemError("cannot sync", temporary));
    ::close(fd);
    return failed;
  }
  ::close(fd);
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    return Status::IOError(SystemError("cannot replace", path));
  }
  const std::size_t slash = path.rfind('/');
  const std::string directory = slash == std::string::npos ? "." : path.substr(0, slash);
  const int dir_fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    (void)::fsync(dir_fd);  // the rename is durable once the directory is
    ::close(dir_fd);
  }
  return Status::OK();
}

Result<TokenFileLock> TokenFileLock::Acquire(const std::string& path) {
  const std::string lock_path = path + ".lock";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return Status::IOError(SystemError("cannot open", lock_path));
  if (::flock(fd, LOCK_EX) != 0) {
    Status failed = Status::IOError(SystemError("cannot lock", lock_path));
    ::close(fd);
    return failed;
  }
  return TokenFileLock(fd);
}

TokenFileLock::TokenFileLock(TokenFileLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

TokenFileLock::~TokenFileLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the flock
}

namespace {

class TokenFile final : public TokenStore {
 public:
  explicit TokenFile(std::string path) : path_(std::move(path)) {}

  std::string Describe() const override { return path_; }

  Result<std::string> Version() override {
    struct stat info {};
    if (::stat(path_.c_str(), &info) != 0) {
      if (errno == ENOENT) return std::string("absent");
      return Status::IOError(SystemError("cannot stat", path_));
    }
    return std::to_string(info.st_ino) + ":" + std::to_string(info.st_size) + ":" +
           std::to_string(info.st_mtim.tv_sec) + "." + std::to_string(info.st_mtim.tv_nsec);
  }

  Result<std::vector<TokenRecord>> ReadAll() override { return ReadTokenFile(path_); }

  Status Add(const TokenRecord& record) override {
    SPINLOG_ASSIGN_OR_RETURN(TokenFileLock lock, TokenFileLock::Acquire(path_));
    SPINLOG_ASSIGN_OR_RETURN(std::vector<TokenRecord> records, ReadTokenFile(path_));
    for (const TokenRecord& r : records) {
      if (r.id == record.id) return Status::AlreadyExists("token id " + record.id + " is taken");
    }
    records.push_back(record);
    return WriteTokenFile(path_, records);
  }

  Result<TokenRecord> Revoke(std::string_view id, std::int64_t when) override {
    SPINLOG_ASSIGN_OR_RETURN(TokenFileLock lock, TokenFileLock::Acquire(path_));
    SPINLOG_ASSIGN_OR_RETURN(std::vector<TokenRecord> records, ReadTokenFile(path_));
    for (TokenRecord& r : records) {
      if (r.id != id) continue;
      if (r.revoked != 0) return r;
      r.revoked = when;
      SPINLOG_RETURN_IF_ERROR(WriteTokenFile(path_, records));
      return r;
    }
    return Status::NotFound("no token with id '" + std::string(id) + "' in " + path_);
  }

 private:
  const std::string path_;
};

}  // namespace

std::unique_ptr<TokenStore> OpenTokenFile(std::string path) {
  return std::make_unique<TokenFile>(std::move(path));
}

}  // namespace spinlog::auth
