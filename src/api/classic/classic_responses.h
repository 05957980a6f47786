// The bodies of classic API answers: {"code":0,"result":...} on success,
// {"code":<status>,"errors":[...],"result":null} on failure. Result objects
// carry exactly the fields of plays-api.md: clients compare them whole.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "charts/chart_service.h"
#include "common/status.h"
#include "domain/play_service.h"
#include "http/request.h"

namespace spinlog::api::classic {

http::Response ErrorResponse(int status, std::span<const std::string> messages);
// The answer for a failed Status (see api/error_mapping.h).
http::Response StatusResponse(const Status& status);

http::Response NameResponse(std::string_view name);
http::Response SongResponse(std::string_view performer, std::string_view title);
http::Response PlayResponse(const domain::PlayByNames& play);
http::Response ChannelPlaysResponse(std::span<const domain::PlayByNames> plays);
http::Response SongPlaysResponse(std::span<const domain::PlayByNames> plays);
http::Response TopResponse(std::span<const charts::ChartEntry> chart);

}  // namespace spinlog::api::classic
