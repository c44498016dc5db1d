#!/usr/bin/env bash
# Usage: scripts/rabbitmq-cluster.sh start|stop|status|addresses|kill N|start-node N
# A three-node RabbitMQ 4 cluster on this machine without Docker, for trying registro on a
# cluster: the nodes registro-c1, -c2 and -c3 of scripts/rabbitmq4.sh's root, AMQP on
# 127.0.0.1:5681, 5682 and 5683 (management 15681-15683, Erlang distribution 25681-25683).
#   start         starts the three nodes, joins c2 and c3 to c1, and prints the address list
#                 for SPRING_RABBITMQ_ADDRESSES; does only what is missing when some run
#   stop          stops the nodes and deletes their data: nothing is left running or on disk
#   status        each node, and the cluster as c1 (or the first node up) sees it; exit 3
#                 when a node is down
#   addresses     prints the address list
#   kill N        kills node N at once (SIGKILL), as a crash would
#   start-node N  starts node N again; it rejoins the cluster with the data it had
# Settings (environment): RABBITMQ4_SUITE, RABBITMQ4_ROOT, RABBITMQ4_MIRROR and
# RABBITMQ4_EPMD_PORT as for scripts/rabbitmq4.sh; RABBITMQ_CLUSTER_BASE_PORT (5680: the nodes
# take the three ports above it, management and distribution 10 000 and 20 000 higher).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
base_port="${RABBITMQ_CLUSTER_BASE_PORT:-5680}"
nodes=(1 2 3)

usage() { echo "Usage: $0 start|stop|status|addresses|kill N|start-node N" >&2; exit 2; }
fail() { echo "error: $*" >&2; exit 1; }

# scripts/rabbitmq4.sh for node N.
node() {
  local n="$1"
  shift
  RABBITMQ4_NODE="registro-c$n" RABBITMQ4_PORT=$((base_port + n)) \
    RABBITMQ4_MANAGEMENT_PORT=$((base_port + 10000 + n)) RABBITMQ4_DIST_PORT=$((base_port + 20000 + n)) \
    "$repo/scripts/rabbitmq4.sh" "$@"
}

node_number() {
  case "${1:-}" in
    1 | 2 | 3) echo "$1" ;;
    *) usage ;;
  esac
}

addresses() {
  local n list=()
  for n in "${nodes[@]}"; do list+=("127.0.0.1:$((base_port + n))"); done
  (IFS=,; echo "${list[*]}")
}

# The nodes node N sees running in its cluster, one per line.
running_members() {
  node "$1" ctl cluster_status --formatter json 2>/dev/null |
    grep -o '"running_nodes":\[[^]]*\]' | grep -o 'registro-c[0-9]' || true
}

start() {
  local n
  for n in "${nodes[@]}"; do node "$n" start; done
  for n in 2 3; do
    if ! running_members 1 | grep -qx "registro-c$n"; then
      echo "Joining registro-c$n to registro-c1"
      node "$n" ctl stop_app >/dev/null
      node "$n" ctl reset >/dev/null
      node "$n" ctl join_cluster registro-c1@localhost >/dev/null
      node "$n" ctl start_app >/dev/null
    fi
  done
  node 1 ctl await_online_nodes 3 --timeout 60 >/dev/null 2>&1 ||
    fail "the three nodes did not come together; scripts/rabbitmq-cluster.sh status says what runs"
  echo "A cluster of three: SPRING_RABBITMQ_ADDRESSES=$(addresses)"
}

stop() {
  local n
  for n in 3 2 1; do node "$n" destroy; done
}

status() {
  local n up=0 seen=""
  for n in "${nodes[@]}"; do
    if node "$n" status; then
      up=$((up + 1))
      [ -n "$seen" ] || seen="$n"
    fi
  done
  if [ -n "$seen" ]; then
    echo "running in the cluster, as registro-c$seen sees it: $(running_members "$seen" | tr '\n' ' ')"
  fi
  [ "$up" -eq "${#nodes[@]}" ] || return 3
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  addresses) addresses ;;
  kill) node "$(node_number "${2:-}")" kill ;;
  start-node) node "$(node_number "${2:-}")" start ;;
  *) usage ;;
esac
