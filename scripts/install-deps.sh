#!/usr/bin/env bash
# Installs every Debian and npm package hookline needs. Idempotent; quick when all
# is present. Run as root (or with sudo available).
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-system1.81-dev
  libcurl4-openssl-dev libssl-dev libsqlite3-dev sqlite3 libpq-dev postgresql
  libcli11-dev libspdlog-dev libfmt-dev
  libmimalloc-dev  # for cmake -DHOOKLINE_MALLOC=mimalloc (cmake/allocator.cmake)
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev llvm-14
  nodejs npm wrk tmux curl procps
  chromium
)

missing=()
for p in "${DEB_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# nodejs/npm may come from outside Debian's packages on some machines: accept any.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages for the SDK conformance tests (the official `stripe` package).
if [[ ! -f tests/node/node_modules/.package-lock.json ]] ||
   [[ tests/node/package-lock.json -nt tests/node/node_modules/.package-lock.json ]]; then
  (cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
fi

# npm packages of the dashboard (esbuild, Preact, uPlot) and of its browser
# tests (playwright-core driving Debian's chromium, axe-core).
for dir in dashboard tests/browser; do
  if [[ ! -f $dir/node_modules/.package-lock.json ]] ||
     [[ $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
