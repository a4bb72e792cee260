#include "core/models.hpp"

namespace hookline {

std::string_view to_string(AccountType type) {
  switch (type) {
    case AccountType::kPlatform: return "platform";
    case AccountType::kStandard: return "standard";
    case AccountType::kExpress: return "express";
    case AccountType::kCustom: return "custom";
  }
  return "standard";
}

std::optional<AccountType> parse_account_type(std::string_view text) {
  if (text == "standard") return AccountType::kStandard;
  if (text == "express") return AccountType::kExpress;
  if (text == "custom") return AccountType::kCustom;
  if (text == "platform") return AccountType::kPlatform;
  return std::nullopt;
}

std::string_view to_string(DeliveryState state) {
  switch (state) {
    case DeliveryState::kPending: return "pending";
    case DeliveryState::kSucceeded: return "succeeded";
    case DeliveryState::kFailed: return "failed";
  }
  return "pending";
}

}  // namespace hookline
