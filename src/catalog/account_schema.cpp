#include "catalog/account_schema.hpp"

#include <algorithm>
#include <iterator>

namespace hookline::catalog {

namespace {

constexpr AccountField kFields[] = {
#include "catalog/account_schema_table.inc"
};

bool is_child(std::string_view parent, std::string_view path) {
  if (parent.empty()) return path.find('.') == std::string_view::npos;
  return path.size() > parent.size() + 1 && path.substr(0, parent.size()) == parent &&
         path[parent.size()] == '.' && path.find('.', parent.size() + 1) == std::string_view::npos;
}

}  // namespace

const AccountField* find_account_field(std::string_view path) {
  const auto* found = std::lower_bound(
      std::begin(kFields), std::end(kFields), path,
      [](const AccountField& field, std::string_view wanted) { return field.path < wanted; });
  return found != std::end(kFields) && found->path == path ? found : nullptr;
}

std::vector<const AccountField*> account_field_children(std::string_view path) {
  std::vector<const AccountField*> children;
  // Children sort right after their parent's "path." prefix.
  const auto* from = path.empty()
                         ? std::begin(kFields)
                         : std::lower_bound(std::begin(kFields), std::end(kFields), path,
                                            [](const AccountField& field, std::string_view wanted) {
                                              return field.path < wanted;
                                            });
  for (const auto* field = from; field != std::end(kFields); ++field) {
    if (!path.empty() && field->path.substr(0, path.size()) != path) break;
    if (is_child(path, field->path)) children.push_back(field);
  }
  return children;
}

}  // namespace hookline::catalog
