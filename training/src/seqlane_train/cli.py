"""python -m seqlane_train {fit, export, manifest, synth, taobao, import, parity, rule, table}."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import fields
from pathlib import Path

from . import manifest as mf


def _fit(a: argparse.Namespace) -> int:
    from .trainer import FitOptions, fit

    known = {f.name for f in fields(FitOptions)}
    opts = FitOptions(**{k: v for k, v in vars(a).items() if k in known and v is not None})
    res = fit(opts)
    print(
        json.dumps(
            {"model": res["model"], "test": res["test"], "parity": res.get("parity_max_abs_diff")}, default=float
        )
    )
    return 0


def _export(a: argparse.Namespace) -> int:
    from .export import export
    from .trainer import load

    m = export(load(a.checkpoint), a.out, version=a.version)
    print(f"wrote {Path(a.out) / 'model.onnx'} and manifest.json ({m.name} v{m.version})")
    return 0


def _manifest(a: argparse.Namespace) -> int:
    from .models import REGISTRY, ModelConfig
    from .union import union_manifest

    cfg = ModelConfig(item_buckets=a.item_buckets, cat_buckets=a.cat_buckets, head=a.head)
    m = union_manifest(cfg) if a.model == "all" else REGISTRY[a.model](cfg).manifest(version=a.version)
    text = json.dumps(m.to_dict(), indent=2)
    if a.out:
        mf.write(m, a.out)
    else:
        print(text)
    return 0


def _synth(a: argparse.Namespace) -> int:
    from . import samples, synthetic
    from .models import ModelConfig
    from .union import union_manifest

    m = union_manifest(ModelConfig(item_buckets=a.item_buckets, cat_buckets=a.cat_buckets))
    samples.write(synthetic.sample_set(m, a.rows, seed=a.seed), a.out, source="seqlane_train synth")
    print(f"wrote {a.rows} synthetic rows to {a.out}")
    return 0


def _taobao(a: argparse.Namespace) -> int:
    from .taobao import convert

    convert(
        a.csv,
        a.out,
        negatives=a.negatives,
        max_events_per_user=a.max_events,
        seed=a.seed,
        item_buckets=a.item_buckets,
        cat_buckets=a.cat_buckets,
    )
    return 0


def _genstream(a: argparse.Namespace) -> int:
    from .genstream import convert

    s = convert(a.events, a.out, item_buckets=a.item_buckets, cat_buckets=a.cat_buckets, max_rows=a.max_rows)
    print(f"wrote {s.rows} rows to {a.out}")
    return 0


def _import(a: argparse.Namespace) -> int:
    from .importer import convert

    convert(
        a.data,
        a.mapping,
        a.out,
        item_buckets=a.item_buckets,
        cat_buckets=a.cat_buckets,
        brand_buckets=a.brand_buckets,
        max_rows=a.max_rows,
    )
    return 0


def _parity(a: argparse.Namespace) -> int:
    from .export import parity
    from .trainer import load

    model = load(a.checkpoint)
    onnx = (Path(a.dir) / "model.onnx").read_bytes()
    m = mf.read(Path(a.dir) / "manifest.json")
    diff = parity(model, onnx, m, users=a.users, cands=a.cands)
    print(json.dumps({"max_abs_diff": diff, "ok": diff <= 1e-5}))
    return 0 if diff <= 1e-5 else 1


def _compare(a: argparse.Namespace) -> int:
    """Row agreement per tensor between two sample sets of the same stream (e.g. TS vs reference)."""

    from . import samples

    x, y = samples.read(a.a), samples.read(a.b)
    n = min(x.rows, y.rows)
    report = {"rows": [x.rows, y.rows]}
    for name in ("labels", "ts", "user"):
        u, v = getattr(x, name)[:n], getattr(y, name)[:n]
        report[name] = float((u.reshape(n, -1) == v.reshape(n, -1)).all(1).mean())
    for name in sorted(set(x.tensors) & set(y.tensors)):
        u, v = x.tensors[name][:n], y.tensors[name][:n]
        if u.shape[1:] == v.shape[1:]:
            report[name] = float((u.reshape(n, -1) == v.reshape(n, -1)).all(1).mean())
    print(json.dumps(report, indent=1))
    return 0 if all(v == 1.0 for k, v in report.items() if k != "rows") else 1


def _table(a: argparse.Namespace) -> int:
    from .table import plot_svg, render

    print(render(a.dirs))
    if a.svg:
        Path(a.svg).write_text(plot_svg(a.dirs, a.title or Path(a.svg).stem))
    return 0


def _rule(a: argparse.Namespace) -> int:
    from .rules import evaluate

    res = evaluate(a.data, a.out, a.rule, a.val_frac, a.test_frac, a.test_data)
    print(json.dumps({"model": res["model"], "test": res["test"]}, default=float))
    return 0


def parser() -> argparse.ArgumentParser:
    from .models import REGISTRY

    p = argparse.ArgumentParser(prog="seqlane_train", description=__doc__)
    sub = p.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fit", help="train on a sample directory, early-stop on val AUC, export")
    f.add_argument("--model", required=True, choices=sorted(REGISTRY))
    f.add_argument("--data", required=True, help="sample directory (docs/samples.md)")
    f.add_argument("--out", required=True, help="output dir: model.pt, model.onnx, manifest.json, metrics.json")
    f.add_argument("--epochs", type=int, help="at most this many passes over the training rows (default 10)")
    f.add_argument(
        "--batch-size",
        dest="batch_size",
        type=int,
        help="default: the power of two nearest train_rows / 128, within [32, 512]",
    )
    f.add_argument("--lr", type=float, help="Adam learning rate (default 2e-3 * sqrt(batch_size / 512))")
    f.add_argument("--weight-decay", dest="weight_decay", type=float, help="Adam L2 (default 0)")
    f.add_argument(
        "--emb-l2",
        dest="emb_l2",
        type=float,
        help="mini-batch-aware L2 on item/category embedding rows, scaled by 1/frequency (DIN paper; default 0)",
    )
    f.add_argument(
        "--emb-lr-scale",
        dest="emb_lr_scale",
        type=float,
        help="embedding tables learn at lr times this; 0 keeps their random init (default 0.03)",
    )
    f.add_argument(
        "--aux-weight",
        dest="aux_weight",
        type=float,
        help="weight of a model's auxiliary loss (DIEN's next-click loss; default 1)",
    )
    f.add_argument("--patience", type=int, help="stop after this many evaluations without a val AUC gain (default 4)")
    f.add_argument(
        "--eval-every",
        dest="eval_every",
        type=int,
        help="evaluate on validation every N optimizer steps (default max(50, ceil(steps_per_epoch / 4)))",
    )
    f.add_argument(
        "--min-steps", dest="min_steps", type=int, help="never stop early before this many steps (default 500)"
    )
    f.add_argument(
        "--val-frac", dest="val_frac", type=float, help="validation share of --data, newest before test (default 0.1)"
    )
    f.add_argument(
        "--test-frac",
        dest="test_frac",
        type=float,
        help="test share of --data, its newest rows (default 0.1; 0 with --test-data)",
    )
    f.add_argument(
        "--test-data",
        dest="test_data",
        help="a sample directory (docs/samples.md, same manifest as --data) used as the test set",
    )
    f.add_argument("--seed", type=int)
    f.add_argument("--threads", type=int, help="torch CPU threads (default 1)")
    f.add_argument("--device", help="auto (default: cuda when present), cpu, cuda")
    f.add_argument("--head", choices=["ctr", "esmm", "mmoe"], help="ctr (default) or esmm (CTR x CVR) head")
    f.add_argument("--version")
    f.add_argument("--no-export", dest="export", action="store_false", default=None)
    f.add_argument("--quiet", action="store_true", default=None)
    f.set_defaults(run=_fit)
    e = sub.add_parser("export", help="model.pt -> model.onnx + manifest.json")
    e.add_argument("--checkpoint", required=True)
    e.add_argument("--out", required=True)
    e.add_argument("--version", default="1")
    e.set_defaults(run=_export)
    m = sub.add_parser("manifest", help="print a model's manifest (or the union of all: --model all)")
    m.add_argument("--model", required=True, choices=[*sorted(REGISTRY), "all"])
    m.add_argument("--item-buckets", dest="item_buckets", type=int, default=100_000)
    m.add_argument("--cat-buckets", dest="cat_buckets", type=int, default=1_000)
    m.add_argument("--head", default="ctr", choices=["ctr", "esmm", "mmoe"])
    m.add_argument("--version", default="1")
    m.add_argument("--out")
    m.set_defaults(run=_manifest)
    s = sub.add_parser("synth", help="write a small synthetic sample set (union manifest) for smoke runs")
    s.add_argument("--out", required=True)
    s.add_argument("--rows", type=int, default=4000)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--item-buckets", dest="item_buckets", type=int, default=500)
    s.add_argument("--cat-buckets", dest="cat_buckets", type=int, default=300)
    s.set_defaults(run=_synth)
    t = sub.add_parser("taobao", help="convert Taobao UserBehavior.csv into a sample set (next-item task)")
    t.add_argument("--csv", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--negatives", type=int, default=1)
    t.add_argument("--max-events", dest="max_events", type=int, default=60, help="newest target events per user")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--item-buckets", dest="item_buckets", type=int, default=200_003)
    t.add_argument("--cat-buckets", dest="cat_buckets", type=int, default=10_007)
    t.set_defaults(run=_taobao)
    g = sub.add_parser("genstream", help="reference replay of `seqlane gen` JSONL into samples (cross-check)")
    g.add_argument("--events", required=True)
    g.add_argument("--out", required=True)
    g.add_argument("--item-buckets", dest="item_buckets", type=int, default=100_000)
    g.add_argument("--cat-buckets", dest="cat_buckets", type=int, default=1_000)
    g.add_argument("--max-rows", dest="max_rows", type=int)
    g.set_defaults(run=_genstream)
    im = sub.add_parser("import", help="pre-built sequence rows (CSV/Parquet) + a JSON column mapping -> a sample set")
    im.add_argument("--data", required=True, help="CSV or Parquet file, one row per candidate")
    im.add_argument("--mapping", required=True, help="JSON column mapping (docs/samples.md; training/examples/import)")
    im.add_argument("--out", required=True)
    im.add_argument("--item-buckets", dest="item_buckets", type=int, default=200_003)
    im.add_argument("--cat-buckets", dest="cat_buckets", type=int, default=10_007)
    im.add_argument("--brand-buckets", dest="brand_buckets", type=int, default=100_003)
    im.add_argument("--max-rows", dest="max_rows", type=int, help="import only the first N rows")
    im.set_defaults(run=_import)
    q = sub.add_parser("parity", help="compare model.pt and model.onnx on synthetic inputs (1e-5)")
    q.add_argument("--checkpoint", required=True)
    q.add_argument("--dir", required=True)
    q.add_argument("--users", type=int, default=5)
    q.add_argument("--cands", type=int, default=17)
    q.set_defaults(run=_parity)
    c = sub.add_parser("compare", help="share of identical rows per tensor between two sample sets")
    c.add_argument("a")
    c.add_argument("b")
    c.set_defaults(run=_compare)
    tb = sub.add_parser("table", help="markdown table of metrics.json from fit output dirs")
    tb.add_argument("dirs", nargs="+")
    tb.add_argument("--svg", help="also write a dot plot of test AUC per model with its seed range")
    tb.add_argument("--title", help="the plot's title (default: the svg file's name)")
    tb.set_defaults(run=_table)
    r = sub.add_parser("rule", help="score fit's test rows with a no-learning rule (reference row of the tables)")
    r.add_argument("--data", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--rule", default="cat_share", help="cat_share (default) or item_repeat")
    r.add_argument("--val-frac", dest="val_frac", type=float, default=0.1)
    r.add_argument("--test-frac", dest="test_frac", type=float)
    r.add_argument("--test-data", dest="test_data")
    r.set_defaults(run=_rule)
    return p


def main(argv: list[str] | None = None) -> int:
    from .errors import SeqlaneTrainError

    args = parser().parse_args(argv)
    try:
        return int(args.run(args))
    except SeqlaneTrainError as e:  # bad options or inputs: the message says which and why
        print(f"seqlane_train {args.cmd}: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
