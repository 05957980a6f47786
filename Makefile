# spinlog: `make run` and `make test` set everything up on a fresh Debian
# bookworm machine. The build itself is CMake; this file only wraps it.
.PHONY: deps build debug asan tsan run test test-release test-asan test-tsan test-fuzz unit bench bench-smoke fuzz format format-check clean

BUILD_DIR ?= build
ASAN_DIR ?= build-asan
DEBUG_DIR ?= build-debug
TSAN_DIR ?= build-tsan
FUZZ_DIR ?= build-fuzz
# Seconds each libFuzzer target runs in `make test` (scripts/fuzz.sh).
FUZZ_SECONDS ?= 20
# The unit test binaries whose tests run threads (HTTP server and its
# lifecycle, play committer and bounded queue, play service, metrics), built
# and run under ThreadSanitizer. Not storage_test: its concurrent-write tests
# race only inside Debian's RocksDB, which is not built with TSan, so TSan
# cannot see RocksDB's own synchronisation and reports its reuse of write
# buffers between threads (false positives, no spinlog code involved).
TSAN_TESTS ?= http_test ingest_test observability_test domain_test common_test
JOBS ?= $(shell nproc)
LISTEN ?= 127.0.0.1:8080
DATA ?= ./data
CMAKE_FLAGS ?=
CTEST_FLAGS ?= --output-on-failure --timeout 300

deps:
	@scripts/install-deps.sh

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	cmake --build $(BUILD_DIR) -j $(JOBS)

debug: deps
	cmake -S . -B $(DEBUG_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug $(CMAKE_FLAGS)
	cmake --build $(DEBUG_DIR) -j $(JOBS)

asan: deps
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPINLOG_SANITIZE=ON -DSPINLOG_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(ASAN_DIR) -j $(JOBS)

tsan: deps
	cmake -S . -B $(TSAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPINLOG_TSAN=ON -DSPINLOG_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(TSAN_DIR) -j $(JOBS) --target $(TSAN_TESTS)

run: build
	$(BUILD_DIR)/src/main/spinlog serve --listen $(LISTEN) --data $(DATA)

# Every test, in the Release build and again under ASan+UBSan; the threaded
# tests under ThreadSanitizer; every fuzz target for FUZZ_SECONDS.
# The sanitizer-only and fuzzing passes first, so that the run ends with
# ctest's summary of the ASan+UBSan suite.
test: test-tsan test-fuzz test-release test-asan

test-release: build
	cd $(BUILD_DIR) && ctest $(CTEST_FLAGS) -j $(JOBS)

test-asan: asan
	cd $(ASAN_DIR) && LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest $(CTEST_FLAGS) -j $(JOBS)

# Runs each TSAN_TESTS binary whole (all its tests); any race report fails.
test-tsan: tsan
	@for t in $(TSAN_TESTS); do \
		bin=$$(find $(TSAN_DIR)/tests/unit -name $$t -type f -perm -u+x | head -1); \
		echo "== tsan: $$t"; \
		TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp" $$bin --gtest_brief=1 || exit 1; \
	done

test-fuzz: deps
	SPINLOG_FUZZ_BUILD_DIR=$(FUZZ_DIR) scripts/fuzz.sh $(FUZZ_SECONDS)

unit: build
	cd $(BUILD_DIR) && ctest $(CTEST_FLAGS) -j $(JOBS) -L unit

bench: build
	bench/run_classic.sh --server-args "--threads 1"

bench-smoke: build
	bench/run_classic.sh --quick

fuzz: deps
	scripts/fuzz.sh

format:
	clang-format -i $$(git ls-files '*.h' '*.cc')

format-check:
	clang-format --dry-run --Werror $$(git ls-files '*.h' '*.cc')

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(DEBUG_DIR) $(TSAN_DIR) $(FUZZ_DIR)
