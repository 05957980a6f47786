// Services: the domain services that API handlers call. Owned by main; the
// API layer only borrows them.
#pragma once

#include "charts/chart_service.h"
#include "domain/catalogue_service.h"
#include "domain/channel_group_service.h"
#include "domain/play_service.h"

namespace spinlog::api {

struct Services {
  domain::CatalogueService* catalogue = nullptr;
  domain::PlayService* plays = nullptr;
  charts::ChartService* charts = nullptr;
  domain::ChannelGroupService* groups = nullptr;
};

}  // namespace spinlog::api
