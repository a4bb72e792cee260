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

# cost_snapshot NAME: hookline's threads at this moment (RUN_DIR/cpu-NAME.txt)
# and, on the PostgreSQL store, the database server's (RUN_DIR/pg-cpu-NAME.txt).
cost_snapshot() {
  thread_cpu_snapshot "$HOOKLINE_PID" "$RUN_DIR/cpu-$1.txt"
  if [[ $BENCH_STORE == postgres ]]; then postgres_cpu_snapshot "$RUN_DIR/pg-cpu-$1.txt"; fi
}
