#include "storage/rocksdb/rocksdb_logger.h"

#include <cstdarg>
#include <cstdio>
#include <string>

#include "common/logging.h"

namespace spinlog::storage::rocks {
namespace {

class SpinlogLogger final : public rocksdb::Logger {
 public:
  SpinlogLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}

  // Header lines (the options dump at open) are informational.
  void LogHeader(const char* /*format*/, va_list /*ap*/) override {}

  void Logv(const char* format, va_list ap) override {
    Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap);
  }

  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    char line[1024];
    const int n = std::vsnprintf(line, sizeof line, format, ap);
    if (n < 0) return;
    const std::string message = std::string("rocksdb: ") + line;
    if (level >= rocksdb::InfoLogLevel::ERROR_LEVEL) {
      logging::Error(message);
    } else {
      logging::Warn(message);
    }
  }
};

}  // namespace

std::shared_ptr<rocksdb::Logger> NewSpinlogRocksDbLogger() {
  return std::make_shared<SpinlogLogger>();
}

}  // namespace spinlog::storage::rocks
