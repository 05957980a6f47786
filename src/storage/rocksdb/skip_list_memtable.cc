#include "storage/rocksdb/skip_list_memtable.h"

#include <rocksdb/slice.h>
#include <rocksdb/version.h>

#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <new>
#include <utility>
#include <vector>

#include "storage/rocksdb/huge_page_arena.h"

namespace rocksdb {
class Logger;
}  // namespace rocksdb

// Two things below rely on RocksDB internals that its public headers do not
// show (the arena's allocation function, the layout of LookupKey): both
// were read in RocksDB 7.8, Debian bookworm's, and the unit test exercises
// both. Another version must be checked again before this line is changed.
static_assert(ROCKSDB_MAJOR == 7 && ROCKSDB_MINOR == 8,
              "skip_list_memtable.cc was written against RocksDB 7.8's internals");

// MemTableRep::GetIterator(Arena*) expects an iterator placed in that arena
// (RocksDB then only runs its destructor), and Arena is not in RocksDB's
// public headers. Its allocation function is exported, so it is called by
// its symbol; the static link against the one RocksDB of the Debian
// package checks at build time that it exists with this signature.
extern "C" char* SpinlogRocksDbArenaAllocateAligned(rocksdb::Arena* arena, std::size_t bytes,
                                                    std::size_t huge_page_size,
                                                    rocksdb::Logger* logger)
    __asm__("_ZN7rocksdb5Arena15AllocateAlignedEmmPNS_6LoggerE");

namespace spinlog::storage::rocks {
namespace {

// As RocksDB's skip list: with a quarter of the nodes on each next level,
// 12 levels keep searches logarithmic up to 4^12 (16 million) entries,
// several times what a memtable holds.
constexpr int kMaxHeight = 12;
constexpr std::uint32_t kBranching = 4;

// A node of the list. Its tower (the links of levels 1 up to its height
// minus one, highest first) lies just before it in memory, its level-0 link
// is its only member, and the memtable entry (RocksDB's length-prefixed
// internal key, then the value) follows it: entries are found without a
// pointer, as in RocksDB's own skip list.
class Node {
 public:
  // Until the node is linked, its level-0 link holds its height.
  explicit Node(int height)
      : next0_(reinterpret_cast<Node*>(static_cast<std::uintptr_t>(height))) {}

  int StashedHeight() const {
    return static_cast<int>(
        reinterpret_cast<std::uintptr_t>(next0_.load(std::memory_order_relaxed)));
  }
  Node* Next(int level) const { return Link(level)->load(std::memory_order_acquire); }
  // Publishes `x` to readers: everything written to it before is visible
  // to whoever reads this link.
  void SetNext(int level, Node* x) { Link(level)->store(x, std::memory_order_release); }
  // For links of a node not yet reachable.
  void SetNextUnpublished(int level, Node* x) {
    Link(level)->store(x, std::memory_order_relaxed);
  }
  const char* Entry() const { return reinterpret_cast<const char*>(this + 1); }
  char* Entry() { return reinterpret_cast<char*>(this + 1); }

 private:
  std::atomic<Node*>* Link(int level) const {
    auto* base = reinterpret_cast<char*>(const_cast<std::atomic<Node*>*>(&next0_));
    return reinterpret_cast<std::atomic<Node*>*>(base - level * sizeof(std::atomic<Node*>));
  }

  std::atomic<Node*> next0_;
};

static_assert(sizeof(Node) == sizeof(std::atomic<Node*>));

// Where the previous insert went, level by level: prev[i] <= that key <
// next[i] held when it was written (prev[i] is the inserted node itself on
// its own levels), and prev[i + 1] <= prev[i], next[i] <= next[i + 1]. An insert checks it from the bottom and only searches
// the levels where it no longer brackets the new key.
struct Splice {
  int height = 0;  // levels filled in; below the list's height: search all
  Node* prev[kMaxHeight + 1];
  Node* next[kMaxHeight + 1];
};

// The splice of each key prefix (its first bytes read as a big-endian
// number): open addressing, at most half full. One probe where RocksDB's
// hints take a hash of the prefix, a hash-map node and a comparison of
// slices (6.6 % of the committer's CPU with 10,000 songs).
class SplicesByPrefix {
 public:
  // The splice of `prefix`, or null when it has none yet.
  Splice** Find(std::uint64_t prefix) {
    if (slots_.empty()) Grow();
    for (std::size_t i = Home(prefix);; i = (i + 1) & (slots_.size() - 1)) {
      Slot& slot = slots_[i];
      if (slot.splice == nullptr) {
        if (2 * (used_ + 1) > slots_.size()) {
          Grow();
          return Find(prefix);
        }
        ++used_;
        slot.prefix = prefix;
        return &slot.splice;
      }
      if (slot.prefix == prefix) return &slot.splice;
    }
  }

 private:
  struct Slot {
    std::uint64_t prefix = 0;
    Splice* splice = nullptr;  // null: the slot is free
  };

  std::size_t Home(std::uint64_t prefix) const {
    return static_cast<std::size_t>((prefix * 0x9E3779B97F4A7C15ull) >> shift_);
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    const std::size_t size = old.empty() ? 64 : old.size() * 2;
    slots_.assign(size, Slot{});
    shift_ = 64 - std::countr_zero(size);
    for (const Slot& slot : old) {
      if (slot.splice == nullptr) continue;
      std::size_t i = Home(slot.prefix);
      while (slots_[i].splice != nullptr) i = (i + 1) & (size - 1);
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;  // a power of two
  std::size_t used_ = 0;
  int shift_ = 64;
};

class SkipListRep final : public rocksdb::MemTableRep {
 public:
  // Nodes come from the rep's own arena; `allocator` (the memtable's) is
  // left to RocksDB.
  SkipListRep(const KeyComparator& compare, rocksdb::Allocator* allocator, std::size_t prefix_bytes)
      : MemTableRep(allocator),
        compare_(compare),
        head_(NewNode(kMaxHeight, 0)),
        prefix_bytes_(prefix_bytes) {
    for (int level = 0; level < kMaxHeight; ++level) head_->SetNextUnpublished(level, nullptr);
  }

  rocksdb::KeyHandle Allocate(const std::size_t len, char** buf) override {
    Node* x = NewNode(RandomHeight(), len);
    *buf = x->Entry();
    return x;
  }

  void Insert(rocksdb::KeyHandle handle) override { InsertKey(handle); }
  bool InsertKey(rocksdb::KeyHandle handle) override {
    Node* x = static_cast<Node*>(handle);
    return InsertAt(x, SpliceFor(x));
  }
  void InsertWithHint(rocksdb::KeyHandle handle, void** hint) override {
    InsertKeyWithHint(handle, hint);
  }
  bool InsertKeyWithHint(rocksdb::KeyHandle handle, void** hint) override {
    if (*hint == nullptr) *hint = new (AllocateAligned(sizeof(Splice))) Splice();
    return InsertAt(static_cast<Node*>(handle), static_cast<Splice*>(*hint));
  }

  bool Contains(const char* key) const override {
    const rocksdb::Slice decoded = compare_.decode_key(key);
    const Node* x = FindGreaterOrEqual(decoded);
    return x != nullptr && compare_(x->Entry(), decoded) == 0;
  }

  // RocksDB adds this to its arena's bytes when it decides to flush.
  std::size_t ApproximateMemoryUsage() override { return arena_.UsedBytes(); }

  MemTableRep::Iterator* GetIterator(rocksdb::Arena* arena) override;

  // A node whose entry is the first at or after `key` (an internal key),
  // or null.
  Node* FindGreaterOrEqual(const rocksdb::Slice& key) const {
    Node* x = head_;
    int level = max_height_.load(std::memory_order_relaxed) - 1;
    const Node* known_after = nullptr;  // compared already on a higher level
    while (true) {
      Node* next = x->Next(level);
      const int c = next == nullptr || next == known_after ? 1 : compare_(next->Entry(), key);
      if (c == 0) return next;
      if (c < 0) {
        x = next;
      } else if (level == 0) {
        return next;
      } else {
        known_after = next;
        --level;
      }
    }
  }

  // The last node whose entry is before `key`, or head_.
  Node* FindLessThan(const rocksdb::Slice& key) const {
    Node* x = head_;
    int level = max_height_.load(std::memory_order_relaxed) - 1;
    const Node* known_after = nullptr;
    while (true) {
      Node* next = x->Next(level);
      if (next != nullptr && next != known_after && compare_(next->Entry(), key) < 0) {
        x = next;
      } else if (level == 0) {
        return x;
      } else {
        known_after = next;
        --level;
      }
    }
  }

  // The last node, or head_ when the list is empty.
  Node* FindLast() const {
    Node* x = head_;
    int level = max_height_.load(std::memory_order_relaxed) - 1;
    while (true) {
      Node* next = x->Next(level);
      if (next != nullptr) {
        x = next;
      } else if (level == 0) {
        return x;
      } else {
        --level;
      }
    }
  }

  // Not MemTableRep's default, which in RocksDB 7.8 allocates an iterator
  // per lookup and never frees it.
  void Get(const rocksdb::LookupKey& lookup, void* callback_args,
           bool (*callback)(void* arg, const char* entry)) override {
    // A LookupKey starts with a pointer to the length-prefixed internal
    // key it looks up (db/lookup_key.h, its memtable_key()).
    const char* memtable_key = *reinterpret_cast<const char* const*>(&lookup);
    for (const Node* x = FindGreaterOrEqual(compare_.decode_key(memtable_key));
         x != nullptr && callback(callback_args, x->Entry()); x = x->Next(0)) {
    }
  }

  const KeyComparator& compare() const { return compare_; }
  const Node* head() const { return head_; }

 private:
  // Memory aligned for nodes, freed with the rep (RocksDB destroys the rep
  // only when no reader or iterator of the memtable is left).
  char* AllocateAligned(std::size_t bytes) { return arena_.Allocate(bytes); }

  Node* NewNode(int height, std::size_t entry_bytes) {
    const std::size_t tower = sizeof(std::atomic<Node*>) * static_cast<std::size_t>(height - 1);
    char* memory = AllocateAligned(tower + sizeof(Node) + entry_bytes);
    for (int level = 1; level < height; ++level) {
      new (memory + tower - static_cast<std::size_t>(level) * sizeof(std::atomic<Node*>))
          std::atomic<Node*>(nullptr);
    }
    return new (memory + tower) Node(height);
  }

  // 1 with probability 3/4, 2 with 3/16, ...: a quarter of each level's
  // nodes reach the next. Called by the one writer only.
  int RandomHeight() {
    int height = 1;
    while (height < kMaxHeight) {
      random_ ^= random_ << 13;
      random_ ^= random_ >> 17;
      random_ ^= random_ << 5;
      if (random_ % kBranching != 0) break;
      ++height;
    }
    return height;
  }

  // Walks `level` from `before` (whose entry is before `key`) towards
  // `after` (null: the end) and stops at the last node before `key`.
  void FindSpliceForLevel(const rocksdb::Slice& key, Node* before, Node* after, int level,
                          Node** out_prev, Node** out_next) const {
    Node* next = before->Next(level);
    while (next != after && compare_(next->Entry(), key) < 0) {
      before = next;
      next = before->Next(level);
    }
    *out_prev = before;
    *out_next = next;
  }

  // Where an insert of `x` without a hint starts: after the previous insert
  // of its key prefix, or after the previous insert when prefixes are off.
  Splice* SpliceFor(const Node* x) {
    if (prefix_bytes_ == 0) return &sequential_splice_;
    // The internal key: the user key, then 8 bytes of sequence and type.
    const rocksdb::Slice key = compare_.decode_key(x->Entry());
    if (key.size() < prefix_bytes_ + 8) return &sequential_splice_;
    std::uint64_t prefix = 0;
    for (std::size_t i = 0; i < prefix_bytes_; ++i) {
      prefix = (prefix << 8) | static_cast<unsigned char>(key.data()[i]);
    }
    Splice** splice = splices_.Find(prefix);
    if (*splice == nullptr) *splice = new (AllocateAligned(sizeof(Splice))) Splice();
    return *splice;
  }

  // Links `x` in, starting from `splice`, and leaves `splice` at it.
  // Returns false, linking nothing, when an equal entry is there already.
  bool InsertAt(Node* x, Splice* splice) {
    const int height = x->StashedHeight();
    const rocksdb::Slice key = compare_.decode_key(x->Entry());
    int max_height = max_height_.load(std::memory_order_relaxed);
    if (height > max_height) {
      // Readers that see the new height before the links find head_'s
      // empty upper levels and go down: no harm.
      max_height_.store(height, std::memory_order_relaxed);
      max_height = height;
    }

    // Levels below `recompute` are searched again; from it up the splice
    // still brackets the key.
    int recompute = 0;
    if (splice->height < max_height) {
      splice->prev[max_height] = head_;
      splice->next[max_height] = nullptr;
      splice->height = max_height;
      recompute = max_height;
    } else {
      while (recompute < max_height) {
        Node* prev = splice->prev[recompute];
        Node* next = splice->next[recompute];
        if (prev->Next(recompute) != next) {
          ++recompute;  // something was inserted in between since
        } else if (prev != head_ && compare_(prev->Entry(), key) >= 0) {
          while (splice->prev[recompute] == prev) ++recompute;  // the key is before it
        } else if (next != nullptr && compare_(next->Entry(), key) <= 0) {
          while (splice->next[recompute] == next) ++recompute;  // the key is after it
        } else {
          break;
        }
      }
    }
    for (int level = recompute - 1; level >= 0; --level) {
      FindSpliceForLevel(key, splice->prev[level + 1], splice->next[level + 1], level,
                         &splice->prev[level], &splice->next[level]);
    }
    if (recompute > 0 && splice->next[0] != nullptr &&
        compare_(splice->next[0]->Entry(), key) == 0) {
      return false;
    }

    for (int level = 0; level < height; ++level) {
      if (level >= recompute && splice->prev[level]->Next(level) != splice->next[level]) {
        // Inserts elsewhere on this level since the splice was written.
        FindSpliceForLevel(key, splice->prev[level], nullptr, level, &splice->prev[level],
                           &splice->next[level]);
      }
      x->SetNextUnpublished(level, splice->next[level]);
      splice->prev[level]->SetNext(level, x);
    }
    for (int level = 0; level < height; ++level) splice->prev[level] = x;
    return true;
  }

  const KeyComparator& compare_;
  HugePageArena arena_;  // before head_, which lives in it
  Node* const head_;
  // Readers load it without ordering: a stale height only makes a search
  // start lower, over links that are all valid.
  std::atomic<int> max_height_{1};
  std::uint32_t random_ = 0x2545F491;   // the writer's
  const std::size_t prefix_bytes_;      // 0: one splice for all hint-less inserts
  Splice sequential_splice_;            // for inserts without a hint or prefix
  SplicesByPrefix splices_;             // the writer's
};

class SkipListIterator final : public rocksdb::MemTableRep::Iterator {
 public:
  explicit SkipListIterator(const SkipListRep* list) : list_(list) {}

  bool Valid() const override { return node_ != nullptr; }
  const char* key() const override { return node_->Entry(); }
  void Next() override { node_ = node_->Next(0); }
  void Prev() override {
    node_ = list_->FindLessThan(list_->compare().decode_key(node_->Entry()));
    if (node_ == list_->head()) node_ = nullptr;
  }
  // `internal_key` is the target itself; `memtable_key` (when given) is the
  // same, length-prefixed.
  void Seek(const rocksdb::Slice& internal_key, const char* /*memtable_key*/) override {
    node_ = list_->FindGreaterOrEqual(internal_key);
  }
  void SeekForPrev(const rocksdb::Slice& internal_key, const char* memtable_key) override {
    Seek(internal_key, memtable_key);
    if (node_ == nullptr) SeekToLast();
    while (node_ != nullptr && list_->compare()(node_->Entry(), internal_key) > 0) Prev();
  }
  void SeekToFirst() override { node_ = list_->head()->Next(0); }
  void SeekToLast() override {
    node_ = list_->FindLast();
    if (node_ == list_->head()) node_ = nullptr;
  }

 private:
  const SkipListRep* list_;
  const Node* node_ = nullptr;
};

rocksdb::MemTableRep::Iterator* SkipListRep::GetIterator(rocksdb::Arena* arena) {
  if (arena == nullptr) return new SkipListIterator(this);
  void* memory = SpinlogRocksDbArenaAllocateAligned(arena, sizeof(SkipListIterator), 0, nullptr);
  return new (memory) SkipListIterator(this);
}

class SkipListFactory final : public rocksdb::MemTableRepFactory {
 public:
  explicit SkipListFactory(std::size_t prefix_bytes) : prefix_bytes_(prefix_bytes) {}
  using MemTableRepFactory::CreateMemTableRep;
  rocksdb::MemTableRep* CreateMemTableRep(const rocksdb::MemTableRep::KeyComparator& compare,
                                          rocksdb::Allocator* allocator,
                                          const rocksdb::SliceTransform* /*prefix*/,
                                          rocksdb::Logger* /*logger*/) override {
    return new SkipListRep(compare, allocator, prefix_bytes_);
  }
  const char* Name() const override { return "SpinlogSkipListFactory"; }
  bool IsInsertConcurrentlySupported() const override { return false; }
  bool CanHandleDuplicatedKey() const override { return true; }

 private:
  const std::size_t prefix_bytes_;
};

}  // namespace

std::shared_ptr<rocksdb::MemTableRepFactory> NewSkipListMemTableFactory(
    std::size_t insert_prefix_bytes) {
  return std::make_shared<SkipListFactory>(insert_prefix_bytes);
}

}  // namespace spinlog::storage::rocks
