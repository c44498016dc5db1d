#!/bin/sh
# Usage: gateway-nginx/render.sh OUTPUT.conf
# Renders the gateway's nginx configuration from the environment, for compose's nginx container
# and for scripts/local-stack.sh alike: OUTPUT.conf (upstreams, the admin rate limit and the
# servers, for nginx's http block) and registro-routes.inc beside it (every route, included by
# each server). Only the variables below are substituted; everything written $like_this in the
# templates is nginx's own.
#   GATEWAY_LISTEN       where plain HTTP listens (80, 127.0.0.1:8080)
#   CLIENTE_UNO_ADDR, CLIENTE_DOS_ADDR, CLIENTE_TRES_ADDR, REPORTE_ADDR, LOGGER_ADDR, PANEL_ADDR
#                        host:port of each service
#   REPORTE_REPLICA_ADDR host:port of a second reporte (optional; both must share their counts
#                        through the changelog stream, REGISTRO_REPORTE_STORE=stream): the reports
#                        are balanced over both, and asked of the other when one does not answer
#                        or answers 503 (still catching up)
#   LOGGER_STANDBY_ADDR  host:port of a second logger with a history of its own (optional):
#                        /logs goes there while the first does not answer; not balanced, so
#                        that a reader's seq cursor stays with one history
#   GATEWAY_ADMIN_RATE   requests per second one client address may make to the admin routes
#                        (reporte, logs, panel; default 10, with bursts of twice that)
#   GATEWAY_TLS_CERT, GATEWAY_TLS_KEY
#                        a PEM certificate (chain) and its key: when both are files with
#                        something in them, HTTPS is served on GATEWAY_TLS_LISTEN and plain HTTP
#                        only redirects to it (health excepted); when both are empty, HTTP only
#   GATEWAY_TLS_LISTEN   where HTTPS listens (443, 127.0.0.1:8443)
#   GATEWAY_HTTPS_PORT   the port browsers reach HTTPS on, for the redirect (default: that of
#                        GATEWAY_TLS_LISTEN)
set -eu

fail() { echo "gateway: $*" >&2; exit 1; }

[ $# -eq 1 ] || fail "usage: $0 OUTPUT.conf"
output="$1"
templates="$(cd "$(dirname "$0")" && pwd)"
routes="$(cd "$(dirname "$output")" && pwd)/registro-routes.inc"

for name in GATEWAY_LISTEN CLIENTE_UNO_ADDR CLIENTE_DOS_ADDR CLIENTE_TRES_ADDR REPORTE_ADDR LOGGER_ADDR PANEL_ADDR; do
  eval "value=\${$name:-}"
  [ -n "$value" ] || fail "$name is not set"
done
GATEWAY_ADMIN_RATE="${GATEWAY_ADMIN_RATE:-10}"
case "$GATEWAY_ADMIN_RATE" in
  '' | *[!0-9]* | 0) fail "GATEWAY_ADMIN_RATE must be a whole number of requests per second above 0, not '$GATEWAY_ADMIN_RATE'" ;;
esac
GATEWAY_ADMIN_BURST=$((GATEWAY_ADMIN_RATE * 2))
GATEWAY_ROUTES="$routes"
REPORTE_SERVERS="server $REPORTE_ADDR;${REPORTE_REPLICA_ADDR:+ server $REPORTE_REPLICA_ADDR;}"
LOGGER_SERVERS="server $LOGGER_ADDR;${LOGGER_STANDBY_ADDR:+ server $LOGGER_STANDBY_ADDR backup;}"
export GATEWAY_ADMIN_RATE GATEWAY_ADMIN_BURST GATEWAY_ROUTES REPORTE_SERVERS LOGGER_SERVERS

tls=off
# Whether a file is given: compose mounts /dev/null where none is, and empty is none.
given() {
  [ -n "$1" ] || return 1
  [ -e "$1" ] || fail "$2 names $1, which does not exist"
  [ -s "$1" ]
}
cert=no key=no
given "${GATEWAY_TLS_CERT:-}" GATEWAY_TLS_CERT && cert=yes
given "${GATEWAY_TLS_KEY:-}" GATEWAY_TLS_KEY && key=yes
if [ "$cert" = yes ] && [ "$key" = yes ]; then
  tls=on
  # nginx would read a relative path from its own prefix, not from here.
  GATEWAY_TLS_CERT="$(cd "$(dirname "$GATEWAY_TLS_CERT")" && pwd)/$(basename "$GATEWAY_TLS_CERT")"
  GATEWAY_TLS_KEY="$(cd "$(dirname "$GATEWAY_TLS_KEY")" && pwd)/$(basename "$GATEWAY_TLS_KEY")"
  export GATEWAY_TLS_CERT GATEWAY_TLS_KEY
  [ -n "${GATEWAY_TLS_LISTEN:-}" ] || fail "GATEWAY_TLS_LISTEN is not set, so HTTPS has nowhere to listen"
  GATEWAY_HTTPS_PORT="${GATEWAY_HTTPS_PORT:-${GATEWAY_TLS_LISTEN##*:}}"
  # The redirect names the port only where it is not HTTPS's own.
  if [ "$GATEWAY_HTTPS_PORT" = 443 ]; then GATEWAY_HTTPS_AUTHORITY_PORT=""; else GATEWAY_HTTPS_AUTHORITY_PORT=":$GATEWAY_HTTPS_PORT"; fi
  export GATEWAY_HTTPS_AUTHORITY_PORT
elif [ "$cert" != "$key" ]; then
  fail "HTTPS needs both a certificate and its key: GATEWAY_TLS_CERT='${GATEWAY_TLS_CERT:-}' GATEWAY_TLS_KEY='${GATEWAY_TLS_KEY:-}'"
fi

variables='${GATEWAY_LISTEN} ${CLIENTE_UNO_ADDR} ${CLIENTE_DOS_ADDR} ${CLIENTE_TRES_ADDR} ${REPORTE_SERVERS} ${LOGGER_SERVERS} ${PANEL_ADDR}
  ${GATEWAY_ADMIN_RATE} ${GATEWAY_ADMIN_BURST} ${GATEWAY_ROUTES} ${GATEWAY_TLS_LISTEN} ${GATEWAY_TLS_CERT} ${GATEWAY_TLS_KEY}
  ${GATEWAY_HTTPS_AUTHORITY_PORT}'
envsubst "$variables" <"$templates/routes.inc.template" >"$routes"
{
  envsubst "$variables" <"$templates/upstreams.conf.template"
  if [ "$tls" = on ]; then
    envsubst "$variables" <"$templates/https.conf.template"
  else
    envsubst "$variables" <"$templates/http.conf.template"
  fi
} >"$output"
echo "gateway: rendered $output (HTTPS $tls, admin routes at most $GATEWAY_ADMIN_RATE requests/s per address)"
