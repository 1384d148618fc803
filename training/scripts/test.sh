#!/usr/bin/env bash
# CI entry for training/: build (or reuse) the venv, then run the unit and parity tests.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/scripts/venv.sh"
cd "$here"
exec "$here/.venv/bin/python" -m pytest tests "$@"
