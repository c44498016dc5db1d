#!/usr/bin/env bash
# Usage: scripts/gateway-tls-cert.sh [DIR] [NAME...]
# A self-signed certificate and its key for trying the gateway's HTTPS: DIR/gateway.crt and
# DIR/gateway.key (DIR is .tls by default, ignored by git), valid 30 days for localhost,
# 127.0.0.1 and every NAME given (host names or IP addresses). Browsers warn about it, as they
# should: for real use, give the gateway a certificate from a CA instead. Then:
#   compose:      GATEWAY_TLS_CERT=./.tls/gateway.crt and GATEWAY_TLS_KEY=./.tls/gateway.key in .env
#   local stack:  GATEWAY_TLS_CERT=$PWD/.tls/gateway.crt GATEWAY_TLS_KEY=$PWD/.tls/gateway.key scripts/local-stack.sh start
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$root/.tls}"
[ $# -eq 0 ] || shift
command -v openssl >/dev/null || { echo "error: openssl is not installed (on Debian: apt-get install openssl)" >&2; exit 1; }

names="DNS:localhost,IP:127.0.0.1,IP:::1"
for name in "$@"; do
  if [[ "$name" =~ ^[0-9.]+$ || "$name" == *:* ]]; then names+=",IP:$name"; else names+=",DNS:$name"; fi
done
mkdir -p "$dir"
umask 077
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -sha256 \
  -subj "/CN=registro gateway (self-signed)" -addext "subjectAltName=$names" \
  -keyout "$dir/gateway.key" -out "$dir/gateway.crt" 2>/dev/null
chmod 644 "$dir/gateway.crt"
echo "wrote $dir/gateway.crt and $dir/gateway.key (self-signed, 30 days, for $names)"
