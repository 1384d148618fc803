"""Markdown table of fit results (metrics.json files) for the quality runs."""

from __future__ import annotations

import json
import math
from pathlib import Path


def _f(v: object) -> str:
    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{float(v):.4f}"  # type: ignore[arg-type]


def render(dirs: list[str | Path]) -> str:
    rows = [
        "| model | family / operator | test AUC | GAUC | logloss | oracle AUC | best epoch | ONNX parity |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for d in dirs:
        p = Path(d) / "metrics.json"
        if not p.exists():
            continue
        m = json.loads(p.read_text())
        t = m["test"]
        parity = m.get("parity_max_abs_diff")
        rows.append(
            f"| {m['model']} | {m['architecture']} | {_f(t.get('auc'))} | {_f(t.get('gauc'))} | "
            f"{_f(t.get('logloss'))} | {_f(t.get('oracle_auc'))} | {m['best_epoch']} | "
            f"{'-' if parity is None else f'{parity:.1e}'} |"
        )
    return "\n".join(rows)
