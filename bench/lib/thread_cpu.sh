# CPU time of a process by thread, for the per-event cost table
# (bench/report/cost_table.mjs): hookline names each thread after the stage it
# serves, so the time of a stage is the time of its threads. Nothing is
# measured inside the server: /proc is read at the start and at the end of a
# figure's window. Sourced by bench/run.sh.
#
# A thread's time is the first field of /proc/PID/task/TID/schedstat (its time
# on a CPU, in ns), not utime + stime of its stat: those are whole clock ticks
# (10 ms), and each of the API's 64 handler threads runs less than a tick in a
# smoke run, so all of their time would read 0. Without schedstat (a kernel
# without CONFIG_SCHED_INFO), utime + stime it is.

# thread_cpu_snapshot PID OUT: one line per live thread, "thread TID NAME NS"
# (spaces in the name as _), then "process PID NS": the whole process's utime +
# stime, threads already ended included (tick resolution).
thread_cpu_snapshot() {
  local pid=$1 out=$2 stat line
  {
    for stat in /proc/"$pid"/task/*/stat; do
      read -r line 2>/dev/null <"$stat" || continue
      proc_stat_entry "$line"
      echo "thread ${line%% *} ${PROC_NAME// /_} $(task_cpu_ns "${stat%/stat}" "$PROC_TICKS")"
    done
    read -r line <"/proc/$pid/stat" || fail "process $pid is gone: no CPU time to read"
    proc_stat_entry "$line"
    echo "process $pid $(ticks_ns "$PROC_TICKS")"
  } >"$out"
}

# postgres_cpu_snapshot OUT: "process PID NS", the private PostgreSQL server's
# CPU time: its postmaster and live processes (one thread each), and those
# ended since it started (the postmaster's cutime + cstime keep them).
postgres_cpu_snapshot() {
  local out=$1 postmaster line total stat
  postmaster=$(head -n 1 "$BENCH_PG_DIR/data/postmaster.pid")
  read -r line <"/proc/$postmaster/stat"
  proc_stat_entry "$line"
  total=$(($(task_cpu_ns "/proc/$postmaster" "$PROC_TICKS") + $(ticks_ns "$PROC_CHILD_TICKS")))
  for stat in /proc/[0-9]*/stat; do
    read -r line 2>/dev/null <"$stat" || continue
    proc_stat_entry "$line"
    ((PROC_PPID == postmaster)) && total=$((total + $(task_cpu_ns "${stat%/stat}" "$PROC_TICKS")))
  done
  echo "process $postmaster $total" >"$out"
}

# task_cpu_ns DIR TICKS: the task's CPU time in ns from DIR/schedstat, else TICKS.
task_cpu_ns() {
  local ns rest
  if read -r ns rest 2>/dev/null <"$1/schedstat"; then echo "$ns"; else ticks_ns "$2"; fi
}

CLK_TCK=$(getconf CLK_TCK)
ticks_ns() {
  echo $(($1 * 1000000000 / CLK_TCK))
}

# proc_stat_entry LINE: a /proc stat line's PROC_NAME, PROC_PPID, PROC_TICKS
# (utime + stime) and PROC_CHILD_TICKS (cutime + cstime). The name is between
# the first "(" and the last ")" and may hold anything.
proc_stat_entry() {
  local line=$1 rest fields
  PROC_NAME=${line#*(}
  PROC_NAME=${PROC_NAME%)*}
  rest=${line##*) }
  read -r -a fields <<<"$rest"
  # fields[0] is field 3 of proc(5) (state): utime is field 14, stime 15, cutime 16, cstime 17.
  PROC_PPID=${fields[1]}
  PROC_TICKS=$((fields[11] + fields[12]))
  PROC_CHILD_TICKS=$((fields[13] + fields[14]))
}

# peer_cpu_snapshot OUT [PID]: the CPU time of what shares the machine with
# the server under test, for the budget table (bench/report/budget.mjs):
# "endpoint PID NS", the receiver's or the sink's whole process (PID; 0 when
# not given or gone), and "bench NS", this shell's waited-for children — the
# load generator, wrk and the bench's own curl polls (bash's `times`, which
# must run in this shell, not in a command substitution's fork).
peer_cpu_snapshot() {
  local out=$1 pid=${2:-} line ns=0 times_file="$RUN_DIR/.times"
  if [[ -n $pid ]] && read -r line 2>/dev/null <"/proc/$pid/stat"; then
    proc_stat_entry "$line"
    ns=$(ticks_ns "$PROC_TICKS")
  fi
  times >"$times_file"
  echo "endpoint ${pid:-0} $ns" >"$out"
  echo "bench $(children_times_ns <"$times_file")" >>"$out"
}

# children_times_ns: the second line of `times` ("0m1.250s 0m0.340s":
# children's user and system time) on stdin, in ns.
children_times_ns() {
  local shell_line children_line total=0 part minutes rest
  read -r shell_line
  read -r children_line
  for part in $children_line; do
    minutes=${part%%m*}
    rest=${part#*m}
    rest=${rest%s}
    # seconds as "S.mmm": whole milliseconds, without floating point.
    total=$((total + minutes * 60000 + 10#${rest%.*} * 1000 + 10#${rest#*.}))
  done
  echo $((total * 1000000))
}

# cost_snapshot NAME: hookline's threads at this moment (RUN_DIR/cpu-NAME.txt)
# and, on the PostgreSQL store, the database server's (RUN_DIR/pg-cpu-NAME.txt);
# the endpoint's (ENDPOINT_PID, else RECEIVER_PID) and the bench's own
# processes' (RUN_DIR/peers-NAME.txt).
cost_snapshot() {
  thread_cpu_snapshot "$HOOKLINE_PID" "$RUN_DIR/cpu-$1.txt"
  if [[ $BENCH_STORE == postgres ]]; then postgres_cpu_snapshot "$RUN_DIR/pg-cpu-$1.txt"; fi
  peer_cpu_snapshot "$RUN_DIR/peers-$1.txt" "${ENDPOINT_PID:-${RECEIVER_PID:-}}"
}
