# SPINLOG_JSONSCHEMA_PYTHON: a Python 3 that can import jsonschema, for the
# tests that check docs/openapi.json (tests/openapi/check_openapi.py).
# Debian's /usr/bin/python3 with python3-jsonschema (scripts/install-deps.sh)
# is preferred over whatever python3 comes first on PATH (a virtualenv, pyenv).
if(NOT SPINLOG_JSONSCHEMA_PYTHON)
  find_program(path_python3 python3)
  foreach(candidate /usr/bin/python3 ${path_python3})
    if(EXISTS "${candidate}")
      execute_process(COMMAND "${candidate}" -c "import jsonschema"
                      RESULT_VARIABLE import_failed OUTPUT_QUIET ERROR_QUIET)
      if(NOT import_failed)
        set(SPINLOG_JSONSCHEMA_PYTHON "${candidate}" CACHE FILEPATH
            "Python 3 with jsonschema, for the OpenAPI document tests")
        break()
      endif()
    endif()
  endforeach()
endif()
if(NOT SPINLOG_JSONSCHEMA_PYTHON)
  # The tests still run and fail, saying what is missing.
  message(WARNING "no python3 can import jsonschema: install python3-jsonschema")
  set(SPINLOG_JSONSCHEMA_PYTHON python3)
endif()
