#!/usr/bin/env bash
# Kafka for the local stack: the real broker from pinned Maven Central jars, single node, KRaft.
# Sourced by stack.sh after lib.sh; defines kafka_up, kafka_down, kafka_status, kafka_logs.

KAFKA_SRC="$SEQLANE_ROOT/infra/kafka"
KAFKA_HOME="$STACK_DIR/kafka"
KAFKA_LIBS="$KAFKA_HOME/libs"
KAFKA_DATA="$KAFKA_HOME/data"
KAFKA_PID="$KAFKA_HOME/kafka.pid"
KAFKA_LOGDIR="$STACK_LOGS/kafka"
KAFKA_OUT="$KAFKA_LOGDIR/stdout.log"

# The jars are fetched again only when pom.xml changes (its checksum is the stamp).
kafka_install() {
  command -v java >/dev/null || fail kafka "java not found (Java 17 or newer is needed)"
  local want have
  want="$(sha256sum "$KAFKA_SRC/pom.xml" | cut -c1-16)"
  have="$(cat "$KAFKA_LIBS/.pom-sha" 2>/dev/null || true)"
  [[ "$want" == "$have" ]] && return 0
  command -v mvn >/dev/null || apt_install maven
  log "kafka: fetching broker jars from Maven Central (pom $want)"
  rm -rf "$KAFKA_LIBS.tmp"
  mvn -q -B -f "$KAFKA_SRC/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$KAFKA_LIBS.tmp" -DincludeScope=runtime >"$STACK_LOGS/kafka-mvn.log" 2>&1 \
    || fail kafka "mvn dependency:copy-dependencies failed" "$STACK_LOGS/kafka-mvn.log"
  echo "$want" >"$KAFKA_LIBS.tmp/.pom-sha"
  rm -rf "$KAFKA_LIBS"
  mv "$KAFKA_LIBS.tmp" "$KAFKA_LIBS"
}

# JVM flags shared by the broker and the storage tool; KAFKA_HEAP holds several flags on purpose.
kafka_jvm_args() {
  # shellcheck disable=SC2206
  KAFKA_JVM=(java $KAFKA_HEAP -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=128m -Xss512k \
    -Djava.awt.headless=true -Dkafka.logs.dir="$KAFKA_LOGDIR" \
    -Dlog4j2.configurationFile="$KAFKA_SRC/log4j2.properties" \
    -cp "$KAFKA_LIBS/*")
}

kafka_format() {
  [[ -f "$KAFKA_DATA/meta.properties" ]] && return 0
  local id
  id="$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  log "kafka: formatting storage in $KAFKA_DATA (cluster id $id)"
  mkdir -p "$KAFKA_DATA"
  kafka_jvm_args
  "${KAFKA_JVM[@]}" kafka.tools.StorageTool format -t "$id" -c "$KAFKA_HOME/server.properties" \
    >"$KAFKA_LOGDIR/format.log" 2>&1 || fail kafka "storage format failed" "$KAFKA_LOGDIR/format.log"
}

kafka_ensure_topics() {
  [[ -d "$SEQLANE_ROOT/node_modules/kafkajs" ]] \
    || fail kafka "node_modules/kafkajs missing: run 'npm ci' at the repo root first"
  node "$KAFKA_SRC/ensure-topics.mjs" --brokers "127.0.0.1:$KAFKA_PORT" \
    --wait-seconds "$STACK_START_TIMEOUT" >>"$KAFKA_LOGDIR/topics.log" 2>&1 \
    || fail kafka "broker did not answer on 127.0.0.1:$KAFKA_PORT or topics could not be created" "$KAFKA_LOGDIR/topics.log"
}

kafka_up() {
  mkdir -p "$KAFKA_HOME" "$KAFKA_LOGDIR"
  if pid_alive "$KAFKA_PID"; then
    wait_until "$STACK_START_TIMEOUT" port_open "$KAFKA_PORT" \
      || fail kafka "pid $(pid_of "$KAFKA_PID") is running but nothing listens on $KAFKA_PORT (process state $(proc_state "$KAFKA_PID"))" "$(kafka_fail_log)"
    : >"$KAFKA_LOGDIR/topics.log"
    kafka_ensure_topics
    sed 's/^/[stack] /' "$KAFKA_LOGDIR/topics.log"
    ok "kafka: already running (pid $(pid_of "$KAFKA_PID"), 127.0.0.1:$KAFKA_PORT)"
    return 0
  fi
  if port_open "$KAFKA_PORT"; then
    fail kafka "port $KAFKA_PORT is taken by a process this stack did not start (set SEQLANE_STACK_KAFKA_PORT)"
  fi
  if port_open "$KAFKA_CONTROLLER_PORT"; then
    fail kafka "controller port $KAFKA_CONTROLLER_PORT is taken (set SEQLANE_STACK_KAFKA_CONTROLLER_PORT)"
  fi
  kafka_install
  render "$KAFKA_SRC/server.properties.template" "$KAFKA_HOME/server.properties"
  kafka_format
  log "kafka: starting broker on 127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)"
  # setsid: the broker outlives this shell and gets no terminal signals.
  kafka_jvm_args
  nohup setsid "${KAFKA_JVM[@]}" kafka.Kafka "$KAFKA_HOME/server.properties" >"$KAFKA_OUT" 2>&1 </dev/null 9>&- &
  echo $! >"$KAFKA_PID"
  local deadline=$((SECONDS + STACK_START_TIMEOUT))
  until port_open "$KAFKA_PORT"; do
    pid_alive "$KAFKA_PID" || fail kafka "broker exited during start-up" "$(kafka_fail_log)"
    ((SECONDS < deadline)) || fail kafka "port $KAFKA_PORT not open after ${STACK_START_TIMEOUT}s" "$(kafka_fail_log)"
    sleep 0.5
  done
  : >"$KAFKA_LOGDIR/topics.log"
  kafka_ensure_topics
  sed 's/^/[stack] /' "$KAFKA_LOGDIR/topics.log"
  ok "kafka: up (pid $(pid_of "$KAFKA_PID"), 127.0.0.1:$KAFKA_PORT)"
}

# The log that explains a failed start: the JVM's own output when log4j never started.
kafka_fail_log() {
  if [[ -s "$KAFKA_OUT" && ( ! -f "$KAFKA_LOGDIR/server.log" || "$KAFKA_OUT" -nt "$KAFKA_LOGDIR/server.log" ) ]]; then
    echo "$KAFKA_OUT"
  else
    echo "$KAFKA_LOGDIR/server.log"
  fi
}

kafka_down() { stop_pid kafka "$KAFKA_PID" 60; }

kafka_status() {
  if pid_alive "$KAFKA_PID" && port_open "$KAFKA_PORT"; then
    echo "kafka       up    pid $(pid_of "$KAFKA_PID")  127.0.0.1:$KAFKA_PORT  data $KAFKA_DATA"
  elif pid_alive "$KAFKA_PID"; then
    echo "kafka       stuck pid $(pid_of "$KAFKA_PID") state $(proc_state "$(pid_of "$KAFKA_PID")"), not answering on $KAFKA_PORT"; return 1
  else
    echo "kafka       down  port $KAFKA_PORT  log $KAFKA_LOGDIR/server.log"; return 1
  fi
}

kafka_logs() { echo "$KAFKA_LOGDIR/server.log"; }
