# spinlog: `make run` and `make test` set everything up on a fresh Debian
# bookworm machine. The build itself is CMake; this file only wraps it.
.PHONY: deps build debug asan run test test-release test-asan unit bench bench-smoke fuzz format format-check clean

BUILD_DIR ?= build
ASAN_DIR ?= build-asan
DEBUG_DIR ?= build-debug
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

run: build
	$(BUILD_DIR)/src/main/spinlog serve --listen $(LISTEN) --data $(DATA)

# Every test, in the Release build and again under ASan+UBSan.
test: test-release test-asan

test-release: build
	cd $(BUILD_DIR) && ctest $(CTEST_FLAGS) -j $(JOBS)

test-asan: asan
	cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest $(CTEST_FLAGS) -j $(JOBS)

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
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(DEBUG_DIR)
