# The fuzz targets: spinlog_fuzz_target(<name>_fuzz <source> <module library>),
# built as libFuzzer binaries or as replays (see CMakeLists.txt here).
spinlog_fuzz_target(datetime_fuzz datetime_fuzz.cc spinlog_text)
spinlog_fuzz_target(form_fuzz form_fuzz.cc spinlog_text)
spinlog_fuzz_target(utf8_fuzz utf8_fuzz.cc spinlog_text)
spinlog_fuzz_target(json_fuzz json_fuzz.cc spinlog_json)
spinlog_fuzz_target(classic_fields_fuzz classic_fields_fuzz.cc spinlog_api)
spinlog_fuzz_target(csv_fuzz csv_fuzz.cc spinlog_ingest)
spinlog_fuzz_target(cursor_fuzz cursor_fuzz.cc spinlog_api)
spinlog_fuzz_target(ndjson_fuzz ndjson_fuzz.cc spinlog_api)
spinlog_fuzz_target(prefer_fuzz prefer_fuzz.cc spinlog_http)
# RESTinio's parser driven as its connections drive it, next to the guard.
spinlog_fuzz_target(http_request_fuzz http_request_fuzz.cc spinlog_http)
spinlog_fuzz_extra_libs(http_request_fuzz restinio::restinio)
