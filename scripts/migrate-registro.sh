#!/usr/bin/env bash
# Usage: scripts/migrate-registro.sh
# Moves the messages of every queue the broker has under one of registro's names but with other
# arguments (the original system's classic, non-durable `registro`; a queue of an earlier
# registro) into a queue declared as registro declares it, without losing one; then the services
# start. It reaches the broker the services would: SPRING_RABBITMQ_HOST, _PORT, _USERNAME,
# _PASSWORD and _VIRTUAL_HOST (default guest@localhost:5672, vhost /). Stop whatever still
# publishes to or consumes from an old queue first: it refuses to move a queue with consumers.
# Running it again is safe; on a broker that needs nothing it changes nothing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
[ "$#" -eq 0 ] || { echo "Usage: $0   (the broker comes from SPRING_RABBITMQ_*)" >&2; exit 2; }
command -v java >/dev/null || { echo "error: java is not installed (Java 17 or newer is needed)" >&2; exit 1; }
"$root/scripts/build-jars.sh"
# The migration ships inside every service jar; reporte's runs it.
exec java -Dloader.main=dev.registro.support.topology.MigrateRegistro \
  -cp "$root/reporte-service/target/reporte-service.jar" org.springframework.boot.loader.launch.PropertiesLauncher
