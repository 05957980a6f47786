#include "auth/token_registry.h"

#include <sys/stat.h>

#include "auth/token_file.h"
#include "common/logging.h"

namespace spinlog::auth {
namespace {
constexpr std::chrono::seconds kRecheckEvery{1};
}  // namespace

Result<std::unique_ptr<TokenRegistry>> TokenRegistry::Open(std::string path) {
  std::unique_ptr<TokenRegistry> registry(new TokenRegistry(std::move(path)));
  const FileStamp stamp = registry->StampNow();
  SPINLOG_RETURN_IF_ERROR(registry->Load(stamp));
  registry->checked_ = std::chrono::steady_clock::now();
  return registry;
}

TokenRegistry::FileStamp TokenRegistry::StampNow() const {
  struct stat info {};
  if (::stat(path_.c_str(), &info) != 0) return FileStamp{};
  return FileStamp{static_cast<long long>(info.st_ino), static_cast<long long>(info.st_size),
                   static_cast<long long>(info.st_mtim.tv_sec) * 1000000000LL + info.st_mtim.tv_nsec};
}

Status TokenRegistry::Load(const FileStamp& stamp) {
  SPINLOG_ASSIGN_OR_RETURN(std::vector<TokenRecord> records, ReadTokenFile(path_));
  auto table = std::make_shared<Table>();
  for (const TokenRecord& record : records) {
    if (record.revoked == 0) (*table)[record.id] = Entry{record.hash, record.scopes};
  }
  table_ = std::move(table);
  stamp_ = stamp;
  return Status::OK();
}

std::shared_ptr<const TokenRegistry::Table> TokenRegistry::Current() {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (now - checked_ >= kRecheckEvery) {
    checked_ = now;
    const FileStamp stamp = StampNow();
    if (!(stamp == stamp_)) {
      if (Status loaded = Load(stamp); !loaded.ok()) {
        logging::Error("token file not reloaded, the previous tokens stay in force: " +
                       loaded.ToString());
        stamp_ = stamp;  // reported once per change, not once a second
      } else {
        logging::Info("token file reloaded: " + std::to_string(table_->size()) + " active token(s)");
      }
    }
  }
  return table_;
}

std::optional<TokenIdentity> TokenRegistry::Authenticate(std::string_view token) {
  const std::string_view id = TokenIdOf(token);
  if (id.empty()) return std::nullopt;
  const std::shared_ptr<const Table> table = Current();
  const auto found = table->find(std::string(id));
  if (found == table->end()) return std::nullopt;
  if (!SameHash(found->second.hash, HashToken(token))) return std::nullopt;
  return TokenIdentity{found->first, found->second.scopes};
}

bool TokenRegistry::HasActiveTokens() { return !Current()->empty(); }

}  // namespace spinlog::auth
