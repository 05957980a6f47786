# Warnings apply to our own targets only (third-party headers come in as SYSTEM).
function(spinlog_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow)
  # GCC 12 at -O3 reports -Wrestrict falsely on `"literal" + std::string`
  # (GCC bug 105329, fixed in 13); it cannot be silenced at the call site.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(SPINLOG_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# spinlog_library(NAME SOURCES ... DEPS ...): one static library per module.
function(spinlog_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  spinlog_target_warnings(${name})
endfunction()

include(GoogleTest)
# spinlog_test(NAME SOURCES ... DEPS ... LABEL unit|e2e|slow [PROPERTIES ...]): a
# GoogleTest binary whose tests ctest runs one by one, with the label given
# and any further test properties.
function(spinlog_test name)
  cmake_parse_arguments(ARG "" "LABEL" "SOURCES;DEPS;PROPERTIES" ${ARGN})
  if(NOT ARG_LABEL)
    set(ARG_LABEL unit)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/tests)
  spinlog_target_warnings(${name})
  gtest_discover_tests(${name} PROPERTIES LABELS ${ARG_LABEL} ${ARG_PROPERTIES}
                       DISCOVERY_TIMEOUT 60)
endfunction()
