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

clickhouse_up() {
  mkdir -p "$CLICKHOUSE_DATA" "$CLICKHOUSE_LOGDIR"
  command -v curl >/dev/null || apt_install curl
  if pid_alive "$CLICKHOUSE_PID"; then
    # A paused server (a test may SIGSTOP it) gets the start timeout to come back.
    wait_until "$STACK_START_TIMEOUT" clickhouse_ping \
      || fail clickhouse "pid $(pid_of "$CLICKHOUSE_PID") is running but does not answer /ping (process state $(proc_state "$CLICKHOUSE_PID"))" "$CLICKHOUSE_LOGDIR/server.err.log"
    clickhouse_migrate
    ok "clickhouse: already running (pid $(pid_of "$CLICKHOUSE_PID"), http 127.0.0.1:$CLICKHOUSE_HTTP_PORT)"
    return 0
  fi
  clickhouse_bin >/dev/null || apt_install clickhouse-server clickhouse-client
  if port_open "$CLICKHOUSE_HTTP_PORT" || port_open "$CLICKHOUSE_TCP_PORT"; then
    fail clickhouse "port $CLICKHOUSE_HTTP_PORT or $CLICKHOUSE_TCP_PORT is taken by a process this stack did not start (set SEQLANE_STACK_CLICKHOUSE_HTTP_PORT / _TCP_PORT)"
  fi
  render "$CLICKHOUSE_SRC/config/config.xml.template" "$CLICKHOUSE_HOME/config.xml"
  render "$CLICKHOUSE_SRC/config/users.xml.template" "$CLICKHOUSE_HOME/users.xml"
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
