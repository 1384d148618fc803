#!/usr/bin/env bash
# Creates test/chdb/.venv with chDB (requirements.txt, pinned) for the current-ClickHouse
# comparison; prints the venv's python. Idempotent: does nothing when the venv already holds
# exactly these requirements. Costs one ~180 MB wheel download and ~560 MB on disk.
# Env: PYTHON (default python3, 3.9+), SEQLANE_CHDB_VENV (default test/chdb/.venv).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${SEQLANE_CHDB_VENV:-$here/.venv}"
req="$here/requirements.txt"
want="$(sha256sum "$req" | cut -d' ' -f1)"
stamp="$venv/.requirements.sha256"

if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "$venv/bin/python"
  exit 0
fi
rm -rf "$venv"
"${PYTHON:-python3}" -m venv "$venv" >&2
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$req" >&2
"$venv/bin/python" -c "import chdb; chdb.query('SELECT 1')" >&2
echo "$want" >"$stamp"
echo "$venv/bin/python"
