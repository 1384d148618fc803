#!/usr/bin/env python3
"""Runs a comparison plan on ClickHouse 18.16 (the stack's server, over HTTP) and on chDB
(current ClickHouse in process, a temporary directory) and compares every query's rows.

The plan (JSON, written by test/chdb/plan.ts) is a list of steps run in order on each engine:
`command` (DDL, INSERT ... SELECT) must succeed on both, `insert` sends JSONEachRow rows,
`query` must succeed on both with the same column names and the same rows. Values are compared
after normalising what differs only in print: 64-bit integers quoted or not, float precision
(relative 1e-9), and row order where the query has no ORDER BY of its own. Type names that
differ are listed as notes, not failures.

Usage: compare.py PLAN.json --report REPORT.json [--url http://127.0.0.1:8123]
Exit status: 0 when nothing differs, 1 on any mismatch, 2 when an engine cannot be reached.
"""

import argparse
import json
import math
import os
import re
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

# The stack's server runs in UTC (infra/clickhouse/config); chDB takes the process time zone.
os.environ["TZ"] = "UTC"
time.tzset()

FORMAT = "JSONCompact"


class EngineError(Exception):
    pass


class Server:
    """ClickHouse over HTTP, as @clickhouse/client talks to it (database as a URL parameter)."""

    name = "18.16 server"

    def __init__(self, url, user, password):
        self.url = url.rstrip("/") + "/"
        self.headers = {"X-ClickHouse-User": user, "X-ClickHouse-Key": password}

    def run(self, text, database, fmt=None):
        params = {"database": database}
        if fmt:
            params["default_format"] = fmt
        req = urllib.request.Request(
            self.url + "?" + urllib.parse.urlencode(params), data=text.encode("utf-8"), headers=self.headers
        )
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            raise EngineError(e.read().decode("utf-8", "replace").strip()) from None

    def version(self):
        return self.run("SELECT version()", "default").decode().strip()

    def close(self, database):
        self.run(f"DROP DATABASE IF EXISTS `{database}`", "default")


class Chdb:
    """chDB: the current ClickHouse engine in this process, its data in a temporary directory."""

    name = "chDB"

    def __init__(self):
        started = time.monotonic()
        from chdb import session  # imported here: the venv has it, the caller may not

        self.dir = tempfile.mkdtemp(prefix="seqlane-chdb-")
        self.session = session.Session(self.dir)
        self.database = None
        self.load_s = time.monotonic() - started

    def run(self, text, database, fmt=None):
        try:
            if database != self.database:
                self.session.query(f"USE `{database}`")
                self.database = database
            return self.session.query(text, fmt or "TabSeparated").bytes()
        except Exception as e:  # chdb raises its own ChdbError (a RuntimeError)
            raise EngineError(str(e).strip()) from None

    def version(self):
        return self.run("SELECT version()", "default").decode().strip()

    def close(self, _database):
        self.session.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def run_plan(engine, steps):
    """Runs every step; returns {id: {ok, error, meta, data, ms}}. Keeps going after a failure."""
    out = {}
    for s in steps:
        text = s["sql"] if s["kind"] != "insert" else s["sql"] + "\n" + s["rows"]
        started = time.monotonic()
        try:
            raw = engine.run(text, s["database"], FORMAT if s["kind"] == "query" else None)
            res = {"ok": True}
            if s["kind"] == "query":
                doc = json.loads(raw)
                res["meta"] = doc["meta"]
                res["data"] = doc["data"]
        except EngineError as e:
            res = {"ok": False, "error": str(e)}
        res["ms"] = (time.monotonic() - started) * 1000
        out[s["id"]] = res
    return out


# ---- normalisation -------------------------------------------------------------------------


def split_top(s):
    """Splits `a, B(c, d), e` at top-level commas."""
    parts, depth, cur = [], 0, ""
    for ch in s:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def norm(v, t):
    """A value as its type means it: integers as int whether quoted or not, floats as float."""
    if v is None:
        return None
    t = t.strip()
    m = re.match(r"^(\w+)\((.*)\)$", t, re.S)
    if m:
        outer, inner = m.group(1), m.group(2)
        if outer in ("Nullable", "LowCardinality"):
            return norm(v, inner)
        if outer == "Array":
            return [norm(x, inner) for x in v]
        if outer == "Tuple":
            types = [re.sub(r"^[A-Za-z_]\w*\s+(?=\S)", "", p) if re.match(r"^[A-Za-z_]\w*\s", p) else p for p in split_top(inner)]
            return [norm(x, tt) for x, tt in zip(v, types)]
        return v
    if re.match(r"^U?Int\d+$", t):
        return int(v)
    if re.match(r"^Float\d+$", t):
        return float(v)
    return v


def decimals(x):
    r = repr(float(x))
    return 0 if "e" in r else len(r.split(".")[1].rstrip("0"))


def rounded_tie(a, b):
    """a and b are the two roundings of one exact tie (x.5 in their last decimal place)."""
    k = max(decimals(a), decimals(b))
    unit = 10.0**-k
    mid = (a + b) / 2 * 10**k
    return math.isclose(abs(a - b), unit, rel_tol=1e-6) and math.isclose(mid - math.floor(mid), 0.5, abs_tol=1e-6)


def same(a, b, ties=False):
    """Equal values; floats to a relative 1e-9. With `ties`, also the two roundings of a tie:
    round() breaks ties away from zero on 18.16 and to even on current releases."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y, ties) for x, y in zip(a, b))
    num = (int, float)
    if isinstance(a, num) and isinstance(b, num) and not isinstance(a, bool) and not isinstance(b, bool):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) or (ties and rounded_tie(a, b))
    return a == b


def sort_key(row):
    def k(v):
        if isinstance(v, list):
            return [k(x) for x in v]
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return f"{float(v):.6g}"
        return repr(v)

    return json.dumps(k(row))


def has_order_by(text):
    """True when the statement ends in its own ORDER BY (outside parentheses, strings, comments)."""
    text = re.sub(r"--[^\n]*", " ", text)
    text = re.sub(r"'(?:\\.|[^'\\])*'", "''", text)
    depth, flat = 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif depth == 0:
            flat.append(ch)
    return re.search(r"\bORDER\s+BY\b", "".join(flat), re.I) is not None


def rows_of(res):
    types = [c["type"] for c in res["meta"]]
    return [[norm(v, t) for v, t in zip(row, types)] for row in res["data"]]


def first_difference(a, b, ordered, ties=False):
    if len(a) != len(b):
        return f"{len(a)} rows vs {len(b)} rows"
    if not ordered:
        a, b = sorted(a, key=sort_key), sorted(b, key=sort_key)
        if not all(same(x, y, ties) for x, y in zip(a, b)):
            # Sorting by rounded keys can split near-equal floats: match row by row instead.
            left = list(b)
            for x in a:
                hit = next((i for i, y in enumerate(left) if same(x, y, ties)), None)
                if hit is None:
                    return f"row {json.dumps(x)} has no equal on the other engine"
                left.pop(hit)
            return None
    for i, (x, y) in enumerate(zip(a, b)):
        if not same(x, y, ties):
            return f"row {i}: {json.dumps(x)} vs {json.dumps(y)}"
    return None


def compare(steps, left, right):
    """Returns (mismatches, type_notes, rounded_ties, queries_compared)."""
    mismatches, notes, ties, compared = [], [], [], 0
    for s in steps:
        a, b = left[s["id"]], right[s["id"]]

        def fail(problem):
            mismatches.append({"id": s["id"], "kind": s["kind"], "problem": problem, "sql": s["sql"][:400]})

        if not a["ok"] or not b["ok"]:
            msgs = []
            if not a["ok"]:
                msgs.append(f"18.16: {a['error'][:600]}")
            if not b["ok"]:
                msgs.append(f"chDB: {b['error'][:600]}")
            fail("failed on " + "; ".join(msgs))
            continue
        if s["kind"] != "query":
            continue
        compared += 1
        names_a, names_b = [c["name"] for c in a["meta"]], [c["name"] for c in b["meta"]]
        if names_a != names_b:
            fail(f"column names differ: {names_a} vs {names_b}")
            continue
        for c, ta, tb in zip(names_a, [c["type"] for c in a["meta"]], [c["type"] for c in b["meta"]]):
            if ta != tb:
                notes.append({"id": s["id"], "column": c, "18.16": ta, "chDB": tb})
        ra, rb = rows_of(a), rows_of(b)
        ordered = has_order_by(s["sql"])
        diff = first_difference(ra, rb, ordered)
        if diff and re.search(r"\bround\(", s["sql"], re.I) and not first_difference(ra, rb, ordered, ties=True):
            ties.append({"id": s["id"], "first": diff})
            diff = None
        if diff:
            fail(f"results differ: {diff}")
            continue
        if s.get("mustHaveRows") and not ra:
            fail("no rows on either engine: the data do not exercise this query")
            continue
        if "expect" in s:
            got = [{n: str(v) for n, v in zip(names_a, r)} for r in ra]
            want = [{n: str(v) for n, v in r.items()} for r in s["expect"]]
            if got != want:
                fail(f"the plan assumed {want} (the fake warehouse's answer), both engines say {got}")
    return mismatches, notes, ties, compared


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("plan")
    ap.add_argument("--report", required=True)
    ap.add_argument("--url", default=os.environ.get("SEQLANE_CLICKHOUSE_URL", "http://127.0.0.1:8123"))
    ap.add_argument("--user", default=os.environ.get("SEQLANE_CLICKHOUSE_USER", "default"))
    ap.add_argument("--password", default=os.environ.get("SEQLANE_CLICKHOUSE_PASSWORD", ""))
    args = ap.parse_args()
    with open(args.plan, encoding="utf-8") as f:
        plan = json.load(f)
    steps, database = plan["steps"], plan["database"]

    server = Server(args.url, args.user, args.password)
    try:
        server_version = server.version()
    except (OSError, EngineError) as e:
        print(f"cannot reach ClickHouse at {args.url}: {e}", file=sys.stderr)
        return 2
    chdb = Chdb()
    timing = {"chdb_load_s": round(chdb.load_s, 3)}
    try:
        started = time.monotonic()
        on_server = run_plan(server, steps)
        timing["server_s"] = round(time.monotonic() - started, 3)
    finally:
        server.close(database)
    try:
        chdb_version = chdb.version()
        started = time.monotonic()
        on_chdb = run_plan(chdb, steps)
        timing["chdb_s"] = round(time.monotonic() - started, 3)
    finally:
        chdb.close(database)

    mismatches, notes, ties, compared = compare(steps, on_server, on_chdb)
    slowest = sorted(steps, key=lambda s: -on_chdb[s["id"]]["ms"])[:3]
    report = {
        "engines": {"18.16": server_version, "chDB": chdb_version},
        "steps": len(steps),
        "statements": sum(1 for s in steps if s["kind"] != "query"),
        "inserted_rows": sum(s["rows"].count("\n") for s in steps if s["kind"] == "insert"),
        "queries_compared": compared,
        "rows_compared": sum(len(on_server[s["id"]].get("data") or []) for s in steps if s["kind"] == "query"),
        "mismatches": mismatches,
        "type_notes": notes,
        "rounded_ties": ties,
        "timing": timing,
        "slowest_on_chdb": [{"id": s["id"], "ms": round(on_chdb[s["id"]]["ms"], 1)} for s in slowest],
    }
    with open(args.report, "w", encoding="utf-8") as f:
        json.dump(report, f, indent=2)

    print(f"ClickHouse {server_version} (server) vs {chdb_version} (chDB)")
    print(
        f"{report['steps']} steps: {report['statements']} statements ({report['inserted_rows']} rows inserted), "
        f"{compared} queries compared ({report['rows_compared']} rows); "
        f"18.16 {timing['server_s']} s, chDB {timing['chdb_s']} s (+{timing['chdb_load_s']} s to load)"
    )
    print(
        f"{len(notes)} columns typed differently, {len(ties)} queries with round() ties broken differently "
        f"(neither is a failure), {len(mismatches)} mismatches"
    )
    for t in ties:
        print(f"round() tie {t['id']}: {t['first']}")
    for m in mismatches:
        print(f"MISMATCH {m['id']} ({m['kind']}): {m['problem']}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
