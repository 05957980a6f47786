# Every dependency comes from a Debian bookworm package (see scripts/install-deps.sh).
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(simdjson REQUIRED)
find_package(RapidJSON REQUIRED)
find_package(RocksDB REQUIRED)
find_package(CLI11 REQUIRED)
find_package(GTest REQUIRED)
find_package(restinio REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
# The PostgreSQL backend (src/storage/postgresql): libpqxx 6.4 over libpq.
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx libpq)

add_library(spinlog_rapidjson INTERFACE)
target_include_directories(spinlog_rapidjson SYSTEM INTERFACE ${RAPIDJSON_INCLUDE_DIRS})
