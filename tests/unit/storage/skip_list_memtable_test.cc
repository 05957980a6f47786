// The skip-list memtable (skip_list_memtable.h), through a real RocksDB
// database, the only way RocksDB lets a memtable be built: what a database
// reads from its memtables must match a model of what was written, for keys
// written in order, out of order, overwritten, deleted and under
// snapshots, and readers running while the writer inserts must see
// complete entries in order.
#include "storage/rocksdb/skip_list_memtable.h"

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

namespace spinlog::storage::rocks {
namespace {

constexpr std::size_t kPrefixBytes = 4;

// A 4-byte prefix, then an 8-byte position, both big-endian: keys of one
// prefix sort by position, as plays of a channel sort by start.
std::string Key(std::uint32_t prefix, std::uint64_t position) {
  std::string key;
  for (int shift = 24; shift >= 0; shift -= 8) key.push_back(static_cast<char>(prefix >> shift));
  for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>(position >> shift));
  return key;
}

// Values carry their key, so that a reader can tell a torn entry.
std::string ValueOf(const std::string& key, int version) {
  return key + "/" + std::to_string(version) + std::string(static_cast<std::size_t>(version % 7), 'v');
}

class SkipListMemTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("skip_list_memtable_test." + std::to_string(::getpid()) + "." +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(path_);
    rocksdb::Options options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    options.allow_concurrent_memtable_write = false;
    rocksdb::ColumnFamilyOptions hinted;
    hinted.memtable_factory = NewSkipListMemTableFactory();
    hinted.memtable_insert_with_hint_prefix_extractor.reset(
        rocksdb::NewFixedPrefixTransform(kPrefixBytes));
    // Large enough that nothing is flushed unless a test asks.
    hinted.write_buffer_size = 256 << 20;
    rocksdb::ColumnFamilyOptions plain = hinted;
    plain.memtable_insert_with_hint_prefix_extractor.reset();
    // Per-prefix starting points kept by the skip list itself.
    rocksdb::ColumnFamilyOptions prefixed = plain;
    prefixed.memtable_factory = NewSkipListMemTableFactory(kPrefixBytes);
    static_cast<rocksdb::ColumnFamilyOptions&>(options) = plain;
    std::vector<rocksdb::ColumnFamilyDescriptor> families = {
        {rocksdb::kDefaultColumnFamilyName, plain}, {"hinted", hinted}, {"prefixed", prefixed}};
    rocksdb::DB* db = nullptr;
    const rocksdb::Status opened = rocksdb::DB::Open(options, path_, families, &handles_, &db);
    ASSERT_TRUE(opened.ok()) << opened.ToString();
    db_.reset(db);
  }

  void TearDown() override {
    for (rocksdb::ColumnFamilyHandle* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
    handles_.clear();
    db_.reset();
    std::filesystem::remove_all(path_);
  }

  // Everything `family` holds as of `snapshot` (null: now), by iterating
  // forward.
  std::map<std::string, std::string> ReadForward(rocksdb::ColumnFamilyHandle* family,
                                                 const rocksdb::Snapshot* snapshot = nullptr) {
    rocksdb::ReadOptions read;
    read.snapshot = snapshot;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read, family));
    std::map<std::string, std::string> seen;
    std::string last;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      EXPECT_TRUE(seen.empty() || it->key().ToString() > last) << "out of order";
      last = it->key().ToString();
      seen[last] = it->value().ToString();
    }
    EXPECT_TRUE(it->status().ok()) << it->status().ToString();
    return seen;
  }

  // The same, backwards: must be the same set.
  std::map<std::string, std::string> ReadBackward(rocksdb::ColumnFamilyHandle* family) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family));
    std::map<std::string, std::string> seen;
    std::string last;
    for (it->SeekToLast(); it->Valid(); it->Prev()) {
      EXPECT_TRUE(seen.empty() || it->key().ToString() < last) << "out of order backwards";
      last = it->key().ToString();
      seen[last] = it->value().ToString();
    }
    return seen;
  }

  void ExpectSeeksMatch(rocksdb::ColumnFamilyHandle* family,
                        const std::map<std::string, std::string>& model, std::mt19937& random) {
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family));
    std::uniform_int_distribution<std::uint32_t> prefix(0, 40);
    std::uniform_int_distribution<std::uint64_t> position(0, 5000);
    for (int n = 0; n < 2000; ++n) {
      const std::string target = Key(prefix(random), position(random));
      it->Seek(target);
      auto expected = model.lower_bound(target);
      ASSERT_EQ(it->Valid(), expected != model.end()) << "Seek";
      if (it->Valid()) {
        EXPECT_EQ(it->key().ToString(), expected->first);
      }
      it->SeekForPrev(target);
      auto before = model.upper_bound(target);
      ASSERT_EQ(it->Valid(), before != model.begin()) << "SeekForPrev";
      if (it->Valid()) {
        EXPECT_EQ(it->key().ToString(), std::prev(before)->first);
      }

      std::string value;
      const rocksdb::Status got = db_->Get(rocksdb::ReadOptions(), family, target, &value);
      const auto stored = model.find(target);
      if (stored == model.end()) {
        EXPECT_TRUE(got.IsNotFound()) << got.ToString();
      } else {
        EXPECT_TRUE(got.ok()) << got.ToString();
        EXPECT_EQ(value, stored->second);
      }
    }
  }

  std::filesystem::path path_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

// Batches in key order (as InsertPlays writes them), batches in random
// order, overwrites of keys already there, deletions, and a snapshot taken
// half-way: every read agrees with the model, with RocksDB's insert hints,
// without, and with the skip list's own starting point per prefix.
TEST_F(SkipListMemTableTest, ReadsMatchWhatWasWritten) {
  std::mt19937 random(7);
  for (rocksdb::ColumnFamilyHandle* family : handles_) {
    std::map<std::string, std::string> model;
    std::map<std::string, std::string> at_snapshot;
    const rocksdb::Snapshot* snapshot = nullptr;
    std::uniform_int_distribution<std::uint32_t> prefix(1, 39);
    std::uniform_int_distribution<std::uint64_t> position(0, 5000);
    for (int round = 0; round < 200; ++round) {
      std::vector<std::string> keys;
      for (int n = 0; n < 100; ++n) keys.push_back(Key(prefix(random), position(random)));
      if (round % 2 == 0) std::sort(keys.begin(), keys.end());
      rocksdb::WriteBatch batch;
      for (const std::string& key : keys) {
        if (random() % 10 == 0) {
          ASSERT_TRUE(batch.Delete(family, key).ok());
          model.erase(key);
        } else {
          const std::string value = ValueOf(key, round);
          ASSERT_TRUE(batch.Put(family, key, value).ok());
          model[key] = value;
        }
      }
      ASSERT_TRUE(db_->Write(rocksdb::WriteOptions(), &batch).ok());
      if (round == 100) {
        snapshot = db_->GetSnapshot();
        at_snapshot = model;
      }
    }
    EXPECT_EQ(ReadForward(family), model);
    EXPECT_EQ(ReadBackward(family), model);
    EXPECT_EQ(ReadForward(family, snapshot), at_snapshot);
    ExpectSeeksMatch(family, model, random);
    db_->ReleaseSnapshot(snapshot);

    // Flushing reads the memtable in order into a table file.
    ASSERT_TRUE(db_->Flush(rocksdb::FlushOptions(), family).ok());
    EXPECT_EQ(ReadForward(family), model);
  }
}

// Thousands of prefixes, each written in order a few keys at a time in
// batches that visit them all (as a batch of plays spans every channel):
// the skip list's table of starting points grows many times over, and every
// key lands where it belongs.
TEST_F(SkipListMemTableTest, ManyPrefixesKeepTheirOwnStartingPoints) {
  rocksdb::ColumnFamilyHandle* family = handles_[2];
  std::map<std::string, std::string> model;
  std::mt19937 random(3);
  constexpr std::uint32_t kPrefixes = 5000;
  for (std::uint64_t round = 0; round < 8; ++round) {
    rocksdb::WriteBatch batch;
    for (std::uint32_t p = 0; p < kPrefixes; ++p) {
      // Mostly after the prefix's earlier keys, sometimes between them.
      const std::uint64_t position = random() % 5 == 0 ? random() % 100 : 1000 + round * 10;
      const std::string key = Key(p * 2654435761u, position);
      const std::string value = ValueOf(key, static_cast<int>(round));
      ASSERT_TRUE(batch.Put(family, key, value).ok());
      model[key] = value;
    }
    ASSERT_TRUE(db_->Write(rocksdb::WriteOptions(), &batch).ok());
  }
  EXPECT_EQ(ReadForward(family), model);
  EXPECT_EQ(ReadBackward(family), model);
  ExpectSeeksMatch(family, model, random);
}

// A key written twice in one batch: the later one wins, as RocksDB promises.
TEST_F(SkipListMemTableTest, TheLaterOfTwoWritesInABatchWins) {
  rocksdb::WriteBatch batch;
  ASSERT_TRUE(batch.Put(handles_[1], Key(1, 1), "first").ok());
  ASSERT_TRUE(batch.Put(handles_[1], Key(1, 1), "second").ok());
  ASSERT_TRUE(db_->Write(rocksdb::WriteOptions(), &batch).ok());
  std::string value;
  ASSERT_TRUE(db_->Get(rocksdb::ReadOptions(), handles_[1], Key(1, 1), &value).ok());
  EXPECT_EQ(value, "second");
}

// Readers iterate and look up while one writer appends to many prefixes:
// every entry a reader sees is whole (its value names its key), keys come
// in order, and what a reader saw once it sees again. Bounded by count and
// time.
TEST_F(SkipListMemTableTest, ReadersSeeWholeEntriesInOrderWhileTheWriterInserts) {
  rocksdb::ColumnFamilyHandle* family = handles_[1];
  constexpr int kPrefixes = 50;
  constexpr int kBatches = 400;
  std::atomic<bool> done{false};
  std::atomic<std::uint64_t> written{0};  // batches written
  std::atomic<int> failures{0};
  std::thread writer([&] {
    for (int b = 0; b < kBatches; ++b) {
      rocksdb::WriteBatch batch;
      for (int p = 0; p < kPrefixes; ++p) {
        for (int k = 0; k < 10; ++k) {
          const std::string key = Key(static_cast<std::uint32_t>(p), static_cast<std::uint64_t>(b * 10 + k));
          if (!batch.Put(family, key, ValueOf(key, b)).ok()) ++failures;
        }
      }
      if (!db_->Write(rocksdb::WriteOptions(), &batch).ok()) ++failures;
      written.store(static_cast<std::uint64_t>(b + 1));
    }
    done.store(true);
  });
  auto read = [&] {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (int pass = 0; pass < 1000 && std::chrono::steady_clock::now() < deadline; ++pass) {
      const bool last = done.load();
      const std::uint64_t batches_before = written.load();
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), family));
      std::string previous;
      std::uint64_t count = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        const std::string key = it->key().ToString();
        const std::string value = it->value().ToString();
        if (value.compare(0, key.size(), key) != 0 || key <= previous) ++failures;
        previous = key;
        ++count;
      }
      // Whole batches only, and at least those written before the iterator.
      if (count % (kPrefixes * 10) != 0 || count < batches_before * kPrefixes * 10) ++failures;
      const std::string probe = Key(kPrefixes / 2, batches_before > 0 ? batches_before * 10 - 1 : 0);
      std::string value;
      const rocksdb::Status got = db_->Get(rocksdb::ReadOptions(), family, probe, &value);
      if (batches_before > 0 && (!got.ok() || value.compare(0, probe.size(), probe) != 0)) ++failures;
      if (last) break;
    }
  };
  std::thread reader1(read);
  std::thread reader2(read);
  writer.join();
  reader1.join();
  reader2.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(ReadForward(family).size(), static_cast<std::size_t>(kBatches * kPrefixes * 10));
}

// The memtable takes one writer at a time: a database that asks for
// concurrent memtable writes is refused at open, not corrupted later.
TEST(SkipListMemTable, RefusesConcurrentMemtableWrites) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("skip_list_memtable_test.concurrent." + std::to_string(::getpid()));
  std::filesystem::remove_all(path);
  rocksdb::Options options;
  options.create_if_missing = true;
  options.allow_concurrent_memtable_write = true;
  options.memtable_factory = NewSkipListMemTableFactory();
  rocksdb::DB* db = nullptr;
  const rocksdb::Status opened = rocksdb::DB::Open(options, path.string(), &db);
  EXPECT_FALSE(opened.ok());
  delete db;
  std::filesystem::remove_all(path);
}

// The nodes live in the skip list's own arena, outside RocksDB's: the
// memtable must still count them, switch when they fill its write buffer,
// and lose nothing on the way.
TEST(SkipListMemTable, SwitchesWhenItsNodesFillTheWriteBuffer) {
  const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                     ("skip_list_memtable_test.full." + std::to_string(::getpid()));
  std::filesystem::remove_all(path);
  constexpr std::size_t kWriteBuffer = 4 << 20;
  rocksdb::Options options;
  options.create_if_missing = true;
  options.allow_concurrent_memtable_write = false;
  options.memtable_factory = NewSkipListMemTableFactory(kPrefixBytes);
  options.write_buffer_size = kWriteBuffer;
  rocksdb::DB* raw = nullptr;
  const rocksdb::Status opened = rocksdb::DB::Open(options, path.string(), &raw);
  ASSERT_TRUE(opened.ok()) << opened.ToString();
  std::unique_ptr<rocksdb::DB> db(raw);

  // About 30 MiB of entries with their nodes: seven write buffers' worth.
  constexpr int kBatches = 200;
  constexpr int kPerBatch = 1000;
  const std::string filler(100, 'x');
  std::uint64_t largest_memtable = 0;
  std::uint64_t most_entries = 0;
  for (int batch = 0; batch < kBatches; ++batch) {
    rocksdb::WriteBatch writes;
    for (int i = 0; i < kPerBatch; ++i) {
      const std::string key = Key(static_cast<std::uint32_t>(i % 50),
                                  static_cast<std::uint64_t>(batch * kPerBatch + i));
      ASSERT_TRUE(writes.Put(key, key + filler).ok());
    }
    ASSERT_TRUE(db->Write(rocksdb::WriteOptions(), &writes).ok());
    std::uint64_t active = 0;
    ASSERT_TRUE(db->GetIntProperty(rocksdb::DB::Properties::kCurSizeActiveMemTable, &active));
    largest_memtable = std::max(largest_memtable, active);
    std::uint64_t entries = 0;
    ASSERT_TRUE(db->GetIntProperty(rocksdb::DB::Properties::kNumEntriesActiveMemTable, &entries));
    most_entries = std::max(most_entries, entries);
  }
  // A memtable may overshoot by what one batch adds after the check.
  EXPECT_LE(largest_memtable, kWriteBuffer + (1 << 20));
  EXPECT_GT(largest_memtable, kWriteBuffer / 2);
  // Counted by entries, independently of the rep's own report: a memtable
  // held three quarters of a buffer's worth before it switched (an entry
  // and its node take under 200 bytes).
  EXPECT_GE(most_entries, kWriteBuffer * 3 / 4 / 200);
  std::uint64_t entries_in_active = 0;
  ASSERT_TRUE(
      db->GetIntProperty(rocksdb::DB::Properties::kNumEntriesActiveMemTable, &entries_in_active));
  EXPECT_LT(entries_in_active, static_cast<std::uint64_t>(kBatches * kPerBatch / 3));

  ASSERT_TRUE(db->Flush(rocksdb::FlushOptions()).ok());
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  int count = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ASSERT_EQ(it->value().ToString(), it->key().ToString() + filler);
    ++count;
  }
  EXPECT_TRUE(it->status().ok()) << it->status().ToString();
  EXPECT_EQ(count, kBatches * kPerBatch);
  it.reset();
  db.reset();
  std::filesystem::remove_all(path);
}

}  // namespace
}  // namespace spinlog::storage::rocks
