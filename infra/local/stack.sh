#!/usr/bin/env bash
# The local stack without Docker: Kafka (KRaft, Maven jars), Redis and ClickHouse (Debian).
# Usage: infra/local/stack.sh up|down|status|logs [service...]
# Services: kafka redis clickhouse (all by default). See infra/local/README.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
# shellcheck source=redis.sh
source "$here/redis.sh"
# shellcheck source=clickhouse.sh
source "$here/clickhouse.sh"
# shellcheck source=kafka.sh
source "$here/kafka.sh"

ALL_SERVICES=(redis clickhouse kafka)
cmd="${1:-}"
shift || true
services=("$@")
((${#services[@]})) || services=("${ALL_SERVICES[@]}")
for s in "${services[@]}"; do
  [[ " ${ALL_SERVICES[*]} " == *" $s "* ]] || { echo "unknown service: $s (one of: ${ALL_SERVICES[*]})" >&2; exit 2; }
done

case "$cmd" in
  up)
    stack_lock
    start=$SECONDS
    for s in "${services[@]}"; do "${s}_up"; done
    ok "stack up in $((SECONDS - start))s (state in $STACK_DIR)"
    ;;
  down)
    stack_lock
    # Reverse order: Kafka first, it takes longest to stop cleanly.
    for ((i = ${#services[@]} - 1; i >= 0; i--)); do "${services[$i]}_down"; done
    ok "stack down"
    ;;
  status)
    rc=0
    for s in "${services[@]}"; do "${s}_status" || rc=1; done
    exit $rc
    ;;
  logs)
    files=()
    for s in "${services[@]}"; do files+=("$("${s}_logs")"); done
    if [[ -t 1 && -z "${CI:-}" ]]; then exec tail -n 20 -F "${files[@]}"; else tail -n 50 "${files[@]}"; fi
    ;;
  *)
    echo "usage: $0 up|down|status|logs [kafka|redis|clickhouse ...]" >&2
    exit 2
    ;;
esac
