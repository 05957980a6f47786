#include "auth/token_registry.h"

#include "auth/token_file.h"
#include "common/logging.h"
#include "common/thread_name.h"

namespace spinlog::auth {

Result<std::unique_ptr<TokenRegistry>> TokenRegistry::Open(std::string path) {
  return Open(OpenTokenFile(std::move(path)), std::chrono::seconds(1));
}

Result<std::unique_ptr<TokenRegistry>> TokenRegistry::Open(std::unique_ptr<TokenStore> store,
                                                           std::chrono::milliseconds poll_every) {
  std::unique_ptr<TokenRegistry> registry(new TokenRegistry(std::move(store), poll_every));
  SPINLOG_ASSIGN_OR_RETURN(std::string version, registry->store_->Version());
  SPINLOG_RETURN_IF_ERROR(registry->Load(version));
  registry->poller_ = std::thread([r = registry.get()] {
    NameCurrentThread("token-poller");
    r->Follow();
  });
  return registry;
}

TokenRegistry::~TokenRegistry() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (poller_.joinable()) poller_.join();
}

Status TokenRegistry::Load(const std::string& version) {
  SPINLOG_ASSIGN_OR_RETURN(std::vector<TokenRecord> records, store_->ReadAll());
  auto table = std::make_shared<Table>();
  for (const TokenRecord& record : records) {
    if (record.revoked == 0) (*table)[record.id] = Entry{record.hash, record.scopes};
  }
  {
    std::lock_guard lock(mutex_);
    table_ = std::move(table);
  }
  version_ = version;
  return Status::OK();
}

void TokenRegistry::Refresh() {
  Result<std::string> version = store_->Version();
  Status outcome = version.status();
  bool reloaded = false;
  if (version.ok() && *version != version_) {
    outcome = Load(*version);
    reloaded = outcome.ok();
    // A store that reads badly is reported once per change, not once a poll.
    if (!outcome.ok()) version_ = *version;
  }
  if (!outcome.ok()) {
    if (outcome.message() != last_failure_) {
      logging::Error("tokens of " + store_->Describe() +
                     " not reread, the previous tokens stay in force: " + outcome.ToString());
      last_failure_ = outcome.message();
    }
    return;
  }
  if (!last_failure_.empty() && !reloaded) {
    logging::Info("tokens of " + store_->Describe() + " readable again");
  }
  last_failure_.clear();
  if (reloaded) {
    logging::Info("tokens of " + store_->Describe() + " reread: " +
                  std::to_string(Current()->size()) + " active token(s)");
  }
}

void TokenRegistry::Follow() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    if (wake_.wait_for(lock, poll_every_, [this] { return stop_; })) break;
    lock.unlock();
    Refresh();
    lock.lock();
  }
}

std::shared_ptr<const TokenRegistry::Table> TokenRegistry::Current() {
  std::lock_guard lock(mutex_);
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
