#pragma once
// Stripe's `created` list filter: created=N (exactly N), or any of
// created[gt|gte|lt|lte]=N (unix seconds). Shared by the event and account lists.
#include <cstdint>
#include <optional>

#include "api/resources/params.hpp"

namespace hookline::api {

struct CreatedRange {
  std::optional<int64_t> gt, gte, lt, lte;

  // Whether `created` is within every bound given.
  bool contains(int64_t created) const;
};

// Reads `created` from `params` (all bounds empty if absent); throws ApiError
// (400, the parameter named) for a non-integer or an unknown key.
CreatedRange read_created_range(Params& params);

}  // namespace hookline::api
