#!/usr/bin/env bash
# ClickHouse for the local stack: Debian's clickhouse-server (18.16), run by us with its own
# config under .stack/clickhouse, then the migrations in infra/clickhouse.
# Sourced by stack.sh after lib.sh; defines clickhouse_up, clickhouse_down, clickhouse_status,
# clickhouse_logs.

CLICKHOUSE_HOME="$STACK_DIR/clickhouse"
CLICKHOUSE_DATA="$CLICKHOUSE_HOME/data"
CLICKHOUSE_PID="$CLICKHOUSE_HOME/clickhouse.pid"
CLICKHOUSE_LOGDIR="$STACK_LOGS/clickhouse"
CLICKHOUSE_SRC="$SEQLANE_ROOT/infra/clickhouse"
# The read-only analyst's password when SEQLANE_ANALYST_PASSWORD is not set (generated once).
CLICKHOUSE_ANALYST_PASSWORD_FILE="$CLICKHOUSE_HOME/analyst.password"

clickhouse_ping() {
  [[ "$(curl -sS --max-time 2 "http://127.0.0.1:$CLICKHOUSE_HTTP_PORT/ping" 2>/dev/null)" == "Ok." ]]
}

clickhouse_bin() {
  local b
  for b in clickhouse-server /usr/sbin/clickhouse-server /usr/bin/clickhouse-server; do
    command -v "$b" 2>/dev/null && return 0
  done
  return 1
}

clickhouse_migrate() {
  SEQLANE_CLICKHOUSE_URL="http://127.0.0.1:$CLICKHOUSE_HTTP_PORT" \
    bash "$CLICKHOUSE_SRC/run-migrations.sh" >"$CLICKHOUSE_LOGDIR/migrations.log" 2>&1 \
    || fail clickhouse "migrations failed" "$CLICKHOUSE_LOGDIR/migrations.log"
  sed 's/^/[stack]   /' "$CLICKHOUSE_LOGDIR/migrations.log"
}

# clickhouse_analyst_password: prints seqlane_analyst's password: SEQLANE_ANALYST_PASSWORD, else
# the one in CLICKHOUSE_ANALYST_PASSWORD_FILE, generated (32 hex digits, mode 600) the first time.
clickhouse_analyst_password() {
  if [[ -n "${SEQLANE_ANALYST_PASSWORD:-}" ]]; then
    printf '%s' "$SEQLANE_ANALYST_PASSWORD"
    return 0
  fi
  if [[ ! -s "$CLICKHOUSE_ANALYST_PASSWORD_FILE" ]]; then
    (umask 077 && od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$CLICKHOUSE_ANALYST_PASSWORD_FILE.tmp") \
      && mv "$CLICKHOUSE_ANALYST_PASSWORD_FILE.tmp" "$CLICKHOUSE_ANALYST_PASSWORD_FILE" \
      || fail clickhouse "cannot write $CLICKHOUSE_ANALYST_PASSWORD_FILE"
    log "clickhouse: generated a password for seqlane_analyst in $CLICKHOUSE_ANALYST_PASSWORD_FILE (set SEQLANE_ANALYST_PASSWORD to choose one)" >&2
  fi
  chmod 600 "$CLICKHOUSE_ANALYST_PASSWORD_FILE"
  tr -d '\n' <"$CLICKHOUSE_ANALYST_PASSWORD_FILE"
}

# clickhouse_render_users: writes users.xml with the analyst's password hash, replacing the file
# only when it changes. Also run while the server is up: 18.16 reloads a changed users.xml by
# itself (it checks every few seconds), no restart needed.
clickhouse_render_users() {
  CLICKHOUSE_ANALYST_PASSWORD="$(clickhouse_analyst_password)" || exit 1
  [[ -n "$CLICKHOUSE_ANALYST_PASSWORD" ]] || fail clickhouse "the seqlane_analyst password is empty (SEQLANE_ANALYST_PASSWORD or $CLICKHOUSE_ANALYST_PASSWORD_FILE)"
  CLICKHOUSE_ANALYST_SHA256="$(printf '%s' "$CLICKHOUSE_ANALYST_PASSWORD" | sha256sum | cut -d' ' -f1)"
  local users="$CLICKHOUSE_HOME/users.xml"
  (umask 077 && render "$CLICKHOUSE_SRC/config/users.xml.template" "$users.new")
  if cmp -s "$users.new" "$users"; then rm -f "$users.new"; else mv "$users.new" "$users"; fi
  if [[ -n "${SEQLANE_ANALYST_PASSWORD:-}" ]]; then
    log "clickhouse: seqlane_analyst password from SEQLANE_ANALYST_PASSWORD"
  else
    log "clickhouse: seqlane_analyst password in $CLICKHOUSE_ANALYST_PASSWORD_FILE"
  fi
}

# clickhouse_analyst_ok: true when seqlane_analyst logs in with its password (read from stdin by
# curl, so it never shows in the process list).
clickhouse_analyst_ok() {
  local quoted="${CLICKHOUSE_ANALYST_PASSWORD//\\/\\\\}"
  quoted="${quoted//\"/\\\"}"
  [[ "$(printf 'user = "seqlane_analyst:%s"\n' "$quoted" \
    | curl -sS --max-time 2 -K - "http://127.0.0.1:$CLICKHOUSE_HTTP_PORT/?query=SELECT%201" 2>/dev/null)" == "1" ]]
}

clickhouse_analyst_wait() {
  wait_until 15 clickhouse_analyst_ok \
    || fail clickhouse "seqlane_analyst cannot log in with its password 15 s after users.xml was written" "$CLICKHOUSE_LOGDIR/server.err.log"
}

clickhouse_up() {
  mkdir -p "$CLICKHOUSE_DATA" "$CLICKHOUSE_LOGDIR"
  command -v curl >/dev/null || apt_install curl
  if pid_alive "$CLICKHOUSE_PID"; then
    clickhouse_render_users
    # A paused server (a test may SIGSTOP it) gets the start timeout to come back.
    wait_until "$STACK_START_TIMEOUT" clickhouse_ping \
      || fail clickhouse "pid $(pid_of "$CLICKHOUSE_PID") is running but does not answer /ping (process state $(proc_state "$CLICKHOUSE_PID"))" "$CLICKHOUSE_LOGDIR/server.err.log"
    clickhouse_migrate
    clickhouse_analyst_wait
    ok "clickhouse: already running (pid $(pid_of "$CLICKHOUSE_PID"), http 127.0.0.1:$CLICKHOUSE_HTTP_PORT)"
    return 0
  fi
  clickhouse_bin >/dev/null || apt_install clickhouse-server clickhouse-client
  if port_open "$CLICKHOUSE_HTTP_PORT" || port_open "$CLICKHOUSE_TCP_PORT"; then
    fail clickhouse "port $CLICKHOUSE_HTTP_PORT or $CLICKHOUSE_TCP_PORT is taken by a process this stack did not start (set SEQLANE_STACK_CLICKHOUSE_HTTP_PORT / _TCP_PORT)"
  fi
  render "$CLICKHOUSE_SRC/config/config.xml.template" "$CLICKHOUSE_HOME/config.xml"
  clickhouse_render_users
  log "clickhouse: starting on http 127.0.0.1:$CLICKHOUSE_HTTP_PORT, tcp $CLICKHOUSE_TCP_PORT"
  local bin
  bin="$(clickhouse_bin)"
  # setsid: the server outlives this shell and gets no terminal signals.
  nohup setsid "$bin" --config-file="$CLICKHOUSE_HOME/config.xml" \
    >"$CLICKHOUSE_LOGDIR/stdout.log" 2>&1 </dev/null 9>&- &
  echo $! >"$CLICKHOUSE_PID"
  local deadline=$((SECONDS + STACK_START_TIMEOUT))
  until clickhouse_ping; do
    pid_alive "$CLICKHOUSE_PID" || fail clickhouse "server exited during start-up" "$CLICKHOUSE_LOGDIR/server.err.log"
    ((SECONDS < deadline)) || fail clickhouse "no answer on http 127.0.0.1:$CLICKHOUSE_HTTP_PORT/ping after ${STACK_START_TIMEOUT}s" "$CLICKHOUSE_LOGDIR/server.err.log"
    sleep 0.5
  done
  clickhouse_migrate
  clickhouse_analyst_wait
  ok "clickhouse: up (pid $(pid_of "$CLICKHOUSE_PID"), http 127.0.0.1:$CLICKHOUSE_HTTP_PORT)"
}

clickhouse_down() { stop_pid clickhouse "$CLICKHOUSE_PID" 30; }

clickhouse_status() {
  if pid_alive "$CLICKHOUSE_PID" && clickhouse_ping; then
    echo "clickhouse  up    pid $(pid_of "$CLICKHOUSE_PID")  http 127.0.0.1:$CLICKHOUSE_HTTP_PORT tcp $CLICKHOUSE_TCP_PORT  data $CLICKHOUSE_DATA"
  elif pid_alive "$CLICKHOUSE_PID"; then
    echo "clickhouse  stuck pid $(pid_of "$CLICKHOUSE_PID") state $(proc_state "$(pid_of "$CLICKHOUSE_PID")"), not answering on $CLICKHOUSE_HTTP_PORT"; return 1
  else
    echo "clickhouse  down  port $CLICKHOUSE_HTTP_PORT  log $CLICKHOUSE_LOGDIR/server.err.log"; return 1
  fi
}

clickhouse_logs() { echo "$CLICKHOUSE_LOGDIR/server.log"; }
