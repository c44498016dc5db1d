#!/bin/sh
# Run by docker compose (its "preflight" service) before anything else starts: registro refuses
# to start with an admin or broker password that is unset or still the one .env.example shows,
# which anyone who has read this repository knows. ALLOW_DEFAULT_CREDENTIALS=true lets it start
# anyway (admin/123 and registro/registro where unset), for a try on a machine of one's own.
# Usage: compose-preflight.sh ENV_EXAMPLE (the example file, for the values it shows)
set -eu
example="$1"

if [ "${ALLOW_DEFAULT_CREDENTIALS:-false}" = true ]; then
  echo "preflight: ALLOW_DEFAULT_CREDENTIALS=true: starting with whatever credentials are set, defaults included"
  exit 0
fi

refused=0
for name in ADMIN_PASSWORD RABBITMQ_PASSWORD; do
  eval "value=\${$name:-}"
  shown="$(sed -n "s/^$name=//p" "$example")"
  if [ -z "$value" ]; then
    echo "preflight: $name is not set" >&2
    refused=1
  elif [ "$value" = "$shown" ]; then
    echo "preflight: $name is still the value .env.example shows" >&2
    refused=1
  fi
done
if [ "$refused" = 1 ]; then
  echo "preflight: registro does not start like this: set ADMIN_PASSWORD and RABBITMQ_PASSWORD in .env to" \
    "passwords of your own (or ALLOW_DEFAULT_CREDENTIALS=true for a throwaway try)" >&2
  exit 1
fi
echo "preflight: credentials set"
