# cmake -DINPUT=<file> -DOUTPUT=<file.cc> -DNAMESPACE=<ns> -DSYMBOL=<name> -P EmbedFile.cmake
#
# Writes a C++ source that defines `const char SYMBOL[]` (the bytes of INPUT,
# not NUL-terminated) and `const std::size_t SYMBOL_size` in NAMESPACE, so a
# file kept in the repository is served byte for byte as the binary holds it.
# Bytes rather than a raw string literal: no delimiter can clash with the text.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
# One line per 16 bytes keeps the generated file readable in an editor.
string(REGEX REPLACE "(('[^']*',){16})" "\\1\n" bytes "${bytes}")
if(size EQUAL 0)
  set(bytes "'\\0'")  # an array cannot be empty; SYMBOL_size still says 0
endif()
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${INPUT} by cmake/EmbedFile.cmake: do not edit.
#include <cstddef>

namespace ${NAMESPACE} {

extern const char ${SYMBOL}[];
extern const std::size_t ${SYMBOL}_size;

const char ${SYMBOL}[] = {
${bytes}};
const std::size_t ${SYMBOL}_size = ${size};

}  // namespace ${NAMESPACE}
")
# Rewritten only when the bytes changed, so an unchanged document costs no rebuild.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
