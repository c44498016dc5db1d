#!/usr/bin/env bash
# Usage: scripts/chaos.sh [registrations] [senders]
# The chaos check (e2e-tests' ChaosEndToEndTests): starts the local stack, sends the given number
# of registrations (default 100000) through the gateway from concurrent senders (default 12),
# kills reporte and the logger with kill -9 and starts them again several times, restarts
# RabbitMQ once (rabbitmqctl, as root), then compares, per service, the 200 answers with
# /reportes and with the logger's history. Prints sent=… ok=… counted=… logged=… lost=… duplicated=…
# and exits non-zero on any loss or duplicate. CI runs a short form (3000) with the other tests.
set -euo pipefail
cd "$(dirname "$0")/.."
registrations="${1:-100000}"
senders="${2:-12}"
scripts/ensure-rabbitmq.sh
./mvnw -B -q verify -pl e2e-tests -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ChaosEndToEndTests -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dchaos.registrations="$registrations" -Dchaos.senders="$senders"
cat e2e-tests/target/chaos.txt
