#!/usr/bin/env bash
# Usage: scripts/local-stack.sh start|stop [part...]|status
# The whole system without Docker: the six services as local processes and the gateway as a
# local nginx on http://localhost:${GATEWAY_PORT:-8080}, against the RabbitMQ that the
# SPRING_RABBITMQ_* variables name (default localhost:5672, vhost /). Those and ADMIN_USERNAME /
# ADMIN_PASSWORD pass on to every service.
#   start   builds the jars if missing or stale, starts whatever part is not running, and waits
#           until every part is ready; on failure it stops what it started and exits non-zero
#   stop    stops exactly the processes it started (only the named parts, if any are named:
#           reporte logger app1 app2 app3 panel gateway)
#   status  tells which parts are up
# Logs, PIDs, reporte's counts and the logger's history live in .local-stack/ (ignored by git).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
state="$root/.local-stack"
gateway_port="${GATEWAY_PORT:-8080}"
broker_host="${SPRING_RABBITMQ_HOST:-localhost}"
broker_port="${SPRING_RABBITMQ_PORT:-5672}"
ready_seconds="${LOCAL_STACK_READY_SECONDS:-180}"
# shellcheck source=scripts/java-opts.sh
. "$root/scripts/java-opts.sh"

# name, module, port, extra environment
parts=(
  "reporte|reporte-service|8084|REGISTRO_REPORTE_STATE_FILE=$state/reporte-data/counts.json"
  "logger|logger-service|8085|REGISTRO_LOGGER_DIRECTORY=$state/logger-data"
  "app1|cliente-service|8081|SERVICE_ID=app1"
  "app2|cliente-service|8082|SERVICE_ID=app2"
  "app3|cliente-service|8083|SERVICE_ID=app3"
  "panel|panel-service|8086|"
)

usage() { echo "Usage: $0 start|stop [part...]|status" >&2; exit 2; }
fail() { echo "error: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# The PID of a part we started, if that process is still ours and alive.
running_pid() {
  local name="$1" pidfile="$state/pids/$1.pid" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # A recycled PID belongs to someone else: only a process started with our marker counts.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-Dregistro.local-stack=$name\|$state/nginx" || return 1
  echo "$pid"
}

ready() {
  local name="$1" port="$2"
  if [ "$name" = gateway ]; then
    curl -sf -o /dev/null "http://127.0.0.1:$gateway_port/healthz"
  else
    curl -sf -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness"
  fi
}

build_if_needed() {
  local stale=0 module jar
  for module in cliente-service reporte-service logger-service panel-service; do
    jar="$root/$module/target/$module.jar"
    if [ ! -f "$jar" ] || [ -n "$(find "$root/$module/src" "$root/$module/pom.xml" "$root/registro-contract/src" \
        "$root/registro-support/src" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
      stale=1
    fi
  done
  if [ "$stale" = 1 ]; then
    echo "Building the jars"
    (cd "$root" && ./mvnw -B -q -DskipTests -pl cliente-service,reporte-service,logger-service,panel-service -am package)
    # Maven leaves a jar that is already up to date untouched: mark all as built now.
    for module in cliente-service reporte-service logger-service panel-service; do
      touch "$root/$module/target/$module.jar"
    done
  fi
}

render_gateway() {
  mkdir -p "$state/nginx/logs" "$state/nginx/temp"
  GATEWAY_LISTEN="127.0.0.1:$gateway_port" CLIENTE_UNO_ADDR=127.0.0.1:8081 CLIENTE_DOS_ADDR=127.0.0.1:8082 \
    CLIENTE_TRES_ADDR=127.0.0.1:8083 REPORTE_ADDR=127.0.0.1:8084 LOGGER_ADDR=127.0.0.1:8085 PANEL_ADDR=127.0.0.1:8086 \
    envsubst '${GATEWAY_LISTEN} ${CLIENTE_UNO_ADDR} ${CLIENTE_DOS_ADDR} ${CLIENTE_TRES_ADDR} ${REPORTE_ADDR} ${LOGGER_ADDR} ${PANEL_ADDR}' \
    <"$root/gateway-nginx/gateway.conf.template" >"$state/nginx/gateway.conf"
  local user_line=""
  [ "$(id -u)" -eq 0 ] && user_line="user root;"
  cat >"$state/nginx/nginx.conf" <<CONF
# Written by scripts/local-stack.sh: the local frame around gateway-nginx/gateway.conf.template.
$user_line
worker_processes 1;
pid $state/nginx/nginx.pid;
error_log $state/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log $state/nginx/logs/access.log combined buffer=64k flush=1s;
    client_body_temp_path $state/nginx/temp/body;
    proxy_temp_path $state/nginx/temp/proxy;
    fastcgi_temp_path $state/nginx/temp/fastcgi;
    uwsgi_temp_path $state/nginx/temp/uwsgi;
    scgi_temp_path $state/nginx/temp/scgi;
    keepalive_timeout 65;
    include $state/nginx/gateway.conf;
}
CONF
  "$nginx" -t -q -p "$state/nginx" -c "$state/nginx/nginx.conf" || fail "the rendered gateway configuration is invalid"
}

start() {
  command -v java >/dev/null || fail "java is not installed (Java 17 or newer is needed)"
  nginx="$(command -v nginx || true)"
  [ -n "$nginx" ] || [ ! -x /usr/sbin/nginx ] || nginx=/usr/sbin/nginx
  [ -n "$nginx" ] || fail "nginx is not installed (on Debian: apt-get install nginx); nothing was started"
  command -v envsubst >/dev/null || fail "envsubst is not installed (on Debian: apt-get install gettext-base); nothing was started"
  command -v curl >/dev/null || fail "curl is not installed; nothing was started"
  port_open "$broker_host" "$broker_port" ||
    fail "no RabbitMQ answers at $broker_host:$broker_port (set SPRING_RABBITMQ_HOST/PORT, or start one: scripts/ensure-rabbitmq.sh); nothing was started"

  mkdir -p "$state/pids" "$state/logs"
  local entry name module port extra started=() pid
  for entry in "${parts[@]}" "gateway|||"; do
    IFS='|' read -r name module port extra <<<"$entry"
    if running_pid "$name" >/dev/null; then continue; fi
    [ "$name" = gateway ] && port="$gateway_port"
    if port_open 127.0.0.1 "$port"; then
      fail "port $port (for $name) is taken by another program; nothing more was started"
    fi
  done
  build_if_needed

  for entry in "${parts[@]}"; do
    IFS='|' read -r name module port extra <<<"$entry"
    if running_pid "$name" >/dev/null; then continue; fi
    # shellcheck disable=SC2086 # $extra is one NAME=value word or empty; $java_opts, words
    env SERVER_PORT="$port" $extra nohup java -Dregistro.local-stack="$name" $java_opts \
      -jar "$root/$module/target/$module.jar" >"$state/logs/$name.log" 2>&1 &
    echo $! >"$state/pids/$name.pid"
    started+=("$name")
  done
  if ! running_pid gateway >/dev/null; then
    render_gateway
    nohup "$nginx" -p "$state/nginx" -c "$state/nginx/nginx.conf" -g 'daemon off;' >"$state/logs/gateway.log" 2>&1 &
    echo $! >"$state/pids/gateway.pid"
    started+=(gateway)
  fi

  echo "Waiting for every part to be ready (at most ${ready_seconds}s)"
  local deadline=$((SECONDS + ready_seconds)) waiting
  while :; do
    waiting=()
    for entry in "${parts[@]}" "gateway|||"; do
      IFS='|' read -r name module port extra <<<"$entry"
      if ! running_pid "$name" >/dev/null; then
        echo "error: $name exited; the end of its log:" >&2
        tail -n 20 "$state/logs/$name.log" >&2 || true
        stop_parts "${started[@]}"
        exit 1
      fi
      ready "$name" "$port" || waiting+=("$name")
    done
    [ "${#waiting[@]}" -eq 0 ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "error: not ready within ${ready_seconds}s: ${waiting[*]} (logs in $state/logs)" >&2
      stop_parts "${started[@]}"
      exit 1
    fi
    sleep 1
  done

  cat <<URLS
registro is up behind http://localhost:$gateway_port
  register      curl http://localhost:$gateway_port/cliente/uno   (and /cliente/dos, /cliente/tres)
  counts        curl -u ${ADMIN_USERNAME:-admin}:<password> http://localhost:$gateway_port/reporte   (/reportes: JSON)
  central log   http://localhost:$gateway_port/logs
  panel         http://localhost:$gateway_port/panel
  health        http://localhost:$gateway_port/healthz
Logs and PIDs in $state; stop with: $0 stop
URLS
}

# Stops the named parts (all when none are named), each the process we started, and waits for it.
stop_parts() {
  local names=("$@") name pid waited
  [ "${#names[@]}" -gt 0 ] || names=(gateway panel app1 app2 app3 logger reporte)
  for name in "${names[@]}"; do
    if pid="$(running_pid "$name")"; then
      kill "$pid" 2>/dev/null || true
      waited=0
      while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 30 ]; do sleep 1; waited=$((waited + 1)); done
      if kill -0 "$pid" 2>/dev/null; then
        echo "$name did not stop within 30 s; killing it" >&2
        kill -9 "$pid" 2>/dev/null || true
      fi
      echo "stopped $name"
    fi
    rm -f "$state/pids/$name.pid"
  done
}

status() {
  local entry name module port extra pid any=1
  for entry in "${parts[@]}" "gateway|||"; do
    IFS='|' read -r name module port extra <<<"$entry"
    [ "$name" = gateway ] && port="$gateway_port"
    if pid="$(running_pid "$name")"; then
      if ready "$name" "$port"; then echo "$name: up (pid $pid, port $port)"; any=0
      else echo "$name: starting or not ready (pid $pid, port $port)"; any=0; fi
    else
      echo "$name: down"
    fi
  done
  return "$any"
}

case "${1:-}" in
  start) start ;;
  stop)
    shift
    for name in "$@"; do
      case " reporte logger app1 app2 app3 panel gateway " in *" $name "*) ;; *) fail "no part named '$name'" ;; esac
    done
    stop_parts "$@" ;;
  status) status ;;
  *) usage ;;
esac
