#include "dashboard/dashboard_assets.hpp"

namespace hookline::dashboard {

const Asset* find_asset(std::string_view path) {
  if (path == "/index.html") path = "/";
  for (const Asset& asset : embedded_assets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

}  // namespace hookline::dashboard
