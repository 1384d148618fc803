#!/usr/bin/env bash
# Shared helpers for the local stack scripts. Sourced, never run.
# Every path and port is defined here once; see README.md for the table.

SEQLANE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STACK_DIR="${SEQLANE_STACK_DIR:-$SEQLANE_ROOT/.stack}"
STACK_LOGS="$STACK_DIR/logs"

KAFKA_PORT="${SEQLANE_STACK_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${SEQLANE_STACK_KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${SEQLANE_STACK_KAFKA_HEAP:--Xms128m -Xmx512m}"
REDIS_PORT="${SEQLANE_STACK_REDIS_PORT:-6379}"
CLICKHOUSE_HTTP_PORT="${SEQLANE_STACK_CLICKHOUSE_HTTP_PORT:-8123}"
CLICKHOUSE_TCP_PORT="${SEQLANE_STACK_CLICKHOUSE_TCP_PORT:-9000}"
# Seconds to wait for a service to answer after starting it.
STACK_START_TIMEOUT="${SEQLANE_STACK_START_TIMEOUT:-90}"

mkdir -p "$STACK_LOGS"

if [[ -t 1 ]]; then _B=$'\e[1m'; _R=$'\e[31m'; _G=$'\e[32m'; _N=$'\e[0m'; else _B=; _R=; _G=; _N=; fi

log() { printf '%s[stack]%s %s\n' "$_B" "$_N" "$*"; }
ok() { printf '%s[stack]%s %s%s%s\n' "$_B" "$_N" "$_G" "$*" "$_N"; }

# fail SERVICE REASON LOGFILE: the one way a start fails, naming what, why and where to look.
fail() {
  local service="$1" reason="$2" logfile="${3:-}"
  printf '%s[stack] %s failed:%s %s\n' "$_R" "$service" "$_N" "$reason" >&2
  if [[ -n "$logfile" ]]; then
    printf '[stack] log: %s\n' "$logfile" >&2
    if [[ -f "$logfile" ]]; then
      # Error lines say why; a plain tail is often a config dump.
      if grep -qE '(ERROR|FATAL|<Error>|Exception)' "$logfile"; then
        printf '[stack] errors in the log:\n' >&2
        grep -E '(ERROR|FATAL|<Error>|Exception)' "$logfile" | tail -n 8 | cut -c1-400 | sed 's/^/    /' >&2
      else
        printf '[stack] last lines of the log:\n' >&2
        tail -n 20 "$logfile" | cut -c1-400 | sed 's/^/    /' >&2
      fi
    fi
  fi
  exit 1
}

# pid_alive PIDFILE: true when the file names a live process.
pid_alive() {
  local pidfile="$1" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile" 2>/dev/null)"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

pid_of() { cat "$1" 2>/dev/null || true; }

# proc_state PID: ps's state letters, e.g. "T" for a stopped (SIGSTOP) process.
proc_state() { ps -o stat= -p "$1" 2>/dev/null || echo gone; }

# stack_lock: one up/down at a time per .stack folder (CI and a developer may race).
# Daemons must be started with `9>&-`: a server that inherits fd 9 holds the lock for its whole
# life, and every later up/down would wait for it forever.
stack_lock() {
  exec 9>"$STACK_DIR/.lock"
  if ! flock -n 9; then
    log "waiting for another stack.sh in $STACK_DIR to finish"
    flock 9
  fi
}

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_until SECONDS CMD...: polls CMD every half second.
wait_until() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# stop_pid NAME PIDFILE SECONDS: SIGTERM, wait, SIGKILL only as a last resort.
stop_pid() {
  local name="$1" pidfile="$2" grace="$3" pid
  pid_alive "$pidfile" || { rm -f "$pidfile"; return 0; }
  pid="$(pid_of "$pidfile")"
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_until "$grace" eval "! kill -0 $pid 2>/dev/null"; then
    log "$name did not stop within ${grace}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# apt_install PKG...: installs Debian packages that are missing, updating the index once.
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  local sudo=""
  [[ $EUID -eq 0 ]] || sudo="sudo"
  log "installing Debian packages: ${missing[*]}"
  if [[ ! -f "$STACK_DIR/.apt-updated" ]] || ! $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$STACK_LOGS/apt.log" 2>&1; then
    $sudo apt-get update -qq >>"$STACK_LOGS/apt.log" 2>&1 || fail apt "apt-get update failed" "$STACK_LOGS/apt.log"
    touch "$STACK_DIR/.apt-updated"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$STACK_LOGS/apt.log" 2>&1 \
      || fail apt "apt-get install ${missing[*]} failed" "$STACK_LOGS/apt.log"
  fi
}

# render TEMPLATE OUT: replaces @VAR@ placeholders with the values of the shell variables.
render() {
  local template="$1" out="$2" content var
  content="$(cat "$template")"
  for var in STACK_DIR STACK_LOGS KAFKA_PORT KAFKA_CONTROLLER_PORT REDIS_PORT \
    CLICKHOUSE_HTTP_PORT CLICKHOUSE_TCP_PORT KAFKA_DATA CLICKHOUSE_DATA REDIS_DATA \
    CLICKHOUSE_ANALYST_SHA256; do
    content="${content//@$var@/${!var:-}}"
  done
  printf '%s\n' "$content" >"$out.tmp"
  mv "$out.tmp" "$out"
}
