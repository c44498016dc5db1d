#!/usr/bin/env bash
# Usage: scripts/local-stack.sh start|stop [part...]|status
# The whole system without Docker: the six services as local processes and the gateway as a
# local nginx on http://localhost:${GATEWAY_PORT:-8080}, against the RabbitMQ that the
# SPRING_RABBITMQ_* variables name (default localhost:5672, vhost /; SPRING_RABBITMQ_ADDRESSES,
# e.g. what scripts/rabbitmq-cluster.sh prints, names the nodes of a cluster instead of one
# host and port). Those and ADMIN_USERNAME / ADMIN_PASSWORD pass on to every service. The services listen on the ports after the
# gateway's: app1, app2, app3, reporte, logger, panel on LOCAL_STACK_BASE_PORT (8080) + 1 to + 6;
# LOCAL_STACK_STATE (.local-stack) holds everything a run writes, so a second
# stack (the end-to-end tests') runs beside a user's with a base port and a folder of its own.
# Everything listens on 127.0.0.1 only. With GATEWAY_TLS_CERT and GATEWAY_TLS_KEY (PEM files;
# scripts/gateway-tls-cert.sh makes a self-signed pair) the gateway serves HTTPS on
# GATEWAY_TLS_PORT (base port + 363: 8443) and its HTTP port only redirects there.
# GATEWAY_ADMIN_RATE: requests per second per client address on the admin routes (10).
# LOCAL_STACK_REPLICAS=2 adds logger-2 (port + 7): a second logger with a queue (logger.2) and a
# history of its own, which the gateway's /logs falls back on while the first does not answer;
# and reporte-2 (port + 8): both reportes then keep the counts in RabbitMQ's reporte.changelog
# stream instead of the state file (REGISTRO_REPORTE_STORE=stream), one counts at a time, and
# the gateway balances the reports over both. The two stores are separate: a reporte that runs
# with the other one must be stopped first (stop reporte).
#   start   builds the jars if missing or stale, starts whatever part is not running, and waits
#           until every part is ready; on failure it stops what it started and exits non-zero
#   stop    stops exactly the processes it started (only the named parts, if any are named:
#           reporte reporte-2 logger logger-2 app1 app2 app3 panel gateway)
#   status  tells which parts are up
# Logs, PIDs, reporte's counts and the logger's history live in the state folder (ignored by git).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
state="$(mkdir -p "${LOCAL_STACK_STATE:-$root/.local-stack}" && cd "${LOCAL_STACK_STATE:-$root/.local-stack}" && pwd)"
# The brokers the services will try, as host:port separated by commas.
brokers="${SPRING_RABBITMQ_ADDRESSES:-${SPRING_RABBITMQ_HOST:-localhost}:${SPRING_RABBITMQ_PORT:-5672}}"
ready_seconds="${LOCAL_STACK_READY_SECONDS:-180}"
# shellcheck source=scripts/java-opts.sh
. "$root/scripts/java-opts.sh"

usage() { echo "Usage: $0 start|stop [part...]|status" >&2; exit 2; }
fail() { echo "error: $*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Whether one of the brokers takes connections (an address may carry amqp://, credentials or a
# virtual host, as Spring Boot allows).
broker_answers() {
  local address host_port
  for address in ${brokers//,/ }; do
    host_port="${address#*://}"
    host_port="${host_port#*@}"
    host_port="${host_port%%/*}"
    [[ "$host_port" == *:* ]] || host_port="$host_port:5672"
    port_open "${host_port%:*}" "${host_port##*:}" && return 0
  done
  return 1
}

# The PID of a part we started, if that process is still ours and alive.
running_pid() {
  local name="$1" pidfile="$state/pids/$1.pid" pid
  [ -f "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  # A recycled PID belongs to someone else: only a process started with our marker counts.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-Dregistro.local-stack=$state/$name\|$state/nginx" || return 1
  echo "$pid"
}

# Every part a stack may have, in the order they stop: the gateway first, so that nothing comes
# in while the rest go; reporte last.
all_parts=(gateway panel app1 app2 app3 logger-2 logger reporte-2 reporte)

# A stack that runs keeps the ports it was started with; a new one takes them from the environment.
base_port="${LOCAL_STACK_BASE_PORT:-8080}"
gateway_port="${GATEWAY_PORT:-$base_port}"
gateway_tls_port="${GATEWAY_TLS_PORT:-$((base_port + 363))}"
for name in "${all_parts[@]}"; do
  if running_pid "$name" >/dev/null && [ -f "$state/ports" ]; then
    # shellcheck source=/dev/null # written by start: base_port=… gateway_port=… gateway_tls_port=…
    . "$state/ports"
    break
  fi
done

port_of() {
  case "$1" in
    app1) echo $((base_port + 1)) ;; app2) echo $((base_port + 2)) ;; app3) echo $((base_port + 3)) ;;
    reporte) echo $((base_port + 4)) ;; logger) echo $((base_port + 5)) ;; panel) echo $((base_port + 6)) ;;
    logger-2) echo $((base_port + 7)) ;; reporte-2) echo $((base_port + 8)) ;;
  esac
}

# The panel reaches every part directly, and shows each client with its route through the gateway.
panel_environment="REGISTRO_PANEL_REPORTE_URL=http://127.0.0.1:$(port_of reporte) REGISTRO_PANEL_LOGGER_URL=http://127.0.0.1:$(port_of logger)"
i=0
for client in app1:/cliente/uno app2:/cliente/dos app3:/cliente/tres; do
  panel_environment+=" REGISTRO_PANEL_CLIENTS_${i}_SERVICEID=${client%%:*} REGISTRO_PANEL_CLIENTS_${i}_ROUTE=${client#*:}"
  panel_environment+=" REGISTRO_PANEL_CLIENTS_${i}_URL=http://127.0.0.1:$(port_of "${client%%:*}")"
  i=$((i + 1))
done

replicas="${LOCAL_STACK_REPLICAS:-1}"
case "$replicas" in 1 | 2) ;; *) fail "LOCAL_STACK_REPLICAS must be 1 or 2, not '$replicas'" ;; esac
# Once started, the second instances belong to the stack until they are stopped, whatever the
# setting says now.
if running_pid reporte-2 >/dev/null || running_pid logger-2 >/dev/null; then replicas=2; fi
reporte_store=file
[ "$replicas" = 1 ] || reporte_store=stream

# name, module, port, extra environment
parts=(
  "reporte|reporte-service|$(port_of reporte)|REGISTRO_REPORTE_STORE=$reporte_store REGISTRO_REPORTE_STATE_FILE=$state/reporte-data/counts.json"
  "logger|logger-service|$(port_of logger)|REGISTRO_LOGGER_DIRECTORY=$state/logger-data"
  "app1|cliente-service|$(port_of app1)|SERVICE_ID=app1"
  "app2|cliente-service|$(port_of app2)|SERVICE_ID=app2"
  "app3|cliente-service|$(port_of app3)|SERVICE_ID=app3"
  "panel|panel-service|$(port_of panel)|$panel_environment"
)
standby_logger=""
second_reporte=""
if [ "$replicas" = 2 ]; then
  parts+=("reporte-2|reporte-service|$(port_of reporte-2)|REGISTRO_REPORTE_STORE=stream")
  parts+=("logger-2|logger-service|$(port_of logger-2)|REGISTRO_LOGGER_DIRECTORY=$state/logger-2-data REGISTRO_LOGGER_QUEUE=logger.2")
  second_reporte="127.0.0.1:$(port_of reporte-2)"
  standby_logger="127.0.0.1:$(port_of logger-2)"
fi

# HTTPS when a certificate and its key are given (render.sh checks the files).
tls=off
[ -z "${GATEWAY_TLS_CERT:-}" ] || [ -z "${GATEWAY_TLS_KEY:-}" ] || tls=on

ready() {
  local name="$1" port="$2"
  if [ "$name" = gateway ]; then
    curl -sf -o /dev/null "http://127.0.0.1:$gateway_port/healthz"
  else
    curl -sf -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness"
  fi
}

render_gateway() {
  mkdir -p "$state/nginx/logs" "$state/nginx/temp"
  GATEWAY_LISTEN="127.0.0.1:$gateway_port" GATEWAY_TLS_LISTEN="127.0.0.1:$gateway_tls_port" \
    CLIENTE_UNO_ADDR="127.0.0.1:$(port_of app1)" CLIENTE_DOS_ADDR="127.0.0.1:$(port_of app2)" \
    CLIENTE_TRES_ADDR="127.0.0.1:$(port_of app3)" REPORTE_ADDR="127.0.0.1:$(port_of reporte)" REPORTE_REPLICA_ADDR="$second_reporte" \
    LOGGER_ADDR="127.0.0.1:$(port_of logger)" LOGGER_STANDBY_ADDR="$standby_logger" PANEL_ADDR="127.0.0.1:$(port_of panel)" \
    "$root/gateway-nginx/render.sh" "$state/nginx/gateway.conf" >/dev/null || fail "the gateway could not be configured"
  local user_line=""
  [ "$(id -u)" -eq 0 ] && user_line="user root;"
  cat >"$state/nginx/nginx.conf" <<CONF
# Written by scripts/local-stack.sh: the local frame around what gateway-nginx/render.sh renders.
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
  broker_answers ||
    fail "no RabbitMQ answers at $brokers (set SPRING_RABBITMQ_HOST/PORT or SPRING_RABBITMQ_ADDRESSES, or start one: scripts/ensure-rabbitmq.sh); nothing was started"

  if running_pid reporte >/dev/null && [ "$(cat "$state/reporte.store" 2>/dev/null || echo file)" != "$reporte_store" ]; then
    fail "reporte runs with its counts in the $(cat "$state/reporte.store" 2>/dev/null || echo file) store, and LOCAL_STACK_REPLICAS=$replicas needs the $reporte_store store: stop it first ($0 stop reporte); nothing was started"
  fi
  mkdir -p "$state/pids" "$state/logs"
  printf 'base_port=%s\ngateway_port=%s\ngateway_tls_port=%s\n' "$base_port" "$gateway_port" "$gateway_tls_port" >"$state/ports"
  local entry name module port extra started=() pid
  for entry in "${parts[@]}" "gateway|||"; do
    IFS='|' read -r name module port extra <<<"$entry"
    if running_pid "$name" >/dev/null; then continue; fi
    [ "$name" = gateway ] && port="$gateway_port"
    if port_open 127.0.0.1 "$port" || { [ "$name" = gateway ] && [ "$tls" = on ] && port_open 127.0.0.1 "$gateway_tls_port"; }; then
      fail "port $port (for $name) is taken by another program; nothing more was started"
    fi
  done
  "$root/scripts/build-jars.sh"

  for entry in "${parts[@]}"; do
    IFS='|' read -r name module port extra <<<"$entry"
    if running_pid "$name" >/dev/null; then continue; fi
    # shellcheck disable=SC2086 # $extra is NAME=value words or empty; $java_opts, words
    env SERVER_ADDRESS=127.0.0.1 SERVER_PORT="$port" $extra nohup java -Dregistro.local-stack="$state/$name" $java_opts \
      -jar "$root/$module/target/$module.jar" >"$state/logs/$name.log" 2>&1 &
    echo $! >"$state/pids/$name.pid"
    [ "$name" != reporte ] || echo "$reporte_store" >"$state/reporte.store"
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
        why_it_exited "$name" >&2
        echo "(its whole log: $state/logs/$name.log)" >&2
        [ "${#started[@]}" -eq 0 ] || stop_parts "${started[@]}"
        exit 1
      fi
      ready "$name" "$port" || waiting+=("$name")
    done
    [ "${#waiting[@]}" -eq 0 ] && break
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "error: not ready within ${ready_seconds}s: ${waiting[*]} (logs in $state/logs)" >&2
      [ "${#started[@]}" -eq 0 ] || stop_parts "${started[@]}"
      exit 1
    fi
    sleep 1
  done

  if [ "${#started[@]}" -eq 0 ]; then
    echo "registro was already running; nothing was started"
  else
    echo "started ${started[*]}"
  fi
  local address="http://localhost:$gateway_port"
  [ "$tls" = off ] || address="https://localhost:$gateway_tls_port"
  cat <<URLS
registro is up behind $address
  register      curl $address/cliente/uno   (and /cliente/dos, /cliente/tres)
  counts        curl -u ${ADMIN_USERNAME:-admin}:<password> $address/reporte   (/reportes: JSON)
  central log   $address/logs
  panel         $address/panel
  health        http://localhost:$gateway_port/healthz
Logs and PIDs in $state; stop with: $0 stop
URLS
}

# Why a part exited: Spring Boot's own description of a failed start where there is one (a
# queue of the broker that registro cannot use, say), the end of its log otherwise.
why_it_exited() {
  local log="$state/logs/$1.log"
  if grep -q '^APPLICATION FAILED TO START' "$log" 2>/dev/null; then
    echo "error: $1 did not start: $(sed -n '/^Description:/,/^Action:/p' "$log" | sed '1d;$d' | grep -v '^$' | head -n 5)"
    sed -n '/^Action:/,$p' "$log" | sed '1d' | grep -v '^$' | head -n 3
  else
    echo "error: $1 exited; the end of its log:"
    tail -n 20 "$log" || true
  fi
}

# Stops the named parts (all when none are named), each the process we started, and waits for it.
stop_parts() {
  local names=("$@") name pid waited stopped=0
  [ "${#names[@]}" -gt 0 ] || names=("${all_parts[@]}")
  for name in "${names[@]}"; do
    if pid="$(running_pid "$name")"; then
      stopped=$((stopped + 1))
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
  [ "$stopped" -gt 0 ] || echo "nothing to stop: ${names[*]} not running"
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
      case " ${all_parts[*]} " in *" $name "*) ;; *) fail "no part named '$name'" ;; esac
    done
    stop_parts "$@" ;;
  status) status ;;
  "") usage ;;
  *) echo "error: no command '$1'" >&2; usage ;;
esac
