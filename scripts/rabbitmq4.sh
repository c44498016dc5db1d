#!/usr/bin/env bash
# Usage: scripts/rabbitmq4.sh start|stop|restart|kill|destroy|status|version|ctl ARGS...
# A RabbitMQ 4 node on this machine without Docker, beside any other broker it runs: Debian's own
# rabbitmq-server package in a root of its own (debootstrap, built once into .rabbitmq4/, about a
# minute and 400 MB), run with chroot as root. AMQP and the management UI listen on 127.0.0.1 only.
#   start    builds the root if it is missing, starts the node and waits until it takes
#            connections; says so and does nothing more when it is already running
#   stop     stops the node, and once no node of the root is left, everything the root started
#            (its epmd)
#   restart  stop, then start: every connection drops and the queues recover from disk
#   kill     kills the node at once (SIGKILL), as a crash would; start brings it back
#   destroy  stops the node and deletes its data and configuration
#   status   tells whether the node runs (exit 0) or not (exit 3)
#   version  prints the RabbitMQ version the root carries
#   ctl      runs rabbitmqctl against the node, e.g. `ctl list_queues -p registro-test`
# Settings (environment):
#   RABBITMQ4_NODE             node name, also the name of its data folder (rabbit4)
#   RABBITMQ4_PORT             AMQP port (5673)
#   RABBITMQ4_MANAGEMENT_PORT  management UI and HTTP API port (15673)
#   RABBITMQ4_DIST_PORT        Erlang distribution port (25673)
#   RABBITMQ4_EPMD_PORT        the root's own epmd, shared by its nodes (4370)
#   RABBITMQ4_SUITE            Debian suite the root is built from: sid carries 4.3.x, the series
#                              docker-compose.yml ships; trixie carries 4.0.5 (sid)
#   RABBITMQ4_ROOT             where the root is built (.rabbitmq4/<suite>)
#   RABBITMQ4_MIRROR           Debian mirror (http://deb.debian.org/debian)
#   RABBITMQ4_WAIT_SECONDS     how long start waits for the node (120)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
suite="${RABBITMQ4_SUITE:-sid}"
root="${RABBITMQ4_ROOT:-$repo/.rabbitmq4/$suite}"
mirror="${RABBITMQ4_MIRROR:-http://deb.debian.org/debian}"
node="${RABBITMQ4_NODE:-rabbit4}"
amqp_port="${RABBITMQ4_PORT:-5673}"
management_port="${RABBITMQ4_MANAGEMENT_PORT:-15673}"
dist_port="${RABBITMQ4_DIST_PORT:-25673}"
epmd_port="${RABBITMQ4_EPMD_PORT:-4370}"
wait_seconds="${RABBITMQ4_WAIT_SECONDS:-120}"

# Inside the root: the node's configuration, and a folder with its data, logs and PID file.
node_dir="/var/lib/rabbitmq/nodes/$node"
node_conf="/etc/rabbitmq/nodes/$node.conf"
node_plugins="/etc/rabbitmq/nodes/$node.plugins"
pid_file="$node_dir/pid"

usage() { echo "Usage: $0 start|stop|restart|kill|destroy|status|version|ctl ARGS..." >&2; exit 2; }
fail() { echo "error: $*" >&2; exit 1; }

case "$node" in
  *[!A-Za-z0-9_-]* | "") fail "RABBITMQ4_NODE must be letters, digits, '_' or '-': '$node'" ;;
esac

# What a command inside the root sees of the environment: only what the node needs.
root_env=(env -i HOME=/var/lib/rabbitmq PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
  ERL_EPMD_PORT="$epmd_port" RABBITMQ_NODENAME="$node@localhost")

# A command inside the root. It gets the /proc that Erlang needs in a mount namespace of its own
# that ends with it: nothing is mounted where the host, or a grep through the checkout, meets it.
in_root() { unshare --mount-proc="$root/proc" -- chroot "$root" "${root_env[@]}" "$@"; }

ctl() { in_root /usr/lib/rabbitmq/bin/rabbitmqctl -n "$node@localhost" "$@"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

built() { [ -f "$root/.registro-root" ]; }

root_version() { cat "$root/.registro-root"; }

need_root() {
  [ "$(id -u)" -eq 0 ] || fail "a RabbitMQ 4 root needs root (chroot, mount); run this as root"
}

build_root() {
  built && return 0
  need_root
  local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  if ! command -v debootstrap >/dev/null 2>&1 || [ ! -f "$keyring" ]; then
    echo "Installing debootstrap and Debian's archive keyring" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap debian-archive-keyring >/dev/null
  fi
  local partial="$root.partial"
  rm -rf "$partial"
  mkdir -p "$partial"
  echo "Building a Debian $suite root with rabbitmq-server in $root (about a minute, once)" >&2
  if ! debootstrap --variant=minbase --include=rabbitmq-server --keyring="$keyring" "$suite" "$partial" "$mirror" \
      >"$root.log" 2>&1; then
    tail -n 20 "$root.log" >&2
    fail "debootstrap of Debian $suite failed (whole log: $root.log)"
  fi
  # debootstrap leaves no hosts file on every suite, and Erlang must resolve localhost.
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$partial/etc/hosts"
  chroot "$partial" apt-get clean
  mkdir -p "$partial/etc/rabbitmq/nodes" "$partial/var/lib/rabbitmq/nodes"
  local version
  version="$(basename "$(ls -d "$partial"/usr/lib/rabbitmq/lib/rabbitmq_server-* | head -n 1)")"
  echo "${version#rabbitmq_server-}" >"$partial/.registro-root"
  mv "$partial" "$root"
  rm -f "$root.log"
}

# PIDs of the processes whose root is ours.
root_processes() {
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && echo "${p#/proc/}"
  done
  return 0
}

node_pid() {
  local pid
  [ -f "$root$pid_file" ] || return 1
  pid="$(cat "$root$pid_file")"
  [ -n "$pid" ] && [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$root" ] || return 1
  echo "$pid"
}

running() { built && node_pid >/dev/null && port_open "$amqp_port"; }

write_config() {
  mkdir -p "$root/etc/rabbitmq/nodes" "$root$node_dir"
  cat >"$root$node_conf" <<CONF
# Written by scripts/rabbitmq4.sh for node $node.
listeners.tcp.1 = 127.0.0.1:$amqp_port
management.tcp.ip = 127.0.0.1
management.tcp.port = $management_port
CONF
  # What registro asks of every RabbitMQ, as compose mounts it.
  cat "$repo/rabbitmq/registro.conf" >>"$root$node_conf"
  echo "[rabbitmq_management]." >"$root$node_plugins"
}

start() {
  if running; then
    echo "RabbitMQ $(root_version) (node $node) is already running on 127.0.0.1:$amqp_port"
    return 0
  fi
  need_root
  build_root
  if node_pid >/dev/null; then
    fail "node $node runs (pid $(node_pid)) but does not answer on 127.0.0.1:$amqp_port; stop it first"
  fi
  local port
  for port in "$amqp_port" "$management_port" "$dist_port"; do
    port_open "$port" && fail "port $port (for node $node) is taken by another program; nothing was started"
  done
  write_config
  rm -f "$root$pid_file"
  echo "Starting RabbitMQ $(root_version) (node $node) on 127.0.0.1:$amqp_port"
  # Holding none of this script's output open: a caller reading it through a pipe gets its end.
  in_root RABBITMQ_CONFIG_FILE="$node_conf" RABBITMQ_ENABLED_PLUGINS_FILE="$node_plugins" \
    RABBITMQ_DIST_PORT="$dist_port" RABBITMQ_PID_FILE="$pid_file" \
    RABBITMQ_MNESIA_BASE="$node_dir/mnesia" RABBITMQ_LOG_BASE="$node_dir/log" \
    sh -c "cd '$node_dir' && exec setsid /usr/lib/rabbitmq/bin/rabbitmq-server >'$node_dir/console.log' 2>&1 </dev/null" >/dev/null 2>&1 </dev/null &
  if ! ctl wait --timeout "$wait_seconds" "$pid_file" >/dev/null 2>&1 || ! ctl await_startup >/dev/null 2>&1; then
    echo "error: node $node did not start; the end of its log:" >&2
    tail -n 30 "$root$node_dir/console.log" >&2 || true
    stop_node
    exit 1
  fi
  local deadline=$((SECONDS + wait_seconds))
  until port_open "$amqp_port"; do
    [ "$SECONDS" -lt "$deadline" ] || { stop_node; fail "node $node took no connection on $amqp_port within ${wait_seconds}s"; }
    sleep 0.2
  done
  echo "RabbitMQ $(root_version) is up: amqp://127.0.0.1:$amqp_port, management http://127.0.0.1:$management_port (guest/guest)"
}

stop_node() {
  local pid
  if pid="$(node_pid)"; then
    ctl stop "$pid_file" >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
    local waited=0
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 300 ]; do sleep 0.1; waited=$((waited + 1)); done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
    echo "stopped RabbitMQ node $node"
  else
    echo "RabbitMQ node $node was not running"
  fi
  rm -f "$root$pid_file"
  # The last node of the root takes the root's epmd with it.
  if [ -z "$(in_root /usr/lib/erlang/bin/epmd -names 2>/dev/null | grep '^name ' || true)" ]; then
    local leftover
    leftover="$(root_processes)"
    # shellcheck disable=SC2086 # a list of PIDs
    [ -z "$leftover" ] || kill $leftover 2>/dev/null || true
    sleep 0.2
    leftover="$(root_processes)"
    # shellcheck disable=SC2086
    [ -z "$leftover" ] || kill -9 $leftover 2>/dev/null || true
  fi
}

stop() {
  if ! built; then
    echo "RabbitMQ node $node was not running (no root built at $root)"
    return 0
  fi
  need_root
  stop_node
}

kill_node() {
  local pid
  if ! built || ! pid="$(node_pid)"; then
    echo "RabbitMQ node $node was not running"
    return 0
  fi
  need_root
  kill -9 "$pid"
  # gone, or a zombie its parent has yet to reap
  while [ -e "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; do sleep 0.1; done
  echo "killed RabbitMQ node $node (pid $pid)"
}

destroy() {
  stop
  built || return 0
  rm -rf "${root:?}$node_dir" "$root$node_conf" "$root$node_plugins"
  echo "deleted the data of RabbitMQ node $node"
}

status() {
  if running; then
    echo "RabbitMQ $(root_version) (node $node): up on 127.0.0.1:$amqp_port (pid $(node_pid)), management http://127.0.0.1:$management_port"
  else
    echo "RabbitMQ node $node: down"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop && start ;;
  kill) kill_node ;;
  destroy) destroy ;;
  status) status ;;
  version) built || build_root; root_version ;;
  ctl) shift; built && node_pid >/dev/null || fail "node $node is not running"; ctl "$@" ;;
  *) usage ;;
esac
