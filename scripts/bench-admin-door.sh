#!/usr/bin/env bash
# Usage: scripts/bench-admin-door.sh
# The admin door under attack (bench/AdminDoor.java): the admin's /reportes latency quiet, with one
# guesser and with guessers spread over many addresses, and the time of a wrong login for the
# admin's username against an unknown one. It runs a local stack of its own, as a user's starts
# (the gateway's admin rate limit on), in a temporary folder on LOCAL_STACK_BASE_PORT (28080), in a
# virtual host of its own (registro-door, made and deleted with rabbitmqctl, as root, on the broker
# of this machine), and stops it at the end. About 3 minutes; loopback only.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v rabbitmqctl >/dev/null || { echo "error: rabbitmqctl is not installed (the broker must run on this machine)" >&2; exit 1; }

export LOCAL_STACK_STATE LOCAL_STACK_BASE_PORT="${LOCAL_STACK_BASE_PORT:-28080}" SPRING_RABBITMQ_VIRTUAL_HOST=registro-door
LOCAL_STACK_STATE="$(mktemp -d "${TMPDIR:-/tmp}/registro-door.XXXXXX")"
unset GATEWAY_PORT GATEWAY_ADMIN_RATE GATEWAY_TLS_CERT GATEWAY_TLS_KEY
cleanup() {
  scripts/local-stack.sh stop >/dev/null 2>&1 || true
  rabbitmqctl -q delete_vhost registro-door >/dev/null 2>&1 || true
  rm -rf "$LOCAL_STACK_STATE"
}
trap cleanup EXIT

rabbitmqctl -q add_vhost registro-door
rabbitmqctl -q set_permissions -p registro-door "${SPRING_RABBITMQ_USERNAME:-guest}" '.*' '.*' '.*'
scripts/local-stack.sh start >/dev/null
echo "== the admin door through http://127.0.0.1:$LOCAL_STACK_BASE_PORT ($(nproc) cores)" >&2
java bench/AdminDoor.java "http://127.0.0.1:$LOCAL_STACK_BASE_PORT" "${ADMIN_USERNAME:-admin}" "${ADMIN_PASSWORD:-123}"
