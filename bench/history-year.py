#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The history charts on a year of 1-minute readings, judged against issue 5's goals.

  bench/history-year.py [BUILD] [--runs 5] [--db PATH] [--retention]

Runs BUILD/tests/ui/charts/bench-history-first-frame (default BUILD: build) --runs times under
a virtual display and prints the best of them:

  * per range (24 h, 7 d, 30 d, 90 d, 1 y; 800 px wide): the chart query
    (gauge_store_load_account_series, as the History page asks) and drawing its result with the
    renderer the app uses; goal: query + draw within 16 ms;
  * the History page's first frame, on the 24 h and the 1 y range; goal: within 150 ms;
  * the database's size, split into the readings, their indexes and the hourly rollup.

The database (525,600 fetches of three windows, generated through the store on first use,
about 15 s) goes to a throw-away folder; --db PATH keeps it between runs. A database written
by an older version is migrated on the first run ("store open" is then the migration).
--retention times a copy on which the daily retention ran first (30 days in full, one
reading an hour before): what a year-old database holds.
"""

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gauge_bench import nest_under_display  # noqa: E402

RANGES = ["24 h", "7 d", "30 d", "90 d", "1 y"]
CHART_GOAL_MS = 16.0
FRAME_GOAL_MS = 150.0

RANGE_RE = re.compile(r"range (\S+ \S)\s+(\d+) points\s+query\s+([\d.]+) ms\s+draw\s+([\d.]+) ms")
FRAME_RE = re.compile(r"history view, (\S+ \S) range: first frame ([\d.]+) ms, data on worker "
                      r"thread ([\d.]+) ms, frame with every chart ([\d.]+) ms")


def run_once(bench, db, retention):
    args = [bench] + (["--retention"] if retention else []) + [db]
    env = dict(os.environ, GTK_A11Y="none", NO_AT_BRIDGE="1")
    return subprocess.run(args, check=True, stdout=subprocess.PIPE, text=True, env=env).stdout


def sizes(db):
    """MB per part of the database, from SQLite's dbstat table where it has one."""
    total = os.path.getsize(db) / 1e6
    try:
        con = sqlite3.connect(db)
        rows = dict(con.execute("SELECT name, sum(pgsize) / 1e6 FROM dbstat GROUP BY name"))
        n = con.execute("SELECT count(*) FROM readings").fetchone()[0]
        free = (con.execute("PRAGMA freelist_count").fetchone()[0]
                * con.execute("PRAGMA page_size").fetchone()[0] / 1e6)
        con.close()
    except sqlite3.Error:
        return f"{total:.1f} MB"
    indexes = sum(v for k, v in rows.items()
                  if k.startswith("readings_") and k != "readings_hourly")
    return (f"{total:.1f} MB for {n:,} readings: readings {rows.get('readings', 0):.1f} MB, "
            f"their indexes {indexes:.1f} MB, "
            f"hourly rollup {rows.get('readings_hourly', 0):.1f} MB, "
            f"fetches {rows.get('fetches', 0) + rows.get('fetches_fetched_at', 0):.1f} MB, "
            f"free pages {free:.1f} MB")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("build", nargs="?", default="build")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--db")
    p.add_argument("--retention", action="store_true")
    a = p.parse_args()

    bench = os.path.join(a.build, "tests", "ui", "charts", "bench-history-first-frame")
    if not os.access(bench, os.X_OK):
        sys.exit(f"{bench} not found: build first (ninja -C {a.build})")
    nest_under_display()

    tmp = tempfile.TemporaryDirectory(prefix="claude-gauge-history-year-")
    db = a.db or os.path.join(tmp.name, "history.db")
    first = run_once(bench, db, False)
    print("".join(line + "\n" for line in first.splitlines()
                  if line.startswith(("generated", "store open"))), end="")
    if a.retention:
        copy = os.path.join(tmp.name, "retained.db")
        for suffix in ("", "-wal"):
            if os.path.exists(db + suffix):
                shutil.copyfile(db + suffix, copy + suffix)
        db = copy
        first = run_once(bench, db, True)
        print(next(line for line in first.splitlines() if line.startswith("retention")))
    print("database:", sizes(db))

    best = {}
    frames = {}
    renderer = "?"
    for run in range(a.runs):
        out = first if run == 0 else run_once(bench, db, a.retention)
        for line in out.splitlines():
            if line.startswith("renderer "):
                renderer = line.split()[1]
            m = RANGE_RE.search(line)
            if m:
                name, points = m.group(1), int(m.group(2))
                query, draw = float(m.group(3)), float(m.group(4))
                b = best.setdefault(name, {"points": points, "query": query, "draw": draw,
                                           "total": query + draw})
                b["query"] = min(b["query"], query)
                b["draw"] = min(b["draw"], draw)
                b["total"] = min(b["total"], query + draw)
            m = FRAME_RE.search(line)
            if m:
                f = frames.setdefault(m.group(1), [float("inf")] * 3)
                frames[m.group(1)] = [min(x, float(y)) for x, y in zip(f, m.group(2, 3, 4))]

    print(f"\nbest of {a.runs} runs, each the best of 7; renderer {renderer}")
    print(f"{'range':>6} {'points':>7} {'query ms':>9} {'draw ms':>8} {'total ms':>9}   "
          f"goal {CHART_GOAL_MS:.0f} ms")
    met = True
    for name in RANGES:
        b = best.get(name)
        if b is None:
            print(f"{name:>6}   (no figure)")
            met = False
            continue
        ok = b["total"] <= CHART_GOAL_MS
        met &= ok
        print(f"{name:>6} {b['points']:>7} {b['query']:>9.2f} {b['draw']:>8.2f} {b['total']:>9.2f}"
              f"   {'met' if ok else 'MISSED'}")
    for name, (first_frame, loaded, filled) in frames.items():
        ok = first_frame <= FRAME_GOAL_MS
        met &= ok
        print(f"History page on {name}: first frame {first_frame:.1f} ms "
              f"(goal {FRAME_GOAL_MS:.0f} ms: {'met' if ok else 'MISSED'}); data read on a worker "
              f"thread in {loaded:.1f} ms, every chart drawn at {filled:.1f} ms")
    print("all goals met" if met else "some goals MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
