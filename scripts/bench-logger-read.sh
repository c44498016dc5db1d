#!/usr/bin/env bash
# Usage: scripts/bench-logger-read.sh [requests]
# Shows that reading the newest events costs the same whatever the size of the history:
# builds a 1 MB and a 1 GB history, starts one logger over each (without a broker, so that it
# only serves what it was given), and times GET /logs?format=json&limit=100 on both, in one run.
# Needs: java 17, curl, awk, about 1.1 GB free under ${TMPDIR:-/tmp}. Loopback only; about 2 minutes.
set -euo pipefail

requests="${1:-300}"
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/logger-service/target/logger-service.jar"
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-logger.XXXXXX")"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -f "$jar" ]; then
  echo "Building $jar"
  (cd "$root" && ./mvnw -B -q -DskipTests -pl logger-service -am package)
fi

# A history of about $2 bytes in 64 MB segments named after their first sequence number, as the logger writes it.
make_history() {
  local dir="$1" bytes="$2"
  mkdir -p "$dir"
  awk -v dir="$dir" -v total="$bytes" 'BEGIN {
    segment = 64 * 1024 * 1024; written = 0; in_file = segment; seq = 0
    while (written < total) {
      seq++
      line = sprintf("{\"seq\":%d,\"received\":\"2026-11-29T12:00:00.000Z\",\"event_id\":\"e-%d\",\"service_id\":\"app%d\",\"time\":\"2026-11-29T12:00:00.000Z\",\"level\":\"INFO\",\"message\":\"registration confirmed by the broker\",\"message_id\":\"m-%d\"}", seq, seq, seq % 3 + 1, seq)
      if (in_file + length(line) + 1 > segment) { if (file) close(file); file = sprintf("%s/events-%019d.jsonl", dir, seq); in_file = 0 }
      print line > file
      in_file += length(line) + 1; written += length(line) + 1
    }
  }'
}

free_port() {
  local port
  for port in $(seq 18100 18199); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "error: no free port in 18100-18199" >&2; exit 1
}

start_logger() {
  local dir="$1" port="$2"
  SERVER_PORT="$port" REGISTRO_LOGGER_DIRECTORY="$dir" SPRING_RABBITMQ_HOST=127.0.0.1 SPRING_RABBITMQ_PORT=1 \
    java -Xmx256m -jar "$jar" >"$dir.log" 2>&1 &
  pids+=("$!")
}

await_live() {
  local port="$1" deadline=$((SECONDS + 120))
  until curl -sf "http://127.0.0.1:$port/actuator/health/liveness" >/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "error: logger on $port did not start" >&2; exit 1; fi
    sleep 0.5
  done
}

# Prints the median and 95th percentile of $requests timed GETs, in milliseconds.
time_reads() {
  local url="$1"
  for _ in $(seq 1 50); do curl -s -o /dev/null -u admin:123 "$url"; done
  for _ in $(seq 1 "$requests"); do curl -s -o /dev/null -u admin:123 -w '%{time_total}\n' "$url"; done |
    sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "%.2f %.2f\n", t[int(NR * 0.5)], t[int(NR * 0.95)] }'
}

echo "Building the histories in $work"
make_history "$work/small" $((1024 * 1024))
make_history "$work/large" $((1024 * 1024 * 1024))
small_port="$(free_port)"; start_logger "$work/small" "$small_port"; await_live "$small_port"
large_port="$(free_port)"; start_logger "$work/large" "$large_port"; await_live "$large_port"

query="/logs?format=json&limit=100"
filtered="/logs?format=json&limit=100&service=app2&q=confirmed"
read -r small_p50 small_p95 <<<"$(time_reads "http://127.0.0.1:$small_port$query")"
read -r large_p50 large_p95 <<<"$(time_reads "http://127.0.0.1:$large_port$query")"
read -r fsmall_p50 fsmall_p95 <<<"$(time_reads "http://127.0.0.1:$small_port$filtered")"
read -r flarge_p50 flarge_p95 <<<"$(time_reads "http://127.0.0.1:$large_port$filtered")"

echo
echo "Newest 100 events, $requests requests each (ms, curl time_total):"
printf '| history | query | p50 | p95 |\n|---|---|---|---|\n'
printf '| %s | %s | %s | %s |\n' "$(du -sh "$work/small" | cut -f1)" "limit=100" "$small_p50" "$small_p95"
printf '| %s | %s | %s | %s |\n' "$(du -sh "$work/large" | cut -f1)" "limit=100" "$large_p50" "$large_p95"
printf '| %s | %s | %s | %s |\n' "$(du -sh "$work/small" | cut -f1)" "service=app2, q=confirmed" "$fsmall_p50" "$fsmall_p95"
printf '| %s | %s | %s | %s |\n' "$(du -sh "$work/large" | cut -f1)" "service=app2, q=confirmed" "$flarge_p50" "$flarge_p95"
awk -v s="$small_p50" -v l="$large_p50" 'BEGIN { printf "large/small at p50: %.2f\n", l / s }'
