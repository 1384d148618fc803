#!/usr/bin/env bash
# Redis for the local stack: Debian's redis-server, daemonized by us (not systemd), AOF on.
# Sourced by stack.sh after lib.sh; defines redis_up, redis_down, redis_status, redis_logs.

REDIS_DATA="$STACK_DIR/redis"
REDIS_CONF="$REDIS_DATA/redis.conf"
REDIS_PID="$REDIS_DATA/redis.pid"
REDIS_LOG="$STACK_LOGS/redis.log"

redis_ping() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ]]; }

redis_up() {
  mkdir -p "$REDIS_DATA"
  if pid_alive "$REDIS_PID"; then
    wait_until "$STACK_START_TIMEOUT" redis_ping \
      || fail redis "pid $(pid_of "$REDIS_PID") is running but does not answer PING (process state $(proc_state "$REDIS_PID"))" "$REDIS_LOG"
    ok "redis: already running (pid $(pid_of "$REDIS_PID"), 127.0.0.1:$REDIS_PORT)"
    return 0
  fi
  command -v redis-server >/dev/null || apt_install redis-server
  if port_open "$REDIS_PORT"; then
    fail redis "port $REDIS_PORT is taken by a process this stack did not start (set SEQLANE_STACK_REDIS_PORT)"
  fi
  render "$SEQLANE_ROOT/infra/local/redis.conf.template" "$REDIS_CONF"
  log "redis: starting on 127.0.0.1:$REDIS_PORT"
  redis-server "$REDIS_CONF" >>"$REDIS_LOG" 2>&1 9>&- || fail redis "redis-server refused to start" "$REDIS_LOG"
  wait_until "$STACK_START_TIMEOUT" redis_ping || fail redis "no PONG on 127.0.0.1:$REDIS_PORT" "$REDIS_LOG"
  ok "redis: up (pid $(pid_of "$REDIS_PID"), 127.0.0.1:$REDIS_PORT, AOF in $REDIS_DATA)"
}

# SHUTDOWN makes Redis fsync the AOF before it exits; SIGTERM is the fallback.
redis_down() {
  pid_alive "$REDIS_PID" || { rm -f "$REDIS_PID"; return 0; }
  log "stopping redis (pid $(pid_of "$REDIS_PID"))"
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown >/dev/null 2>&1 || true
  wait_until 20 eval '! pid_alive "$REDIS_PID"' || stop_pid redis "$REDIS_PID" 10
  rm -f "$REDIS_PID"
}

redis_status() {
  if pid_alive "$REDIS_PID" && redis_ping; then
    echo "redis       up    pid $(pid_of "$REDIS_PID")  127.0.0.1:$REDIS_PORT  data $REDIS_DATA"
  elif pid_alive "$REDIS_PID"; then
    echo "redis       stuck pid $(pid_of "$REDIS_PID") state $(proc_state "$(pid_of "$REDIS_PID")"), not answering on $REDIS_PORT"; return 1
  else
    echo "redis       down  port $REDIS_PORT  log $REDIS_LOG"; return 1
  fi
}

redis_logs() { echo "$REDIS_LOG"; }
