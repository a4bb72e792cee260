#!/usr/bin/env bash
# The receiver SDK from another project (tests/sdk/consumer): installed with
# `cmake --install BUILD --prefix P` then found with find_package(hookline
# CONFIG) and with pkg-config; and with add_subdirectory of the source tree.
# Usage: consumer_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1
build_dir=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/hookline-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_run() {
  local out
  out=$("$1") || fail "$2: the consumer failed"
  [[ $out == "evt_consumer payment_intent.succeeded" ]] || fail "$2: printed '$out'"
  echo "ok: $2"
}

# 1. Installed: only the SDK component, into a fresh prefix.
cmake --install "$build_dir" --prefix "$work/prefix" --component sdk > "$work/install.log"
[[ -f $work/prefix/include/hookline/webhook.hpp ]] || fail "webhook.hpp not installed"
[[ -f $work/prefix/lib/pkgconfig/hookline.pc ]] || fail "hookline.pc not installed"
[[ -f $work/prefix/lib/cmake/hookline/hooklineConfig.cmake ]] || fail "no CMake package"
grep -q "^prefix=$work/prefix\$" "$work/prefix/lib/pkgconfig/hookline.pc" ||
  fail "hookline.pc's prefix is not the install prefix: $(head -n 1 "$work/prefix/lib/pkgconfig/hookline.pc")"

cmake -S "$source_dir/tests/sdk/consumer" -B "$work/found" -DCMAKE_PREFIX_PATH="$work/prefix" \
  > "$work/found.log" || { cat "$work/found.log"; fail "find_package(hookline CONFIG) failed"; }
cmake --build "$work/found" -j2 > "$work/found-build.log" ||
  { cat "$work/found-build.log"; fail "building against the installed SDK failed"; }
expect_run "$work/found/consumer" "find_package(hookline CONFIG)"

# 2. pkg-config: the one command the README shows.
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" \
  c++ -o "$work/pkg-consumer" "$source_dir/tests/sdk/consumer/main.cpp" \
  $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags --libs --static hookline) ||
  fail "building with pkg-config hookline failed"
expect_run "$work/pkg-consumer" "pkg-config hookline"

# 3. add_subdirectory of the source tree: the SDK alone, no server, tools or tests.
cmake -S "$source_dir/tests/sdk/consumer" -B "$work/subdir" -DHOOKLINE_SOURCE_DIR="$source_dir" \
  > "$work/subdir.log" 2>&1 || { cat "$work/subdir.log"; fail "add_subdirectory(hookline) failed"; }
cmake --build "$work/subdir" -j2 > "$work/subdir-build.log" ||
  { cat "$work/subdir-build.log"; fail "building with add_subdirectory failed"; }
expect_run "$work/subdir/consumer" "add_subdirectory(hookline)"
if [[ -e $work/subdir/hookline/hookline ]]; then fail "add_subdirectory built the server too"; fi
