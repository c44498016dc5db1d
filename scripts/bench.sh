#!/usr/bin/env bash
# Usage: scripts/bench.sh
# Measures registro on the local stack against its ceilings, in one run, and prints a table
# that it also writes as Markdown to bench/results/<UTC time>.md (and bench/results/latest.md):
#   1. registrations through the gateway: wrk, 64 connections, 30 s over /cliente/uno, dos, tres;
#      then /reportes must have grown by exactly the number of 200 answers
#   2. the no-op ceiling of that path: the same wrk with OPTIONS on the same routes (nginx and
#      the client's Spring MVC answer it without the broker)
#   3. the broker's ceiling: PerfTest, one producer with confirms (window 100), persistent
#      120-byte messages, a quorum queue
#   4. drain: 200 000 valid registrations waiting in `registro`, drained by reporte (durable
#      counts, then in memory only) and by PerfTest's single consumer (prefetch 250, multi-ack
#      every 100)
#   5. 1 000 registrations/s for 30 s (bench/FixedRate.java): latency p50/p99/p99.9 and the delay
#      until a registration is visible in /reportes; then the same at 250/s for 20 s
#   6. /reportes with credentials: wrk, 16 connections, 15 s
#   7. resident memory of every service at rest and after the run; time from start to ready
#   8. /logs with filters that match nothing recent on a 1 GB history (scripts/bench-logger-read.sh)
# and 2b, one client straight with wrk -t2 -c16 -d20s, as the original system was measured.
# Steps 3 and 4 run in a vhost of their own, registro-bench, made and deleted with rabbitmqctl
# (as root, the broker on this machine), with a reporte of their own on port 18084: the local
# stack's counts are not touched. The script starts the local stack itself (to time its start)
# and stops it at the end, so the stack must not be running. About 10 minutes; loopback only.
# Needs: java 17, wrk, curl, rabbitmqctl, and what scripts/local-stack.sh needs.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
base_port="${LOCAL_STACK_BASE_PORT:-8080}"
gateway="http://127.0.0.1:${GATEWAY_PORT:-$base_port}"
admin_user="${ADMIN_USERNAME:-admin}"
admin_password="${ADMIN_PASSWORD:-123}"
broker_host="${SPRING_RABBITMQ_HOST:-localhost}"
broker_port="${SPRING_RABBITMQ_PORT:-5672}"
broker_user="${SPRING_RABBITMQ_USERNAME:-guest}"
broker_password="${SPRING_RABBITMQ_PASSWORD:-guest}"
vhost=registro-bench
bench_uri="amqp://$broker_user:$broker_password@$broker_host:$broker_port/$vhost"
backlog="${BENCH_BACKLOG:-200000}"
work="$(mktemp -d "${TMPDIR:-/tmp}/registro-bench.XXXXXX")"
lib="$root/bench/tools/target/lib"
client_routes="/cliente/uno /cliente/dos /cliente/tres"
authorization="Basic $(printf '%s:%s' "$admin_user" "$admin_password" | base64 -w0)"
bench_reporte_pid=""
stack_started=0
# shellcheck source=scripts/java-opts.sh
. "$root/scripts/java-opts.sh"

fail() { echo "error: $*" >&2; exit 1; }
say() { echo "== $*" >&2; }

for tool in java wrk curl rabbitmqctl; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (wrk: apt-get install wrk)"
done
if scripts/local-stack.sh status >/dev/null 2>&1; then
  fail "the local stack is running: stop it first (scripts/local-stack.sh stop); the benchmark times its start"
fi

cleanup() {
  [ -z "$bench_reporte_pid" ] || stop_bench_reporte
  rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
  [ "$stack_started" = 0 ] || scripts/local-stack.sh stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- helpers ---------------------------------------------------------------------------------

# The sum of all counts in a /reportes answer.
total_of() { curl -sf -u "$admin_user:$admin_password" "$1/reportes" | grep -o '[0-9]\+' | awk '{s += $1} END {print s + 0}'; }

# One count of a /reportes answer.
count_of() {
  curl -sf -u "$admin_user:$admin_password" "$1/reportes" | grep -o "\"$2\":[0-9]\+" | cut -d: -f2 || echo 0
}

# The value of key=... in a line of key=value pairs.
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

# How many registrations the clients answered 200, from their own meters.
confirmed_total() {
  local port sum=0 value
  for port in $((base_port + 1)) $((base_port + 2)) $((base_port + 3)); do
    value="$(curl -sf "http://127.0.0.1:$port/actuator/prometheus" | awk '/^registro_confirmed_total/ {printf "%.0f", $2}')"
    sum=$((sum + ${value:-0}))
  done
  echo "$sum"
}

# CPU time (clock ticks) of a process and its children, e.g. nginx's workers.
cpu_ticks() {
  local pid ticks=0
  for pid in "$1" $(pgrep -P "$1" || true); do
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$ticks"
}

# name=ticks for every part, the gateway and the broker (when it runs on this machine).
cpu_snapshot() {
  local part
  for part in app1 app2 app3 reporte logger panel gateway; do echo "$part=$(cpu_ticks "$(part_pid "$part")")"; done
  local broker
  broker="$(pgrep -x beam.smp | head -n 1 || true)"
  [ -z "$broker" ] || echo "rabbitmq=$(cpu_ticks "$broker")"
}

# TCP segments the machine has sent (every hop here is loopback: wrk, nginx, the services, the
# broker).
tcp_segments() { awk '/^Tcp:/ {n++; if (n == 2) print $12}' /proc/net/snmp; }

rss_mb() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

part_pid() { cat "$root/.local-stack/pids/$1.pid"; }

wrk_run() { # connections seconds method paths [authorization]
  BENCH_METHOD="$3" BENCH_PATHS="$4" BENCH_AUTHORIZATION="${5:-}" \
    wrk -t2 -c"$1" -d"$2"s -s "$root/bench/spread.lua" "$gateway" | sed -n 's/^bench: //p'
}

# Prints what a command prints once that stays the same for a second (waiting at most $1 s).
settled() {
  local deadline=$((SECONDS + $1)) last now
  shift
  last="$("$@")"
  while :; do
    sleep 1
    now="$("$@")"
    if [ "$now" = "$last" ] || [ "$SECONDS" -ge "$deadline" ]; then echo "$now"; return; fi
    last="$now"
  done
}

# Waits until /reportes shows a total of at least $1, for at most $2 seconds; prints the total.
wait_for_total() {
  local target="$1" deadline=$((SECONDS + $2)) total
  while :; do
    total="$(total_of "$gateway")"
    if [ "$total" -ge "$target" ] || [ "$SECONDS" -ge "$deadline" ]; then echo "$total"; return; fi
    sleep 0.2
  done
}

perftest() { java -cp "$lib/*" com.rabbitmq.perf.PerfTest --uri "$bench_uri" "$@" 2>&1; }

start_bench_reporte() { # extra environment words
  env "$@" SERVER_PORT=18084 SPRING_RABBITMQ_VIRTUAL_HOST="$vhost" \
    REGISTRO_REPORTE_STATE_FILE="$work/reporte-data/counts.json" \
    java $java_opts -jar "$root/reporte-service/target/reporte-service.jar" >>"$work/bench-reporte.log" 2>&1 &
  bench_reporte_pid=$!
}

stop_bench_reporte() {
  kill "$bench_reporte_pid" 2>/dev/null || true
  wait "$bench_reporte_pid" 2>/dev/null || true
  bench_reporte_pid=""
}

wait_ready() { # url seconds
  local deadline=$((SECONDS + $2))
  until curl -sf -o /dev/null "$1/actuator/health/readiness"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "$1 not ready within $2 s"
    sleep 0.2
  done
}

fill() { # count
  java -cp "$lib/*" "$root/bench/Fill.java" \
    "$bench_uri" registro "$1" bench-drain 2>>"$work/fill.log" | tail -n 1 >&2
}

# Starts reporte on the waiting backlog and times it: from its first count to the last, and
# from its start. Prints "rate=… from_start_s=…".
drain_with_reporte() { # extra environment words
  local url=http://127.0.0.1:18084 start_ns first_ns="" first_count=0 now_ns count
  start_ns="$(date +%s%N)"
  start_bench_reporte "$@"
  while :; do
    count="$(count_of "$url" bench-drain 2>/dev/null || true)"
    count="${count:-0}"
    now_ns="$(date +%s%N)"
    if [ -z "$first_ns" ] && [ "$count" -gt 0 ]; then first_ns="$now_ns"; first_count="$count"; fi
    [ "$count" -ge "$backlog" ] && break
    [ $(((now_ns - start_ns) / 1000000000)) -lt 300 ] || fail "reporte did not drain $backlog messages in 300 s"
    sleep 0.02
  done
  stop_bench_reporte
  rm -rf "$work/reporte-data"
  awk -v n="$((backlog - first_count))" -v a="$first_ns" -v b="$now_ns" -v s="$start_ns" \
    'BEGIN {printf "rate=%.0f from_start_s=%.1f\n", n / ((b - a) / 1e9), (b - s) / 1e9}'
}

# --- build and tools -------------------------------------------------------------------------

say "building the services and fetching PerfTest"
scripts/build-jars.sh
for module in cliente-service reporte-service logger-service panel-service; do touch "$module/target/$module.jar"; done
[ -d "$lib" ] || ./mvnw -B -q -f bench/tools/pom.xml dependency:copy-dependencies -DoutputDirectory=target/lib

rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
rabbitmqctl -q add_vhost "$vhost" >/dev/null && rabbitmqctl -q set_permissions -p "$vhost" "$broker_user" '.*' '.*' '.*' >/dev/null ||
  fail "could not make the vhost $vhost with rabbitmqctl (it needs root on the broker's machine)"

# --- 7a: start -------------------------------------------------------------------------------

say "starting the local stack"
started_at="$(date +%s%N)"
stack_started=1
# Steps 5 and 6 read /reportes back to back from one address, which the gateway's admin rate limit
# exists to stop: this stack lifts it (scripts/bench-admin-door.sh measures the door with it on).
GATEWAY_ADMIN_RATE="${GATEWAY_ADMIN_RATE:-100000}" scripts/local-stack.sh start >/dev/null
ready_s="$(awk -v a="$started_at" -v b="$(date +%s%N)" 'BEGIN {printf "%.1f", (b - a) / 1e9}')"
# "At rest" means five seconds after every part said ready, before any load.
sleep 5
parts=(app1 app2 app3 reporte logger panel)
declare -A rss_rest rss_after
for part in "${parts[@]}"; do rss_rest[$part]="$(rss_mb "$(part_pid "$part")")"; done

# --- 1: registrations ------------------------------------------------------------------------

say "warming up (15 s, not measured)"
wrk_run 64 15 GET "$client_routes" >/dev/null
settled 60 total_of "$gateway" >/dev/null
say "1. registrations through the gateway (64 connections, 30 s)"
before="$(total_of "$gateway")"
confirmed_before="$(confirmed_total)"
cpu_before="$(cpu_snapshot)"
segments_before="$(tcp_segments)"
registrations="$(wrk_run 64 30 GET "$client_routes")"
cpu_after="$(cpu_snapshot)"
segments=$(($(tcp_segments) - segments_before))
# wrk stops with up to 64 requests in flight whose answers it never reads: the clients' own
# meters count every 200 they sent, and /reportes must match those exactly (and stay there).
answered=$(($(settled 30 confirmed_total) - confirmed_before))
ok=$(($(field "$registrations" requests) - $(field "$registrations" non2xx)))
wait_for_total "$((before + answered))" 60 >/dev/null
grew=$(($(settled 30 total_of "$gateway") - before))

# --- 2: no-op ceiling ------------------------------------------------------------------------

say "2. the no-op ceiling: OPTIONS on the same routes (64 connections, 30 s)"
noop="$(wrk_run 64 30 OPTIONS "$client_routes")"

# --- 2b: one client straight -----------------------------------------------------------------

say "2b. one client straight, as the original was measured (wrk -t2 -c16 -d20s)"
straight="$(BENCH_METHOD=GET BENCH_PATHS=/ BENCH_AUTHORIZATION="" \
  wrk -t2 -c16 -d20s -s "$root/bench/spread.lua" "http://127.0.0.1:$((base_port + 1))" | sed -n 's/^bench: //p')"

# --- 3: broker ceiling -----------------------------------------------------------------------

say "3. the broker's ceiling: PerfTest, one confirming producer (20 s)"
producer="$(perftest -x 1 -y 0 -c 100 -s 120 -f persistent -qq -u perftest -z 20 | grep 'sending rate avg' | grep -o '[0-9]\+ msg/s' | cut -d' ' -f1)"

# --- 4: drain --------------------------------------------------------------------------------

say "4. drain: $backlog waiting registrations"
start_bench_reporte
wait_ready http://127.0.0.1:18084 120
stop_bench_reporte
rm -rf "$work/reporte-data"
fill "$backlog"
drain_durable="$(drain_with_reporte)"
fill "$backlog"
drain_memory="$(drain_with_reporte REGISTRO_REPORTE_DURABLE=false)"
fill "$backlog"
consumer="$(perftest -x 0 -y 1 -p -u registro -q 250 -A 100 -D "$backlog" -z 120 | grep 'receiving rate avg' | grep -o '[0-9]\+ msg/s' | cut -d' ' -f1)"

# --- 5: fixed rate ---------------------------------------------------------------------------

say "5. 1 000 registrations/s for 30 s"
javac -d "$work/classes" "$root/bench/FixedRate.java"
fixed="$(java -cp "$work/classes" FixedRate "$gateway" 1000 30 "$admin_user" "$admin_password")"
say "5b. the same at 250 registrations/s for 20 s"
settled 60 total_of "$gateway" >/dev/null
fixed_low="$(java -cp "$work/classes" FixedRate "$gateway" 250 20 "$admin_user" "$admin_password")"

# --- 6: admin reads --------------------------------------------------------------------------

say "6. /reportes with credentials (16 connections, 15 s)"
reads="$(wrk_run 16 15 GET /reportes "$authorization")"

for part in "${parts[@]}"; do rss_after[$part]="$(rss_mb "$(part_pid "$part")")"; done

# --- 8: reading the central log ---------------------------------------------------------------

say "8. /logs on a 1 GB history with filters that match nothing recent (scripts/bench-logger-read.sh)"
logger_reads="$(scripts/bench-logger-read.sh 300 2>&1)"
# The 1 GB history's p50 and p99 of a row of that table.
large_read() { awk -F'|' -v q="$1" '$2 ~ q {gsub(/ /, "", $5); gsub(/ /, "", $6); print "p50 " $5 " ms, p99 " $6 " ms"}' <<<"$logger_reads"; }

# --- the table -------------------------------------------------------------------------------

rate() { field "$1" rate | awk '{printf "%.0f", $1}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }
registrations_rate="$(rate "$registrations")"
noop_rate="$(rate "$noop")"
durable_rate="$(field "$drain_durable" rate)"
memory_rate="$(field "$drain_memory" rate)"
exact="yes"; [ "$grew" -eq "$answered" ] || exact="NO"
max_rss=0
for part in "${parts[@]}"; do [ "${rss_after[$part]}" -le "$max_rss" ] || max_rss="${rss_after[$part]}"; done

# CPU milliseconds per registration of each process during step 1: where the time goes.
hz="$(getconf CLK_TCK)"
cpu_split="$(join -t= <(sort <<<"$cpu_before") <(sort <<<"$cpu_after") |
  awk -F= -v n="$answered" -v hz="$hz" '{ms = ($3 - $2) * 1000 / hz; total += ms; parts = parts sprintf("%s %.2f; ", $1, n ? ms / n : 0)}
    END {printf "%stotal %.2f", parts, n ? total / n : 0}')"

stamp="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
result="$root/bench/results/$(date -u +%Y-%m-%dT%H%M%SZ).md"
mkdir -p "$root/bench/results"
{
  echo "# registro benchmark, $stamp"
  echo
  echo "\`scripts/bench.sh\` on $(nproc) cores, $(java -version 2>&1 | head -n 1), RabbitMQ $(rabbitmqctl -q version 2>/dev/null || echo '?'); commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (with local changes)')."
  echo
  echo "| # | what | measured | target | ratio |"
  echo "|---|---|---|---|---|"
  echo "| 1 | registrations through the gateway (wrk, 64 connections, 30 s) | $registrations_rate/s, p50 $(field "$registrations" p50_ms) ms, p99 $(field "$registrations" p99_ms) ms; non-2xx $(field "$registrations" non2xx), socket errors $(field "$registrations" socket_errors), timeouts $(field "$registrations" timeouts); $ok answers 200 read by wrk, $answered sent by the clients (the rest in flight when wrk stopped), /reportes grew by $grew: exact $exact | ≥ 0.35 × 2, zero errors, exact | 1 ÷ 2 = $(ratio "$registrations_rate" "$noop_rate") |"
  echo "| 1′ | CPU ms per registration during 1, by process; TCP segments per registration | $cpu_split; $(ratio "$segments" "$answered") segments | total ≤ 1.0 | |"
  echo "| 2 | no-op ceiling: OPTIONS on the same routes | $noop_rate/s, p50 $(field "$noop" p50_ms) ms, p99 $(field "$noop" p99_ms) ms | | |"
  echo "| 2b | one client straight, \`GET /\` (wrk -t2 -c16 -d20s), against the original's 115/s measured the same way on 2026-11-30 | $(rate "$straight")/s, p50 $(field "$straight" p50_ms) ms, p99 $(field "$straight" p99_ms) ms, non-2xx $(field "$straight" non2xx) | ≥ 20 × the original | $(ratio "$(rate "$straight")" 115) × |"
  echo "| 3 | broker ceiling: PerfTest, 1 producer, confirms (window 100), 120 B persistent, quorum queue | $producer msg/s | | 1 ÷ 3 = $(ratio "$registrations_rate" "$producer") (a registration is 2 confirmed publishes: $(ratio "$((2 * registrations_rate))" "$producer")) |"
  echo "| 4a | drain $backlog by reporte, durable counts | $durable_rate msg/s (from its start: $(field "$drain_durable" from_start_s) s) | ≥ 80 % of 4c | 4a ÷ 4c = $(ratio "$durable_rate" "$consumer") |"
  echo "| 4b | drain $backlog by reporte, counts in memory only | $memory_rate msg/s (from its start: $(field "$drain_memory" from_start_s) s) | | durable ÷ memory = $(ratio "$durable_rate" "$memory_rate") |"
  echo "| 4c | drain $backlog by PerfTest, 1 consumer, prefetch 250, multi-ack 100 | $consumer msg/s | | |"
  echo "| 5 | 1 000 registrations/s for 30 s | achieved $(field "$fixed" achieved_rate)/s; p50 $(field "$fixed" p50_ms) ms, p99 $(field "$fixed" p99_ms) ms, p99.9 $(field "$fixed" p999_ms) ms, max $(field "$fixed" max_ms) ms; non-200 $(field "$fixed" other_status), errors $(field "$fixed" errors); visible in /reportes p50 $(field "$fixed" visible_p50_ms) ms, p99 $(field "$fixed" visible_p99_ms) ms | p99 ≤ 25 ms, visible p99 ≤ 100 ms | |"
  echo "| 5b | the same at 250 registrations/s for 20 s | achieved $(field "$fixed_low" achieved_rate)/s; p50 $(field "$fixed_low" p50_ms) ms, p99 $(field "$fixed_low" p99_ms) ms, p99.9 $(field "$fixed_low" p999_ms) ms, max $(field "$fixed_low" max_ms) ms; non-200 $(field "$fixed_low" other_status), errors $(field "$fixed_low" errors); visible in /reportes p50 $(field "$fixed_low" visible_p50_ms) ms, p99 $(field "$fixed_low" visible_p99_ms) ms | | |"
  echo "| 6 | /reportes with credentials (wrk, 16 connections, 15 s) | $(rate "$reads")/s, p99 $(field "$reads" p99_ms) ms, non-2xx $(field "$reads" non2xx) | ≥ 5 000/s | |"
  echo "| 7a | resident memory at rest → after the run, MB | $(for part in "${parts[@]}"; do printf '%s %s → %s; ' "$part" "${rss_rest[$part]}" "${rss_after[$part]}"; done) | ≤ 256 each (max $max_rss) | |"
  echo "| 7b | from \`local-stack.sh start\` to every part ready (jars built) | $ready_s s | ≤ 45 s | |"
  echo "| 8a | \`/logs?service=gone\` on a 1 GB history where \`gone\` spoke only first | $(large_read 'service=gone') | p99 ≤ 50 ms | |"
  echo "| 8b | \`/logs?q=never-said\` on a 1 GB history | $(large_read 'q=never-said') | p99 ≤ 50 ms | |"
} >"$result"
cp "$result" "$root/bench/results/latest.md"
cat "$result"
echo
echo "written to ${result#"$root/"} and bench/results/latest.md"
