#!/usr/bin/env bash
# Quality runs (not CI): fit every model on (1) a generated stream replayed into samples by the
# TypeScript CLI and (2) the Taobao UserBehavior head, then print AUC / GAUC / logloss tables
# (with the oracle AUC of the generator's true click probabilities for (1)).
#
# Usage: training/scripts/quality.sh [gen|genref|taobao|all]   (default all)
#   gen     TypeScript replay --samples of a generated stream (the product path)
#   genref  the same stream through the Python reference replay (seqlane_train genstream), to
#           cross-check the TypeScript samples: both tables should agree
# Env:   MODELS="pooling din ..." (default: target_only and the fourteen sequence models), SEEDS (1 2 3),
#        JOBS (fits run at once, default 1), EVENTS, USERS (2000),
#        EMB_L2 (mini-batch-aware embedding L2, default 0), EMB_LR_SCALE (fit's default), THREADS (1),
#        OUT (training/out/quality),
#        TAOBAO_CSV (../shared/data/... path below); EPOCHS, PATIENCE (evaluations), BATCH_SIZE, LR:
#        passed to fit only when set, otherwise fit's data-size rules apply (training/README.md).
#        EVENTS defaults to 1000000: a shorter stream is mostly users' first sessions (training
#        rows then see 5 past clicks on average). The Taobao samples are rebuilt on every run.
# Needs: training/.venv (scripts/venv.sh) and, for gen, `npm run build` so services/cli/dist exists.
# Output: $OUT/<dataset>/<model>/seed<S>/{metrics.json,model.onnx,manifest.json}, $OUT/<dataset>/rule/,
#         $OUT/<dataset>.md (mean ± sd over SEEDS, the no-learning category rule and, for gen, the
#         oracle as reference rows) and $OUT/<dataset>.svg (test AUC per model with its seed range).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
py="$root/training/.venv/bin/python"
what="${1:-all}"
models="${MODELS:-target_only pooling din dien bst dsin sim dmt dupn dhan atrank tissa surge alisearch}"
seeds="${SEEDS:-1 2 3}"
out="${OUT:-$root/training/out/quality}"
taobao_csv="${TAOBAO_CSV:-$root/../shared/data/taobao-userbehavior-head/UserBehavior.csv}"
mkdir -p "$out"
bash "$root/training/scripts/venv.sh" >/dev/null

fit_one() {  # data out model seed
  "$py" -m seqlane_train fit --model "$3" --data "$1" --out "$2" --seed "$4" \
    --threads "${THREADS:-1}" --emb-l2 "${EMB_L2:-0}" "${opt[@]}" >/dev/null 2>"$2.log" \
    || { echo "quality.sh: fit $3 seed $4 failed, see $2.log" >&2; return 1; }
  echo "  done $3 seed $4" >&2
}

fit_all() {  # dataset-dir name
  local data="$1" name="$2" running=0
  local dirs=("$out/$name/rule")
  opt=()
  [[ -n "${EPOCHS:-}" ]] && opt+=(--epochs "$EPOCHS")
  [[ -n "${PATIENCE:-}" ]] && opt+=(--patience "$PATIENCE")
  [[ -n "${BATCH_SIZE:-}" ]] && opt+=(--batch-size "$BATCH_SIZE")
  [[ -n "${LR:-}" ]] && opt+=(--lr "$LR")
  [[ -n "${EMB_LR_SCALE:-}" ]] && opt+=(--emb-lr-scale "$EMB_LR_SCALE")
  "$py" -m seqlane_train rule --data "$data" --out "$out/$name/rule" >/dev/null
  for m in $models; do
    for s in $seeds; do
      echo "== $name: $m seed $s" >&2
      mkdir -p "$out/$name/$m"
      fit_one "$data" "$out/$name/$m/seed$s" "$m" "$s" &
      running=$((running + 1))
      if ((running >= ${JOBS:-1})); then wait -n || true; running=$((running - 1)); fi
      dirs+=("$out/$name/$m/seed$s")
    done
  done
  wait || true
  "$py" -m seqlane_train table "${dirs[@]}" --svg "$out/$name.svg" --title "$name: test AUC, mean and seed range" \
    | tee "$out/$name.md"
}

if [[ "$what" == gen || "$what" == all ]]; then
  cli="$root/services/cli/dist/main.js"
  [[ -f "$cli" ]] || { echo "quality.sh: $cli missing; run npm run build first" >&2; exit 1; }
  "$py" -m seqlane_train manifest --model all --out "$out/union-manifest.json"
  node "$cli" gen --out "$out/events.jsonl" --events "${EVENTS:-1000000}" --users "${USERS:-2000}" --seed 1
  rm -rf "$out/gen-samples"
  node "$cli" replay --in "$out/events.jsonl" --samples "$out/gen-samples" --manifest "$out/union-manifest.json"
  fit_all "$out/gen-samples" gen
fi
if [[ "$what" == genref || "$what" == all ]]; then
  [[ -f "$out/events.jsonl" ]] || node "$root/services/cli/dist/main.js" gen --out "$out/events.jsonl" \
    --events "${EVENTS:-1000000}" --users "${USERS:-2000}" --seed 1
  rm -rf "$out/genref-samples"
  "$py" -m seqlane_train genstream --events "$out/events.jsonl" --out "$out/genref-samples"
  fit_all "$out/genref-samples" genref
fi
if [[ "$what" == taobao || "$what" == all ]]; then
  [[ -f "$taobao_csv" ]] || { echo "quality.sh: $taobao_csv missing" >&2; exit 1; }
  rm -rf "$out/taobao-samples"  # samples built before the past-only negatives leak the test period
  "$py" -m seqlane_train taobao --csv "$taobao_csv" --out "$out/taobao-samples" --negatives 1 --max-events 60
  fit_all "$out/taobao-samples" taobao
fi
