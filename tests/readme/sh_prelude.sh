# Sourced first by the script that run_sh_blocks.sh makes of the README's sh
# blocks: the few stand-ins that let a reader's commands run unattended. Names
# are prefixed rd_/RD_ so that the README's own variables (body, t, KEY, …)
# cannot clobber them. Needs RD_WORK (the blocks run in it, with build/ a link
# to the build tree) and RD_OUT (one file of output per block, in README order);
# before each block, RD_LINE (its README line) and RD_FILE (its output file).
set -eEuo pipefail
exec 3>&2
RD_PIDS=()
RD_BG=0
RD_PORTS=$RD_WORK/.ports   # README port → the real port standing for it
RD_BIND=$RD_WORK/.bindings # placeholder → the value it was bound to
RD_PREFIX=$RD_WORK/prefix  # stands for /usr/local
mkdir -p "$RD_PORTS" "$RD_BIND"
export PKG_CONFIG_PATH=$RD_PREFIX/lib/pkgconfig

rd_stop() {
  local pid
  for pid in "${RD_PIDS[@]+"${RD_PIDS[@]}"}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${RD_PIDS[@]+"${RD_PIDS[@]}"}"; do wait "$pid" 2>/dev/null || true; done
}
trap rd_stop EXIT
trap 'exit 1' TERM  # readme_id's way to stop the run

rd_fail() {
  echo "FAIL: $*" >&3
  exit 1
}

# A README command failed: say which block and command (run_sh_blocks.sh then
# shows the block's output).
rd_block_failed() {
  echo "FAIL: the README's sh block at line $RD_LINE failed (exit $1) at: $BASH_COMMAND" >&3
  exit 1
}

# The README's commands' output so far, block after block (the background
# processes' logs are not in it: a reader copies ids from what they ran).
rd_printed() { local f; for f in "$RD_OUT"/*.txt; do [[ -f $f ]] && cat "$f"; done; return 0; }

# rd_match first|last REGEX: group 1 of the first or last line of the output
# so far that matches REGEX (Perl syntax).
rd_match() {
  rd_printed | RD_RE=$2 RD_WHICH=$1 perl -ne '
    if (/$ENV{RD_RE}/) { $ENV{RD_WHICH} eq "first" ? ($v //= $1) : ($v = $1) }
    END { print "$v\n" if defined $v }'
}

# readme_id PLACEHOLDER: the value a placeholder of the README stands for.
# A bare one (acct_…) is the last id of its kind printed so far, looked up at
# each use; a tagged one (acct_Z2Bn…) is bound at its first use and keeps that
# value; the few whose value is not the last one printed are listed here.
readme_id() {
  local placeholder=$1 file value
  file=$RD_BIND/$(printf '%s' "$placeholder" | tr -c 'A-Za-z0-9_' '-')
  if [[ -f $file ]]; then cat "$file"; return; fi
  case $placeholder in
    sk_test_*) value=$(rd_match first 'test secret key +(sk_test_\w+)') ;;  # serve's banner
    evt_kPLp…) value=$(rd_match first '^Trigger succeeded! payment_intent\.succeeded (evt_\w+)$') ;;
    we_hRSb…) value=$(rd_match first '^(we_\w+) +http://localhost:\d+/webhook ') ;;
    whsec_d9sn…) value=$(rd_match first '^Signing secret: (whsec_\w+)') ;;
    whsec_…) value=${HOOKLINE_WEBHOOK_SECRET:-} ;;  # the listen session's, as exported in step 2
    *) value=$(rd_printed | RD_P=$(sed -E 's/_[A-Za-z0-9]*…$/_/' <<< "$placeholder") perl -ne \
                 '$v = $1 while /\b(\Q$ENV{RD_P}\E[A-Za-z0-9]+)/g; END { print "$v\n" if defined $v }') ;;
  esac
  if [[ -z $value ]]; then
    echo "FAIL: nothing printed so far binds the README's placeholder $placeholder" >&3
    kill -TERM $$
  fi
  [[ $placeholder == *_… ]] || printf '%s' "$value" > "$file"
  printf '%s' "$value"
}

# A free port below the kernel's ephemeral range, free on every address (the
# README says localhost, which is ::1 first). A port the system hands out
# (port 0) is shared with every other test running at the same time: one of
# them may listen on the same number on ::1 and answer for our receiver, or
# take it as a source port before our server listens on it.
rd_free_port() {
  node -e '
    const net = require("net");
    const low = Number(require("fs").readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").split(/\s+/)[0]);
    const base = low > 12000 ? 10000 : 1024;
    const attempt = (left, host) => {
      const port = base + Math.floor(Math.random() * (low - base));
      const s = net.createServer();
      s.once("error", (e) => {
        if (e.code !== "EADDRINUSE" && host === "::") return attempt(left, "127.0.0.1");  // no IPv6
        if (left > 0) attempt(left - 1, host); else process.exit(1);
      });
      s.listen(port, host, () => { console.log(port); s.close(); });
    };
    attempt(50, "::");'
}

# readme_port PORT: the real port standing for a port the README names. A port
# named before anything listens on it (an endpoint's URL) gets a free one then.
readme_port() {
  [[ -f $RD_PORTS/$1 ]] || rd_free_port > "$RD_PORTS/$1"
  cat "$RD_PORTS/$1"
}

# readme_start COMMAND…: a long-running command of the README (serve, the
# example receiver, listen), run in the background as in a terminal of its own;
# returns once it is ready. One started on its default port (7420, 4242) gets a
# free port (rd_free_port), and that README port means it from then on.
readme_start() {
  local ready readme_port="" args=("$@") port name
  case "$1 ${2:-}" in
    "build/hookline serve") ready='hookline listening on http://' readme_port=7420 ;;
    build/hookline-example-receiver*) ready='listening on http://' readme_port=4242 ;;
    "build/hookline listen") ready='Ready! Your webhook signing secret is' ;;
    *) rd_fail "readme_start: not a long-running command: $*" ;;
  esac
  if [[ -n $readme_port && " $* " == *" --port "* ]]; then
    readme_port=""  # its port is already a real one (readme_port)
  elif [[ -n $readme_port ]]; then
    if [[ -f $RD_PORTS/$readme_port && ! -f $RD_PORTS/$readme_port.started ]]; then
      args+=(--port "$(cat "$RD_PORTS/$readme_port")")
    else
      args+=(--port "$(rd_free_port)")
    fi
  fi
  RD_BG=$((RD_BG + 1))
  name=$RD_WORK/.bg-$RD_BG
  "${args[@]}" > "$name.out" 2> "$name.err" &
  RD_PIDS+=($!)
  local pid=$! deadline=$((SECONDS + 60))
  until grep -q "$ready" "$name.out" "$name.err"; do
    kill -0 "$pid" 2>/dev/null || rd_fail "'$*' (README line $RD_LINE) exited: $(cat "$name.err")"
    ((SECONDS < deadline)) || rd_fail "'$*' (README line $RD_LINE) did not get ready"
    sleep 0.05
  done
  if [[ -n $readme_port ]]; then
    port=$(grep -ho 'listening on http://[0-9.]*:[0-9]*' "$name.out" | head -n 1)
    echo "${port##*:}" > "$RD_PORTS/$readme_port"
    touch "$RD_PORTS/$readme_port.started"
  fi
  # The README's server is on 7420, the CLI's default; this one is where it is.
  [[ "$1 ${2:-}" != "build/hookline serve" ]] || export HOOKLINE_API_BASE=http://127.0.0.1:$(readme_port 7420)
  # serve prints its keys: they count as printed (README step 1 copies the test key).
  [[ "$1 ${2:-}" != "build/hookline serve" ]] || cp "$name.out" "${RD_FILE%.txt}-serve.txt"
  return 0
}

# `make build` and `make serve`: this test runs the binaries already built.
make() {
  case "$*" in
    build) ;;
    serve) readme_start build/hookline serve ;;
    *) rd_fail "the README runs 'make $*', which this test does not stand in for" ;;
  esac
}

# A request that gets an HTTP error fails, as a reader would see it fail.
curl() { command curl -sS --fail-with-body "$@"; }
