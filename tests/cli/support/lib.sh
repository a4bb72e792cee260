# Shared helpers of the CLI's end-to-end tests (bash). Source it; set HOOKLINE
# (the binary) first. Every process started here is stopped on exit by pid.
set -euo pipefail
SUPPORT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/hookline-cli-test.XXXXXX")"
PIDS=()

cleanup() {
  local pid
  for pid in "${PIDS[@]+"${PIDS[@]}"}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]+"${PIDS[@]}"}"; do wait "$pid" 2>/dev/null || true; done
  if [[ "${KEEP_WORK:-}" == "" ]]; then rm -rf "$WORK"; else echo "work dir kept: $WORK"; fi
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  for f in "$WORK"/*.out "$WORK"/*.err "$WORK"/*.log; do
    [[ -f "$f" ]] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }
  done
  exit 1
}

# wait_for CONDITION-COMMAND [TIMEOUT-SECONDS]: polls until the command succeeds.
wait_for() {
  local deadline=$((SECONDS + ${2:-30}))
  until eval "$1"; do
    ((SECONDS < deadline)) || fail "timed out waiting for: $1"
    sleep 0.05
  done
}

# start_receiver NAME [receiver.js options…]: starts the verifying receiver;
# sets RECEIVER_PORT and the log file "$WORK/NAME.log".
start_receiver() {
  local name=$1; shift
  : > "$WORK/$name.log"
  node "$SUPPORT_DIR/receiver.js" --log "$WORK/$name.log" --port 0 "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" &
  PIDS+=($!)
  wait_for "grep -q 'listening on' '$WORK/$name.out'"
  RECEIVER_PORT=$(sed -n 's/listening on //p' "$WORK/$name.out")
}

# start_server NAME [extra serve flags]: starts `hookline serve --port 0` with a
# data dir in $WORK; sets API_BASE, SERVER_PID and exports HOOKLINE_API_BASE /
# HOOKLINE_API_KEY (the key from HOOKLINE_SECRET_KEY, fixed per test).
start_server() {
  local name=$1; shift
  export HOOKLINE_SECRET_KEY="${HOOKLINE_SECRET_KEY:-sk_test_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')}"
  mkdir -p "$WORK/data"
  "$HOOKLINE" serve --port "${SERVER_PORT:-0}" --data-dir "$WORK/data" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" &
  SERVER_PID=$!
  PIDS+=($SERVER_PID)
  wait_for "grep -q 'hookline listening on http://' '$WORK/$name.out'"
  # A server on a wildcard address (--host 0.0.0.0) is reached on loopback.
  API_BASE=$(grep -o 'http://[0-9.:]*:[0-9]*' "$WORK/$name.out" | head -n 1 | sed 's#//0\.0\.0\.0:#//127.0.0.1:#')
  SERVER_PORT=${API_BASE##*:}
  export HOOKLINE_API_BASE="$API_BASE" HOOKLINE_API_KEY="$HOOKLINE_SECRET_KEY"
}

# start_listen NAME [listen flags]: starts `hookline listen`; waits for Ready;
# sets LISTEN_PID and LISTEN_SECRET.
start_listen() {
  local name=$1; shift
  "$HOOKLINE" listen "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" &
  LISTEN_PID=$!
  PIDS+=($LISTEN_PID)
  wait_for "grep -q 'Ready! Your webhook signing secret is' '$WORK/$name.err'"
  LISTEN_SECRET=$(grep -o 'whsec_[A-Za-z0-9]*' "$WORK/$name.err" | head -n 1)
}

# log_count LOG: number of requests the receiver logged.
log_count() { wc -l < "$1" | tr -d ' '; }

# json_field LINE FIELD: a top-level field of a JSON line.
json_field() { node -e 'const o=JSON.parse(process.argv[1]);const v=o[process.argv[2]];console.log(v===undefined||v===null?"":typeof v==="object"?JSON.stringify(v):v)' "$1" "$2"; }

# trigger_event ARGS…: runs `hookline trigger ARGS…`, fails on error; sets
# EVENT_ID and EVENT_ACCOUNT from its "Trigger succeeded!" line.
trigger_event() {
  "$HOOKLINE" trigger "$@" > "$WORK/trigger.out" 2> "$WORK/trigger.err" ||
    fail "hookline trigger $* failed: $(cat "$WORK/trigger.err")"
  local line
  line=$(grep 'Trigger succeeded!' "$WORK/trigger.out") || fail "no success line for trigger $*"
  EVENT_ID=$(grep -o 'evt_[A-Za-z0-9]*' <<< "$line" | head -n 1) || fail "no event id: $line"
  EVENT_ACCOUNT=$(sed -n 's/.* on \(acct_[A-Za-z0-9]*\).*/\1/p' <<< "$line")
}

# received LOG EVENT_ID: the receiver's log line for that event (waits for it).
received() {
  wait_for "grep -q '\"id\":\"$2\"' '$1'"
  grep "\"id\":\"$2\"" "$1" | head -n 1
}

# expect_delivery LOG EVENT_ID TYPE PATH ACCOUNT: the receiver got the event of
# TYPE on PATH, for ACCOUNT ("" for the platform), with a verified signature.
expect_delivery() {
  local line
  line=$(received "$1" "$2")
  [[ $(json_field "$line" verified) == true ]] || fail "$3 $2: signature did not verify: $line"
  [[ $(json_field "$line" type) == "$3" ]] || fail "$2: expected type $3: $line"
  [[ $(json_field "$line" path) == "$4" ]] || fail "$3 $2: expected path $4: $line"
  [[ $(json_field "$line" account) == "$5" ]] || fail "$3 $2: expected account '$5': $line"
}

# create_account TYPE: creates a connected account; prints its id.
create_account() {
  "$HOOKLINE" accounts create --type "$1" --format JSON > "$WORK/account.json" ||
    fail "accounts create --type $1 failed"
  json_field "$(tr -d '\n' < "$WORK/account.json")" id
}
