#!/usr/bin/env bash
# Applies infra/clickhouse/NNNN_name.sql in version order, each one once.
#
# Applied versions are recorded in seqlane.schema_migrations (version, name, checksum,
# applied_at); a file is recorded only after all its statements succeeded, so a failed run is
# rerun from the failed file. A file is split into statements on lines ending with ';' and each
# statement is POSTed to ClickHouse's HTTP interface. Idempotent: a second run applies nothing.
#
# Env: SEQLANE_CLICKHOUSE_URL (default http://127.0.0.1:8123), SEQLANE_CLICKHOUSE_USER (default
# "default"), SEQLANE_CLICKHOUSE_PASSWORD (default empty), SEQLANE_MIGRATIONS_DIR (default: the
# folder of this script), SEQLANE_MIGRATIONS_STRICT=1 to fail when an applied file was edited.
set -euo pipefail

url="${SEQLANE_CLICKHOUSE_URL:-http://127.0.0.1:8123}"
user="${SEQLANE_CLICKHOUSE_USER:-default}"
password="${SEQLANE_CLICKHOUSE_PASSWORD:-}"
dir="${SEQLANE_MIGRATIONS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"

# ch SQL: runs one statement; prints the result; on error prints ClickHouse's message and fails.
ch() {
  local out code
  out="$(mktemp)"
  code="$(printf '%s' "$1" | curl -sS -o "$out" -w '%{http_code}' --max-time 300 \
    -H "X-ClickHouse-User: $user" -H "X-ClickHouse-Key: $password" \
    --data-binary @- "$url/")" || { cat "$out" >&2; rm -f "$out"; return 1; }
  if [[ "$code" != "200" ]]; then
    { echo "ClickHouse answered HTTP $code to:"; printf '%s\n' "$1" | sed 's/^/    /'; cat "$out"; } >&2
    rm -f "$out"
    return 1
  fi
  cat "$out"
  rm -f "$out"
}

ch "CREATE DATABASE IF NOT EXISTS seqlane" >/dev/null
ch "CREATE TABLE IF NOT EXISTS seqlane.schema_migrations (
  version UInt32,
  name String,
  checksum String,
  applied_at DateTime
) ENGINE = MergeTree ORDER BY version" >/dev/null

declare -A applied=()
while IFS=$'\t' read -r version checksum; do
  [[ -n "$version" ]] && applied[$version]="$checksum"
done < <(ch "SELECT version, checksum FROM seqlane.schema_migrations FORMAT TabSeparated")

# statements FILE: prints the file's statements, NUL-separated, without trailing ';' and
# without whole-line '--' comments.
statements() {
  awk '
    /^[[:space:]]*--/ { next }
    { buf = buf $0 "\n" }
    /;[[:space:]]*$/ {
      sub(/;[[:space:]]*\n$/, "", buf)
      if (buf ~ /[^[:space:]]/) printf "%s%c", buf, 0
      buf = ""
    }
    END { if (buf ~ /[^[:space:]]/) printf "%s%c", buf, 0 }
  ' "$1"
}

count=0
shopt -s nullglob
files=("$dir"/[0-9][0-9][0-9][0-9]_*.sql)
for file in "${files[@]}"; do
  base="$(basename "$file" .sql)"
  [[ "$base" =~ ^([0-9]{4})_([A-Za-z0-9_]+)$ ]] || { echo "skipping $file: name is not NNNN_name.sql" >&2; continue; }
  version=$((10#${BASH_REMATCH[1]}))
  name="${BASH_REMATCH[2]}"
  sum="$(sha256sum "$file" | cut -d' ' -f1)"
  if [[ -n "${applied[$version]+x}" ]]; then
    if [[ "${applied[$version]}" != "$sum" ]]; then
      msg="migration $base was edited after it was applied (checksum differs); add a new file instead"
      [[ "${SEQLANE_MIGRATIONS_STRICT:-0}" == "1" ]] && { echo "$msg" >&2; exit 1; }
      echo "warning: $msg" >&2
    fi
    continue
  fi
  n=0
  while IFS= read -r -d '' stmt; do
    n=$((n + 1))
    ch "$stmt" >/dev/null || { echo "migration $base failed at statement $n" >&2; exit 1; }
  done < <(statements "$file")
  ch "INSERT INTO seqlane.schema_migrations (version, name, checksum, applied_at) VALUES ($version, '$name', '$sum', now())" >/dev/null
  echo "applied $base ($n statements)"
  count=$((count + 1))
done
echo "migrations: ${#files[@]} files, $count applied now, $((${#files[@]} - count)) already applied"
