#!/usr/bin/env bash
# Creates training/.venv idempotently from PyPI (pinned in training/requirements-cpu.txt).
#
# Lean CPU install (default when no GPU): PyPI's Linux torch wheel depends on ~2.3 GB of
# nvidia-* / cuda-toolkit wheels, and its libtorch_cpu.so links libcudart/libcupti, so
# `--no-deps` alone does not import. We install torch with --no-deps (540 MB wheel) and
# generate tiny stub libraries for the missing CUDA sonames (scripts/cuda_stubs.py): every
# stub reports "no device", so torch runs on CPU only. With a GPU (nvidia-smi present) or
# SEQLANE_TORCH=cuda the real CUDA dependencies are installed instead.
#
# Wheels are kept in a wheelhouse (SEQLANE_WHEELHOUSE, default ~/.cache/seqlane/wheels): pip's own
# cache stores nothing from this registry, so without it every fresh venv re-downloads 600 MB.
#
# Env: PYTHON (default python3.11), SEQLANE_TORCH=cpu|cuda (default: auto), SEQLANE_WHEELHOUSE.
# Re-running is a no-op while requirements and this script are unchanged (stamp file).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$here/.venv"
py="${PYTHON:-python3.11}"
mode="${SEQLANE_TORCH:-auto}"
if [[ "$mode" == auto ]]; then
  if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then mode=cuda; else mode=cpu; fi
fi
stamp_want="$mode $(cat "$here/requirements-cpu.txt" "$here/scripts/venv.sh" "$here/scripts/cuda_stubs.py" "$here/pyproject.toml" | sha256sum | cut -c1-16)"
if [[ -f "$venv/.seqlane-stamp" && "$(cat "$venv/.seqlane-stamp")" == "$stamp_want" ]] \
   && "$venv/bin/python" -c "import torch, onnx, onnxruntime, seqlane_train" 2>/dev/null; then
  echo "venv.sh: $venv is up to date ($mode)"
  exit 0
fi
start=$(date +%s)
rm -rf "$venv"
"$py" -m venv "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)
torch_pin="$(grep -E '^torch==' "$here/requirements-cpu.txt")"
if [[ "$mode" == cuda ]]; then
  "${pip[@]}" install "$torch_pin"
  grep -vE '^torch==' "$here/requirements-cpu.txt" > "$venv/req.txt"
  "${pip[@]}" install -r "$venv/req.txt"
else
  # requirements-cpu.txt is a complete lock (transitive deps included), so --no-deps is exact;
  # it also keeps pip from pulling torch's nvidia-* requirements.
  wh="${SEQLANE_WHEELHOUSE:-$HOME/.cache/seqlane/wheels}"
  mkdir -p "$wh"
  "${pip[@]}" download --no-deps --only-binary=:all: -d "$wh" -r "$here/requirements-cpu.txt"
  "${pip[@]}" install --no-index --find-links "$wh" --no-deps -r "$here/requirements-cpu.txt"
  torch_dir="$("$venv/bin/python" -c 'import importlib.util,os;print(os.path.dirname(importlib.util.find_spec("torch").origin))')"
  "$venv/bin/python" "$here/scripts/cuda_stubs.py" "$torch_dir"
fi
# The package itself: a .pth path entry (an editable install without a build backend download).
site="$("$venv/bin/python" -c 'import sysconfig;print(sysconfig.get_paths()["purelib"])')"
echo "$here/src" > "$site/seqlane_train.pth"
"$venv/bin/python" -c "import torch, onnx, onnxruntime, seqlane_train; print('venv.sh: torch', torch.__version__, 'cuda', torch.cuda.is_available())"
echo "$stamp_want" > "$venv/.seqlane-stamp"
echo "venv.sh: ready in $(( $(date +%s) - start ))s, $(du -sh "$venv" | cut -f1) ($mode)"
