#!/usr/bin/env bash
# Usage: scripts/ensure-rabbitmq.sh
# Makes sure a RabbitMQ answers at SPRING_RABBITMQ_HOST:SPRING_RABBITMQ_PORT (default
# localhost:5672). When none does and the target is this machine, starts the local one,
# installing Debian's rabbitmq-server first if it is missing (needs root). Waits until the
# broker is up, for at most RABBITMQ_WAIT_SECONDS (default 120).
set -euo pipefail

host="${SPRING_RABBITMQ_HOST:-localhost}"
port="${SPRING_RABBITMQ_PORT:-5672}"
wait_seconds="${RABBITMQ_WAIT_SECONDS:-120}"

answers() {
  (exec 3<>"/dev/tcp/${host}/${port}") 2>/dev/null
}

if answers; then
  echo "RabbitMQ answers at ${host}:${port}"
  exit 0
fi

case "$host" in
  localhost|127.*|::1) ;;
  *) echo "error: no RabbitMQ answers at ${host}:${port}, and it is not this machine's to start" >&2; exit 1 ;;
esac

if ! command -v rabbitmq-server >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: RabbitMQ is not installed; as root: apt-get install rabbitmq-server" >&2
    exit 1
  fi
  echo "Installing Debian's rabbitmq-server"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
fi

echo "Starting RabbitMQ"
rabbitmq-server -detached
deadline=$((SECONDS + wait_seconds))
until answers; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "error: RabbitMQ did not answer at ${host}:${port} within ${wait_seconds}s" >&2
    exit 1
  fi
  sleep 1
done
# The port opens before the broker takes clients; this waits for the rest of its boot.
timeout "$wait_seconds" rabbitmqctl await_startup >/dev/null
echo "RabbitMQ answers at ${host}:${port}"
