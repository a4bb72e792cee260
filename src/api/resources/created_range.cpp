#include "api/resources/created_range.hpp"

namespace hookline::api {

bool CreatedRange::contains(int64_t created) const {
  return (!gt || created > *gt) && (!gte || created >= *gte) && (!lt || created < *lt) &&
         (!lte || created <= *lte);
}

CreatedRange read_created_range(Params& params) {
  CreatedRange range;
  const boost::json::value* created = params.raw("created");
  if (created == nullptr) return range;
  if (!created->is_object()) {
    range.gte = range.lte = parse_integer(*created, "created");
    return range;
  }
  Params bounds(created->as_object(), "created");
  range.gt = bounds.integer("gt");
  range.gte = bounds.integer("gte");
  range.lt = bounds.integer("lt");
  range.lte = bounds.integer("lte");
  bounds.reject_unknown();
  return range;
}

}  // namespace hookline::api
