#!/usr/bin/env bash
# Usage: scripts/test.sh [Maven arguments...]
# The whole test suite, as CI runs it: ./mvnw -B verify against a RabbitMQ 4 node of the tests'
# own (scripts/rabbitmq4.sh, node registro-test on 127.0.0.1:5674, management 15674), which the
# chaos check may restart since nothing else uses it; the node is stopped afterwards unless it
# was running before. The tests work in their own virtual host (registro-test) and keep their
# state under target/; a user's broker, local stack and .local-stack/ are left as they are.
# With SPRING_RABBITMQ_HOST or _PORT set, the tests use that broker instead, and restart it only
# if REGISTRO_BROKER_RESTART_COMMAND says how. Needs root for the RabbitMQ 4 node (chroot).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

stop_broker=0
# The end-to-end tests stop their stack themselves; this is for a run that is cut short.
cleanup() {
  LOCAL_STACK_STATE="$root/e2e-tests/target/local-stack" scripts/local-stack.sh stop >/dev/null 2>&1 || true
  if [ "$stop_broker" = 1 ]; then scripts/rabbitmq4.sh stop; fi
}
trap cleanup EXIT

if [ -n "${SPRING_RABBITMQ_HOST:-}${SPRING_RABBITMQ_PORT:-}" ]; then
  echo "Testing against the broker at ${SPRING_RABBITMQ_HOST:-localhost}:${SPRING_RABBITMQ_PORT:-5672}" \
    "(restarted only by REGISTRO_BROKER_RESTART_COMMAND: ${REGISTRO_BROKER_RESTART_COMMAND:-none})"
else
  export RABBITMQ4_NODE=registro-test RABBITMQ4_PORT=5674 RABBITMQ4_MANAGEMENT_PORT=15674 RABBITMQ4_DIST_PORT=25674
  scripts/rabbitmq4.sh status >/dev/null || stop_broker=1
  scripts/rabbitmq4.sh start
  export SPRING_RABBITMQ_HOST=127.0.0.1 SPRING_RABBITMQ_PORT="$RABBITMQ4_PORT"
  # The RABBITMQ4_* settings above are exported: the command restarts this node, and no other.
  export REGISTRO_BROKER_RESTART_COMMAND="$root/scripts/rabbitmq4.sh restart"
fi

./mvnw -B verify "$@"
