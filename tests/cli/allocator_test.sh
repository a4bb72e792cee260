#!/usr/bin/env bash
# Issue 15 (h17a): `hookline serve` runs on the allocator it was built with
# (-DHOOKLINE_MALLOC, cmake/allocator.cmake): mimalloc is mapped in the
# server's process when chosen, and not otherwise.
HOOKLINE=$1
EXPECTED=$2  # system or mimalloc
source "$(dirname "$0")/support/lib.sh"

start_server serve
if [[ $EXPECTED == mimalloc ]]; then
  grep -q 'libmimalloc\.so' "/proc/$SERVER_PID/maps" || fail "libmimalloc is not in the server's process"
else
  grep -q 'libmimalloc\.so' "/proc/$SERVER_PID/maps" && fail "libmimalloc is in the server's process (built for $EXPECTED)"
fi
trigger_event payment_intent.succeeded  # and the server works on it
echo "PASS"
