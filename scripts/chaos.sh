#!/usr/bin/env bash
# Usage: scripts/chaos.sh [registrations] [senders]
# The chaos check (e2e-tests' ChaosEndToEndTests) on the tests' own local stack and RabbitMQ 4
# node (scripts/test.sh), in two phases of the given number of registrations each (default
# 100000) from concurrent senders (default 12) through the gateway: with the broker up, reporte
# and the logger killed with kill -9 several times, once each between a durable write and its
# ack (every request must answer 200, and be counted exactly); then around a broker restart.
# Each phase compares, per service, the 200 answers with /reportes and, by message id, with the
# logger's history, prints phase=… sent=… ok=… failed=… counted=… lost=… duplicated=…, and fails
# on any loss or duplicate. CI runs a short form (3000 a phase) with the other tests. As root.
set -euo pipefail
cd "$(dirname "$0")/.."
registrations="${1:-100000}"
senders="${2:-12}"
scripts/test.sh -q -pl e2e-tests -am -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=ChaosEndToEndTests -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dchaos.registrations="$registrations" -Dchaos.senders="$senders"
cat e2e-tests/target/chaos.txt
