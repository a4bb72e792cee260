#pragma once
// The dashboard's files, bundled by dashboard/build.mjs at build time and
// compiled into the binary (embedded_assets.cpp, generated), so one binary
// serves everything offline.
#include <string_view>
#include <vector>

namespace hookline::dashboard {

struct Asset {
  std::string_view path;          // "/" (index.html) or "/assets/app-<hash>.js", …
  std::string_view content_type;  // "text/html; charset=utf-8", …
  std::string_view body;
  std::string_view etag;  // "\"<hash of body>\""
  // Named by its content hash: cacheable forever. index.html is not (it names them).
  bool immutable = false;
};

// Every embedded file, index.html first. Defined in the generated file.
const std::vector<Asset>& embedded_assets();

// The asset served at `path` ("/" and "/index.html" are the page), or null.
const Asset* find_asset(std::string_view path);

}  // namespace hookline::dashboard
