#pragma once
#include <string>

int handle_webhook(const std::string& body, const std::string& signature_header,
                   const std::string& endpoint_secret);
