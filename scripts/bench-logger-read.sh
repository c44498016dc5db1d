#!/usr/bin/env bash
# Usage: scripts/bench-logger-read.sh [requests]
# Shows that reading the newest events costs the same whatever the size of the history:
# builds a 1 MB and a 1 GB history, starts one logger over each (without a broker, so that it
# only serves what it was given), and times GET /logs?format=json&limit=100 on both, in one run:
# unfiltered, with a filter that matches often, and with filters that match nothing recent (a
# service that spoke only in the oldest event, a text that never occurs), which look at a bounded
# part of the history (REGISTRO_LOGGER_FILTERED_READ_SIZE) before answering where to go on.
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
      service = (seq == 1) ? "gone" : sprintf("app%d", seq % 3 + 1)
      # 100 events a second from midnight: the logger reads back the ids of the newest 11 minutes.
      ms = seq * 10
      at = sprintf("2026-11-29T%02d:%02d:%02d.%03dZ", int(ms / 3600000), int(ms / 60000) % 60, int(ms / 1000) % 60, ms % 1000)
      line = sprintf("{\"seq\":%d,\"received\":\"%s\",\"event_id\":\"e-%d\",\"service_id\":\"%s\",\"time\":\"%s\",\"level\":\"INFO\",\"message\":\"registration confirmed by the broker\",\"message_id\":\"m-%d\"}", seq, at, seq, service, at, seq)
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
  local dir="$1" port="$2" deadline=$((SECONDS + 120))
  until curl -sf "http://127.0.0.1:$port/actuator/health/liveness" >/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then echo "error: logger on $port did not start; the end of its log:" >&2; tail -n 20 "$dir.log" >&2; exit 1; fi
    sleep 0.5
  done
}

# Prints the median and 99th percentile of $requests timed GETs, in milliseconds.
time_reads() {
  local url="$1"
  for _ in $(seq 1 50); do curl -s -o /dev/null -u admin:123 "$url"; done
  for _ in $(seq 1 "$requests"); do curl -s -o /dev/null -u admin:123 -w '%{time_total}\n' "$url"; done |
    sort -n | awk '{ t[NR] = $1 * 1000 } END { printf "%.2f %.2f\n", t[int(NR * 0.5)], t[int((NR * 0.99) + 0.999)] }'
}

echo "Building the histories in $work"
make_history "$work/small" $((1024 * 1024))
make_history "$work/large" $((1024 * 1024 * 1024))
small_port="$(free_port)"; start_logger "$work/small" "$small_port"; await_live "$work/small" "$small_port"
large_port="$(free_port)"; start_logger "$work/large" "$large_port"; await_live "$work/large" "$large_port"

echo
echo "Newest 100 events, $requests requests each (ms, curl time_total):"
printf '| query | %s p50 | p99 | %s p50 | p99 |\n|---|---|---|---|---|\n' \
  "$(du -sh "$work/small" | cut -f1)" "$(du -sh "$work/large" | cut -f1)"
for query in "" "&service=app2&q=confirmed" "&service=gone" "&q=never-said"; do
  read -r small_p50 small_p99 <<<"$(time_reads "http://127.0.0.1:$small_port/logs?format=json&limit=100$query")"
  read -r large_p50 large_p99 <<<"$(time_reads "http://127.0.0.1:$large_port/logs?format=json&limit=100$query")"
  printf '| limit=100%s | %s | %s | %s | %s |\n' "$query" "$small_p50" "$small_p99" "$large_p50" "$large_p99"
done
