#!/usr/bin/env bash
# Usage: scripts/build-jars.sh
# Builds the four service jars (target/<module>.jar) when one is missing or older than the
# sources it is made of; does nothing otherwise. Used by local-stack.sh and migrate-registro.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
modules=(cliente-service reporte-service logger-service panel-service)

stale=0
for module in "${modules[@]}"; do
  jar="$root/$module/target/$module.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$root/$module/src" "$root/$module/pom.xml" "$root/registro-contract/src" \
      "$root/registro-support/src" "$root/pom.xml" -newer "$jar" -print -quit)" ]; then
    stale=1
  fi
done
if [ "$stale" = 1 ]; then
  echo "Building the jars"
  # Maven leaves a jar whose own classes did not change untouched, with the old registro-contract
  # and registro-support inside: only a jar that is not there is surely made anew.
  for module in "${modules[@]}"; do
    rm -f "$root/$module/target/$module.jar" "$root/$module/target/$module.jar.original"
  done
  (cd "$root" && ./mvnw -B -q -DskipTests -pl "$(IFS=,; echo "${modules[*]}")" -am package)
fi
