#pragma once
// Stripe list glue: limit (1–100, default 10), starting_after / ending_before
// (at most one; an id that does not exist is a 404, as Stripe answers), and
// the list object {"object":"list","url","has_more","data"}.
#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/resources/params.hpp"
#include "store/store.hpp"

namespace hookline::api {

// Reads limit, starting_after and ending_before.
PageRequest read_page_request(Params& params);

// The cursor of `page` (starting_after or ending_before), empty if none.
const std::string& page_cursor(const PageRequest& page);
// The parameter the cursor came in ("starting_after" or "ending_before").
std::string page_cursor_param(const PageRequest& page);

// Throws ApiError::no_such(`what`, cursor) unless `exists(cursor)`; nothing
// to check without a cursor.
void require_cursor(const PageRequest& page, std::string_view what,
                    const std::function<bool(const std::string&)>& exists);

// Whether `id` is an item of the list that `fetch` pages through, for lists
// whose items have no direct lookup. The store places any existing id in the
// list's order (even one of another list) and yields an empty page for an
// unknown one, so: the neighbour of `id` in the list must have `id` as its own
// neighbour; an id with no neighbour at all must be the list's sole item.
template <typename T, typename Fetch>
bool listed(const std::string& id, Fetch fetch, std::function<std::string(const T&)> id_of) {
  auto nearest = [&](const std::string& cursor, bool older) -> std::optional<std::string> {
    PageRequest probe;
    probe.limit = 1;
    (older ? probe.starting_after : probe.ending_before) = cursor;
    const Page<T> page = fetch(probe);
    if (page.items.empty()) return std::nullopt;
    return id_of(page.items.front());
  };
  if (std::optional<std::string> older = nearest(id, true)) return nearest(*older, false) == id;
  if (std::optional<std::string> newer = nearest(id, false)) return nearest(*newer, true) == id;
  PageRequest first;
  first.limit = 1;
  const Page<T> page = fetch(first);
  return !page.items.empty() && id_of(page.items.front()) == id;
}

// A list object around items already rendered as JSON.
std::string render_list(std::string_view url, const std::vector<std::string>& items, bool has_more);

}  // namespace hookline::api

namespace hookline::api {

// A page of only the items `keep` accepts, for lists the store cannot filter:
// walks the store's pages (through `fetch`) from the cursor until `page.limit`
// kept items are found, so that has_more and the cursors stay exact.
template <typename T, typename Fetch, typename Keep>
Page<T> filtered_page(const PageRequest& page, Fetch fetch, Keep keep) {
  const bool backwards = !page.ending_before.empty();
  const std::size_t want = static_cast<std::size_t>(page.limit);
  PageRequest walk = page;
  walk.limit = 100;
  std::vector<T> kept;  // nearest the cursor first
  while (kept.size() <= want) {
    Page<T> chunk = fetch(walk);
    if (chunk.items.empty()) break;
    // Items come newest first; walking backwards, the nearest are at the end.
    if (backwards) {
      for (auto it = chunk.items.rbegin(); it != chunk.items.rend(); ++it) {
        if (keep(*it)) kept.push_back(*it);
      }
      walk.ending_before = chunk.items.front().id;
    } else {
      for (T& item : chunk.items) {
        if (keep(item)) kept.push_back(std::move(item));
      }
      walk.starting_after = chunk.items.back().id;
    }
    if (!chunk.has_more) break;
  }
  Page<T> result;
  result.has_more = kept.size() > want;
  if (result.has_more) kept.resize(want);
  if (backwards) std::reverse(kept.begin(), kept.end());
  result.items = std::move(kept);
  return result;
}

}  // namespace hookline::api
