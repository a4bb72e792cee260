#pragma once
// Stripe's `account` object field by field, from the table that
// scripts/generate-account-schema.js makes out of stripe-node's declarations
// (account_schema_table.inc): what kind each dotted path holds and whether it
// may be null or absent. The API types form values (always strings) by it and fills
// sub-objects whole.
#include <string_view>
#include <vector>

namespace hookline::catalog {

enum class FieldKind {
  kString,
  kInteger,
  kBoolean,
  kObject,  // fixed fields, each in the table
  kMap,     // free keys (metadata)
  kArray,
  kList,  // a Stripe list object (external_accounts)
  kAny,
};

struct AccountField {
  std::string_view path;  // "business_profile.support_address.city"
  FieldKind kind;
  bool nullable;
  bool optional;  // the type lets the object leave it out
};

// The field at `path`, or nullptr if the Account type has none there.
const AccountField* find_account_field(std::string_view path);

// The fields directly inside object field `path` ("" for the top level), by
// name.
std::vector<const AccountField*> account_field_children(std::string_view path);

}  // namespace hookline::catalog
