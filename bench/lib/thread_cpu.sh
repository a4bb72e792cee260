# CPU time of a process by thread, for the per-event cost table
# (bench/report/cost_table.mjs): hookline names each thread after the stage it
# serves, so the time of a stage is the time of its threads. Nothing is
# measured inside the server: /proc is read at the start and at the end of a
# figure's window. Sourced by bench/run.sh.

# thread_cpu_snapshot PID OUT: one line per live thread, "thread TID NAME
# TICKS" (utime + stime of /proc/PID/task/TID/stat, spaces in the name as _),
# then "process PID TICKS" (the whole process, threads already ended
# included) and "clk_tck N".
thread_cpu_snapshot() {
  local pid=$1 out=$2 stat line name fields
  {
    for stat in /proc/"$pid"/task/*/stat; do
      read -r line <"$stat" 2>/dev/null || continue
      proc_stat_entry "$line"
      echo "thread ${line%% *} ${PROC_NAME// /_} $PROC_TICKS"
    done
    read -r line <"/proc/$pid/stat" || fail "process $pid is gone: no CPU time to read"
    proc_stat_entry "$line"
    echo "process $pid $PROC_TICKS"
    echo "clk_tck $(getconf CLK_TCK)"
  } >"$out"
}

# postgres_cpu_snapshot OUT: the private PostgreSQL server's CPU time (its
# postmaster, its live processes, and those ended since, which the
# postmaster's cutime/cstime keep), as "process PID TICKS" and "clk_tck N".
postgres_cpu_snapshot() {
  local out=$1 postmaster line ticks total=0 stat
  postmaster=$(head -n 1 "$BENCH_PG_DIR/data/postmaster.pid")
  read -r line <"/proc/$postmaster/stat"
  proc_stat_entry "$line"
  total=$((PROC_TICKS + PROC_CHILD_TICKS))
  for stat in /proc/[0-9]*/stat; do
    read -r line <"$stat" 2>/dev/null || continue
    proc_stat_entry "$line"
    ((PROC_PPID == postmaster)) && total=$((total + PROC_TICKS))
  done
  printf 'process %s %s\nclk_tck %s\n' "$postmaster" "$total" "$(getconf CLK_TCK)" >"$out"
}

# proc_stat_entry LINE: a /proc stat line's PROC_NAME, PROC_PPID, PROC_TICKS
# (utime + stime) and PROC_CHILD_TICKS (cutime + cstime). The name is between
# the first "(" and the last ")" and may hold anything.
proc_stat_entry() {
  local line=$1 rest
  PROC_NAME=${line#*(}
  PROC_NAME=${PROC_NAME%)*}
  rest=${line##*) }
  read -r -a fields <<<"$rest"
  # fields[0] is field 3 of proc(5) (state): utime is field 14, stime 15, cutime 16, cstime 17.
  PROC_PPID=${fields[1]}
  PROC_TICKS=$((fields[11] + fields[12]))
  PROC_CHILD_TICKS=$((fields[13] + fields[14]))
}

# cost_snapshot NAME: hookline's threads at this moment (RUN_DIR/cpu-NAME.txt)
# and, on the PostgreSQL store, the database server's (RUN_DIR/pg-cpu-NAME.txt).
cost_snapshot() {
  thread_cpu_snapshot "$HOOKLINE_PID" "$RUN_DIR/cpu-$1.txt"
  if [[ $BENCH_STORE == postgres ]]; then postgres_cpu_snapshot "$RUN_DIR/pg-cpu-$1.txt"; fi
}
