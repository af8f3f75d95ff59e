#!/usr/bin/env bash
# Single-node Apache Kafka broker (KRaft, combined broker + controller) for tests, CI, the local demo
# and benchmarks, run as a separate JVM from the Maven Central jars of kafka_2.13 (kafka/pom.xml).
#
# Usage: scripts/kafka.sh start|stop|status|topics|reset|tool CLASS [ARGS...]
#   start   fetch the jars if missing, format the storage if new, start the broker in the background,
#           wait until it is ready, create the topics of kafka/topics.txt (idempotent; succeeds when
#           a broker already answers on the port)
#   stop    stop the broker started by 'start' (SIGTERM, then SIGKILL after KAFKA_STOP_TIMEOUT s)
#   status  print whether the broker runs (exit 0) or not (exit 3)
#   topics  list the topics with their partition counts ('topics --all': internal topics too)
#   reset   stop, then delete the data directory
#   tool    run a class of the Kafka jars against the broker's classpath, e.g.
#           scripts/kafka.sh tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server 127.0.0.1:9092 \
#               --topic dln.results --from-beginning
#
# Environment:
#   KAFKA_PORT             client (PLAINTEXT) port on 127.0.0.1          default 9092
#   KAFKA_CONTROLLER_PORT  KRaft controller port on 127.0.0.1            default 9093
#   KAFKA_DATA_DIR         data directory (logs, broker.log, pid file)   default <repo>/.dln/kafka
#   KAFKA_PARTITIONS       partitions of the topics marked "default" in kafka/topics.txt,
#                          and the broker's num.partitions              default 6
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to be ready    default 60
#   KAFKA_STOP_TIMEOUT     seconds to wait after SIGTERM                 default 30
#   KAFKA_HEAP_OPTS        broker heap                                   default -Xms64m -Xmx384m
#   KAFKA_JVM_OPTS         other broker JVM options                      default -XX:+UseSerialGC ...
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
KAFKA_DIR="$ROOT_DIR/kafka"
LIB_DIR="$KAFKA_DIR/target/lib"
ADMIN_CLASSES="$KAFKA_DIR/target/admin-classes"
KAFKA_VERSION=4.1.2

PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
PARTITIONS="${KAFKA_PARTITIONS:-6}"
DATA_DIR="${KAFKA_DATA_DIR:-$ROOT_DIR/.dln/kafka}"
case "$DATA_DIR" in /*) ;; *) DATA_DIR="$PWD/$DATA_DIR" ;; esac
START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms64m -Xmx384m}"
JVM_OPTS="${KAFKA_JVM_OPTS:--XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true}"
TOOL_JVM_OPTS=(-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "-Dlog4j2.configurationFile=$KAFKA_DIR/log4j2-tools.xml")

BOOTSTRAP="127.0.0.1:$PORT"
PID_FILE="$DATA_DIR/broker.pid"
BROKER_LOG="$DATA_DIR/broker.log"
BROKER_OUT="$DATA_DIR/broker.out"
MARKER="$DATA_DIR/.dln-kafka-data"

log() { echo "kafka: $*"; }
die() { echo "kafka: ERROR: $*" >&2; exit 1; }

for n in "$PORT" "$CONTROLLER_PORT" "$PARTITIONS" "$START_TIMEOUT" "$STOP_TIMEOUT"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "not a number: '$n' (check KAFKA_* variables)"
done
[ "$PORT" != "$CONTROLLER_PORT" ] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"

java_home() {
  JAVA_HOME="$("$SCRIPT_DIR/java-home.sh")" || exit 1
  export JAVA_HOME
  # JDK 24+ warns on stderr about sun.misc.Unsafe, which Kafka 4.1 still uses (JEP 498): allow it
  local major
  major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$JAVA_HOME/release" 2>/dev/null || true)"
  if [ -n "$major" ] && [ "$major" -ge 24 ]; then
    UNSAFE_OPTS=(--sun-misc-unsafe-memory-access=allow)
    TOOL_JVM_OPTS+=(--sun-misc-unsafe-memory-access=allow)
  fi
}
UNSAFE_OPTS=()

# true when something accepts TCP connections on 127.0.0.1:$1
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid of the broker started by 'start' (from the pid file, checked against the process table)
broker_pid() {
  local pid
  [ -f "$PID_FILE" ] || return 1
  pid="$(cat "$PID_FILE" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  ps -p "$pid" -o args= 2>/dev/null | grep -q 'kafka\.Kafka' || return 1
  echo "$pid"
}

# client port of the broker started by 'start' for this data directory
broker_port() { cat "$DATA_DIR/broker.port" 2>/dev/null || true; }

ensure_jars() {
  if [ -f "$LIB_DIR/.complete" ] && [ -f "$LIB_DIR/kafka_2.13-$KAFKA_VERSION.jar" ] \
      && [ ! "$KAFKA_DIR/pom.xml" -nt "$LIB_DIR/.complete" ]; then
    return 0
  fi
  log "fetching the Kafka $KAFKA_VERSION jars into ${LIB_DIR#"$ROOT_DIR"/} (Maven)..."
  rm -rf "$LIB_DIR"
  local out; out="$(mktemp)"
  if ! (cd "$ROOT_DIR" && MAVEN_OPTS="${MAVEN_OPTS:-} ${UNSAFE_OPTS[*]}" ./mvnw -q -f kafka/pom.xml dependency:copy-dependencies) > "$out" 2>&1; then
    cat "$out" >&2; rm -f "$out"
    die "could not fetch the Kafka jars (./mvnw -f kafka/pom.xml dependency:copy-dependencies)"
  fi
  rm -f "$out"
  touch "$LIB_DIR/.complete"
}

ensure_admin() {
  if [ -f "$ADMIN_CLASSES/KafkaAdmin.class" ] && [ ! "$KAFKA_DIR/KafkaAdmin.java" -nt "$ADMIN_CLASSES/KafkaAdmin.class" ]; then
    return 0
  fi
  [ -x "$JAVA_HOME/bin/javac" ] || die "no javac in JAVA_HOME=$JAVA_HOME (a JDK is needed to compile kafka/KafkaAdmin.java)"
  rm -rf "$ADMIN_CLASSES"
  "$JAVA_HOME/bin/javac" -nowarn -d "$ADMIN_CLASSES" -cp "$LIB_DIR/*" "$KAFKA_DIR/KafkaAdmin.java" \
    || die "could not compile kafka/KafkaAdmin.java"
}

run_tool() { # CLASS ARGS...
  "$JAVA_HOME/bin/java" "${TOOL_JVM_OPTS[@]}" -cp "$ADMIN_CLASSES:$LIB_DIR/*" "$@"
}

LOG_OFFSET=0  # size of broker.log when this start launched the broker: older lines are not shown
show_log_tail() {
  if [ -s "$BROKER_OUT" ]; then
    echo "----- $BROKER_OUT -----" >&2
    tail -n 20 "$BROKER_OUT" >&2
  fi
  local lines=""
  [ -f "$BROKER_LOG" ] && lines="$(tail -c +$((LOG_OFFSET + 1)) "$BROKER_LOG" | tail -n 40)"
  if [ -n "$lines" ]; then
    echo "----- last lines of $BROKER_LOG -----" >&2
    echo "$lines" >&2
  fi
}

write_properties() {
  sed -e "s|@KAFKA_PORT@|$PORT|g" \
      -e "s|@KAFKA_CONTROLLER_PORT@|$CONTROLLER_PORT|g" \
      -e "s|@KAFKA_DATA_DIR@|$DATA_DIR|g" \
      -e "s|@KAFKA_PARTITIONS@|$PARTITIONS|g" \
      "$KAFKA_DIR/server.properties" > "$DATA_DIR/server.properties"
}

random_cluster_id() { # 16 random bytes, base64url without padding (what kafka-storage random-uuid prints)
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [ "${id:0:1}" != "-" ] && { echo "$id"; return; }
  done
}

format_storage() {
  [ -f "$DATA_DIR/logs/meta.properties" ] && return 0
  local id; id="$(random_cluster_id)"
  log "formatting ${DATA_DIR} (cluster id $id)"
  if ! "$JAVA_HOME/bin/java" "${TOOL_JVM_OPTS[@]}" -cp "$LIB_DIR/*" kafka.tools.StorageTool format \
      --config "$DATA_DIR/server.properties" --cluster-id "$id" --standalone > "$DATA_DIR/format.out" 2>&1; then
    cat "$DATA_DIR/format.out" >&2
    die "formatting the storage failed"
  fi
}

ensure_topics() { # TIMEOUT_SECONDS
  run_tool KafkaAdmin ensure "$BOOTSTRAP" "$KAFKA_DIR/topics.txt" "$PARTITIONS" "$1"
}

cmd_start() {
  local pid start_s
  java_home
  mkdir -p "$DATA_DIR"
  touch "$MARKER"
  # serialize concurrent starts (parallel CI jobs, tests) on this data directory where flock exists
  if command -v flock >/dev/null 2>&1; then
    exec 9> "$DATA_DIR/.start.lock"
    flock -w $((START_TIMEOUT + 120)) 9 || die "another 'kafka.sh start' holds $DATA_DIR/.start.lock"
  fi
  if port_open "$PORT"; then
    if pid="$(broker_pid)" && [ "$(broker_port)" = "$PORT" ]; then
      log "broker already running on $BOOTSTRAP (pid $pid)"
    else
      log "something already answers on $BOOTSTRAP (not started by this script): using it as the broker"
    fi
    ensure_jars; ensure_admin
    ensure_topics 20 || die "$BOOTSTRAP answers but is not a usable Kafka broker"
    return 0
  fi
  ensure_jars; ensure_admin
  start_s=$SECONDS  # the timeout does not include fetching the jars
  if pid="$(broker_pid)"; then
    local its_port; its_port="$(broker_port)"
    [ "$its_port" = "$PORT" ] \
      || die "the broker of ${DATA_DIR} (pid $pid) runs on port ${its_port:-?}, not $PORT: stop it first or use another KAFKA_DATA_DIR"
    log "broker (pid $pid) is starting, waiting for it..."
  else
    ! port_open "$CONTROLLER_PORT" || die "the controller port 127.0.0.1:$CONTROLLER_PORT is taken by another process (set KAFKA_CONTROLLER_PORT)"
    write_properties
    format_storage
    : > "$BROKER_OUT"
    if [ -f "$BROKER_LOG" ]; then LOG_OFFSET="$(wc -c < "$BROKER_LOG" | tr -d ' ')"; fi
    # shellcheck disable=SC2086
    nohup "$JAVA_HOME/bin/java" $HEAP_OPTS $JVM_OPTS ${UNSAFE_OPTS[@]+"${UNSAFE_OPTS[@]}"} \
      -Dkafka.logs.dir="$DATA_DIR" -Dlog4j2.configurationFile="$KAFKA_DIR/log4j2.xml" \
      -cp "$LIB_DIR/*" kafka.Kafka "$DATA_DIR/server.properties" >> "$BROKER_OUT" 2>&1 < /dev/null 9>&- &
    pid=$!
    echo "$pid" > "$PID_FILE"
    echo "$PORT" > "$DATA_DIR/broker.port"
    log "started broker (pid $pid) on $BOOTSTRAP, controller 127.0.0.1:$CONTROLLER_PORT, data ${DATA_DIR}"
  fi
  local deadline=$((start_s + START_TIMEOUT))
  until port_open "$PORT"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      show_log_tail
      die "the broker exited during startup (logs: $BROKER_LOG, $BROKER_OUT)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      show_log_tail
      cmd_stop >&2 || true
      die "the broker did not open $BOOTSTRAP within ${START_TIMEOUT} s (stopped it again)"
    fi
    sleep 0.2
  done
  local left=$((deadline - SECONDS)); [ "$left" -ge 5 ] || left=5
  if ! ensure_topics "$left"; then
    show_log_tail
    cmd_stop >&2 || true
    die "the broker was not ready within ${START_TIMEOUT} s (stopped it again)"
  fi
  log "ready in $((SECONDS - start_s)) s: bootstrap servers $BOOTSTRAP"
}

cmd_stop() {
  local pid
  if ! pid="$(broker_pid)"; then
    rm -f "$PID_FILE"
    if port_open "$PORT"; then
      log "not started by this script, but something answers on $BOOTSTRAP: leaving it alone"
    else
      log "not running"
    fi
    return 0
  fi
  log "stopping broker (pid $pid)..."
  kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge $((STOP_TIMEOUT * 5)) ]; then
      log "still running after ${STOP_TIMEOUT} s: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2; waited=$((waited + 1))
  done
  rm -f "$PID_FILE" "$DATA_DIR/broker.port"
  log "stopped"
}

cmd_status() {
  local pid
  if pid="$(broker_pid)"; then
    local rss its_port
    rss="$(ps -p "$pid" -o rss= 2>/dev/null | tr -d ' ')"
    its_port="$(broker_port)"; its_port="${its_port:-$PORT}"
    if port_open "$its_port"; then
      log "running (pid $pid, RSS $((rss / 1024)) MiB) on 127.0.0.1:$its_port, data ${DATA_DIR}"
    else
      log "starting (pid $pid), 127.0.0.1:$its_port not open yet, data ${DATA_DIR}"
    fi
    return 0
  fi
  if port_open "$PORT"; then
    log "something not started by this script answers on $BOOTSTRAP"
    return 0
  fi
  log "not running ($BOOTSTRAP closed, data ${DATA_DIR})"
  return 3
}

cmd_topics() {
  java_home
  port_open "$PORT" || die "no broker on $BOOTSTRAP (scripts/kafka.sh start)"
  ensure_jars; ensure_admin
  run_tool KafkaAdmin list "$BOOTSTRAP" "$@"
}

cmd_reset() {
  cmd_stop
  if [ -d "$DATA_DIR" ]; then
    [ -f "$MARKER" ] || [ -z "$(ls -A "$DATA_DIR")" ] \
      || die "$DATA_DIR does not look like a data directory of this script (no $(basename "$MARKER")): not deleting it"
    rm -rf "$DATA_DIR"
    log "deleted ${DATA_DIR}"
  else
    log "nothing to delete (${DATA_DIR} does not exist)"
  fi
}

cmd_tool() {
  [ $# -ge 1 ] || die "usage: scripts/kafka.sh tool CLASS [ARGS...]"
  java_home; ensure_jars; ensure_admin
  run_tool "$@"
}

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  topics) cmd_topics "$@" ;;
  reset) cmd_reset ;;
  tool) cmd_tool "$@" ;;
  -h|--help|help) usage ;;
  *) usage >&2; exit 2 ;;
esac
