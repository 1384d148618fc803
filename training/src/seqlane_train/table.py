"""Quality tables from fit (and rule) output dirs: one row per model, mean and spread over seeds.

`render` groups metrics.json files by model name. A model fitted with several seeds gets
"mean ± sd" over its seeds and the [min, max] range of test AUC; a no-learning rule (its
metrics.json has "kind": "rule") and the oracle (the generator's true probabilities, when the
samples carry them) are reference rows. `plot_svg` draws test AUC per model with its seed range.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

HEADER = (
    "| model | family / operator | seeds | test AUC (mean ± sd) | AUC range | GAUC | logloss | best step "
    "| ONNX parity |",
    "|---|---|---|---|---|---|---|---|---|",
)


def _f(v: object) -> str:
    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{float(v):.4f}"  # type: ignore[arg-type]


def _num(v: object) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    x = float(v)  # type: ignore[arg-type]
    return None if math.isnan(x) else x


def stats(values: list[float]) -> tuple[float, float, float, float]:
    """mean, sample sd (0 for one value), min, max."""
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else 0.0
    return mean, sd, min(values), max(values)


def load(dirs: list[str | Path]) -> dict[str, list[dict[str, Any]]]:
    """model name -> its metrics.json documents, in the order given (missing dirs are skipped)."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in dirs:
        p = Path(d) / "metrics.json"
        if p.exists():
            m = json.loads(p.read_text())
            groups[m["model"]].append(m)
    return dict(groups)


def _mean_sd(runs: list[dict[str, Any]], key: str) -> str:
    vals = [v for v in (_num(r["test"].get(key)) for r in runs) if v is not None]
    if not vals:
        return "-"
    mean, sd, _, _ = stats(vals)
    return f"{mean:.4f}" if len(vals) == 1 else f"{mean:.4f} ± {sd:.4f}"


def summary(groups: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One entry per model: name, kind, test AUC mean/sd/min/max and the seeds it covers."""
    out = []
    for name, runs in groups.items():
        aucs = [v for v in (_num(r["test"].get("auc")) for r in runs) if v is not None]
        if not aucs:
            continue
        mean, sd, lo, hi = stats(aucs)
        out.append(
            {
                "model": name,
                "kind": runs[0].get("kind", "model"),
                "seeds": len(aucs),
                "auc_mean": mean,
                "auc_sd": sd,
                "auc_min": lo,
                "auc_max": hi,
            }
        )
    return out


def oracle(groups: dict[str, list[dict[str, Any]]]) -> float | None:
    for runs in groups.values():
        for r in runs:
            v = _num(r["test"].get("oracle_auc"))
            if v is not None:
                return v
    return None


def render(dirs: list[str | Path]) -> str:
    groups = load(dirs)
    rows = list(HEADER)
    summaries = {s["model"]: s for s in summary(groups)}
    for name, runs in groups.items():
        s = summaries.get(name)
        if s is None:
            continue
        parity = [p for p in (_num(r.get("parity_max_abs_diff")) for r in runs) if p is not None]
        steps = [int(r["best_step"]) for r in runs if r.get("best_step") is not None]
        label = f"**{name}**" if s["kind"] == "rule" else name
        rng = "-" if s["seeds"] == 1 else f"{s['auc_min']:.4f} to {s['auc_max']:.4f}"
        rows.append(
            f"| {label} | {runs[0]['architecture']} | {s['seeds'] if s['kind'] != 'rule' else 'no learning'} | "
            f"{_mean_sd(runs, 'auc')} | {rng} | {_mean_sd(runs, 'gauc')} | {_mean_sd(runs, 'logloss')} | "
            f"{'-' if not steps else round(sum(steps) / len(steps))} | "
            f"{'-' if not parity else f'{max(parity):.1e}'} |"
        )
    o = oracle(groups)
    if o is not None:
        rows.append(f"| **oracle** | the generator's true click probability | - | {o:.4f} | - | - | - | - | - |")
    return "\n".join(rows)


def plot_svg(dirs: list[str | Path], title: str) -> str:
    """Horizontal dot plot: test AUC mean per model (dot) and its seed range (bar); rule and oracle as lines."""
    groups = load(dirs)
    models = [s for s in summary(groups) if s["kind"] != "rule"]
    rules = [s for s in summary(groups) if s["kind"] == "rule"]
    o = oracle(groups)
    refs = [(s["model"], s["auc_mean"], "#b45309") for s in rules] + ([("oracle", o, "#15803d")] if o else [])
    values = [v for s in models for v in (s["auc_min"], s["auc_max"])] + [r[1] for r in refs]
    lo = math.floor(min([0.5, *values]) * 20) / 20
    hi = math.ceil(max([0.5, *values]) * 20) / 20
    if hi <= lo:
        hi = lo + 0.05
    left, right, row_h = 130, 30, 22
    top = 40 + 13 * len(refs)
    width, height = 640, top + row_h * len(models) + 45
    plot_w = width - left - right

    def x(v: float) -> float:
        return left + (v - lo) / (hi - lo) * plot_w

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        '<rect width="100%" height="100%" fill="white"/>',
        f'<text x="10" y="20" font-size="14" font-weight="bold">{_esc(title)}</text>',
    ]
    axis_y = top + row_h * len(models) + 5
    ticks = round((hi - lo) / 0.05)
    for i in range(ticks + 1):
        v = lo + i * 0.05
        out.append(f'<line x1="{x(v):.1f}" y1="{top - 5}" x2="{x(v):.1f}" y2="{axis_y}" stroke="#e5e7eb"/>')
        out.append(f'<text x="{x(v):.1f}" y="{axis_y + 15}" text-anchor="middle">{v:.2f}</text>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{axis_y + 32}" text-anchor="middle">test AUC</text>')
    for k, (name, v, colour) in enumerate(refs):
        anchor, dx = ("end", -3) if x(v) > left + 0.6 * plot_w else ("start", 3)
        out.append(
            f'<line x1="{x(v):.1f}" y1="{top - 5}" x2="{x(v):.1f}" y2="{axis_y}" stroke="{colour}" '
            f'stroke-dasharray="4 3"><title>{_esc(name)} {v:.4f}</title></line>'
        )
        out.append(
            f'<text x="{x(v) + dx:.1f}" y="{top - 8 - 13 * k}" fill="{colour}" text-anchor="{anchor}">'
            f"{_esc(name)} {v:.3f}</text>"
        )
    for i, s in enumerate(models):
        y = top + row_h * i + row_h / 2
        out.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{_esc(s["model"])}</text>')
        out.append(
            f'<line x1="{x(s["auc_min"]):.1f}" y1="{y:.1f}" x2="{x(s["auc_max"]):.1f}" y2="{y:.1f}" '
            'stroke="#1d4ed8" stroke-width="3"/>'
        )
        out.append(
            f'<circle cx="{x(s["auc_mean"]):.1f}" cy="{y:.1f}" r="4" fill="#1d4ed8">'
            f"<title>{_esc(s['model'])}: {s['auc_mean']:.4f} ± {s['auc_sd']:.4f} over {s['seeds']} seeds</title>"
            "</circle>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
