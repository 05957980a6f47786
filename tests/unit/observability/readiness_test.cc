// Readiness over a real store. The store failing a write is tested end to
// end (tests/e2e/ops_endpoints_test.cc), where the kernel refuses it.
#include "observability/readiness.h"

#include <gtest/gtest.h>

#include "storage/rocksdb/rocksdb_store.h"
#include "support/temp_dir.h"

namespace spinlog::observability {
namespace {

// With durable writes (the default), as a server has them: the probe syncs.
std::unique_ptr<storage::Store> OpenStore(const std::string& path) {
  storage::RocksDbStoreOptions options;
  options.path = path;
  return std::move(storage::OpenRocksDbStore(options)).value();
}

TEST(Readiness, ReadyWhileTheStoreWrites) {
  spinlog::testing::TempDir dir;
  auto store = OpenStore(dir.path());
  Readiness readiness(store.get());
  EXPECT_TRUE(readiness.Check().ok());
  // The second check within kReuseSuccess reuses the first.
  EXPECT_TRUE(readiness.Check().ok());
}

TEST(Readiness, NotReadyOnceDraining) {
  spinlog::testing::TempDir dir;
  auto store = OpenStore(dir.path());
  Readiness readiness(store.get());
  ASSERT_TRUE(readiness.Check().ok());
  readiness.SetDraining();
  const Status status = readiness.Check();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "the server is shutting down");
}

}  // namespace
}  // namespace spinlog::observability
