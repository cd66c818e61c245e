#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""claude-gauge --report=daily|session|blocks --json against real ccusage 20.0.24 on fixed fixtures.

Environment:
  CLAUDE_GAUGE_BIN  our binary (set by meson's test_env)
  CCUSAGE_BIN       ccusage's native binary; else ~/.cache/claude-gauge-bench/ccusage/node_modules/
                    @ccusage/ccusage-linux-x64/bin/ccusage (bench/ccusage-compare.py installs it there)
Exit status: 0 equal, 1 mismatches (listed on stdout), 77 skipped (no ccusage, or no --report yet).

Usage: test-ccusage.py [--keep DIR] [--preindex INDEX-DRIVER]
  --keep      write the fixtures and every JSON output to DIR
  --preindex  fill our database with tests/core/local/index-driver first (for a --report that does not
              index by itself yet)
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)

import ccusage_compare as cc  # noqa: E402

SKIP = 77
# Each: (label, timezone, since, until). Dates cover the DST changes in the fixtures.
DAILY_CASES = [
    ("utc", "UTC", None, None),
    ("new-york", "America/New_York", None, None),
    ("berlin", "Europe/Berlin", None, None),
    ("tokyo", "Asia/Tokyo", None, None),
    ("new-york-range", "America/New_York", "2026-03-05", "2026-03-08"),
]
SESSION_CASES = [("utc", "UTC"), ("new-york", "America/New_York")]
BLOCK_CASES = [("utc", "UTC"), ("berlin", "Europe/Berlin")]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--keep", help="keep fixtures and outputs in this directory")
    ap.add_argument("--preindex", help="index-driver binary: fill our database before the first --report")
    args = ap.parse_args()

    gauge = os.environ.get("CLAUDE_GAUGE_BIN")
    if not gauge or not os.access(gauge, os.X_OK):
        print("SKIP: CLAUDE_GAUGE_BIN is not set to an executable")
        return SKIP
    ccusage = cc.find_ccusage()
    if ccusage is None:
        print("SKIP: ccusage %s not found: set CCUSAGE_BIN, or run `npm install --prefix %s ccusage@%s`"
              % (cc.CCUSAGE_VERSION, cc.DEFAULT_CACHE, cc.CCUSAGE_VERSION))
        return SKIP
    version = cc.ccusage_version(ccusage)
    if version != cc.CCUSAGE_VERSION:
        print("SKIP: %s is ccusage %s, the comparison is defined against %s" % (ccusage, version, cc.CCUSAGE_VERSION))
        return SKIP
    if not cc.gauge_has_report(gauge):
        print("SKIP: %s has no --report option yet" % gauge)
        return SKIP

    work = args.keep or tempfile.mkdtemp(prefix="test-ccusage-")
    if args.keep:
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
    data = os.path.join(work, "claude")
    subprocess.run([sys.executable, os.path.join(HERE, "gen-fixtures.py"), data], check=True)
    # Scenarios on which ccusage's own reports disagree (gen-fixtures.py: daily_only): their own
    # history, compared with its daily report only.
    daily_data = os.path.join(work, "claude-daily-only")
    subprocess.run([sys.executable, os.path.join(HERE, "gen-fixtures.py"), "--daily-only", daily_data], check=True)
    print("fixtures: %s\nccusage: %s (%s)\nclaude-gauge: %s" % (data, ccusage, version, gauge))

    # One database for all our runs (the first run indexes, later runs read it); ccusage has no state.
    genv, gtmp = cc.isolated_env(data)
    cenv, ctmp = cc.isolated_env(data)
    dgenv, dgtmp = cc.isolated_env(daily_data)
    dcenv, dctmp = cc.isolated_env(daily_data)
    diffs = []
    if args.preindex:
        dbdir = os.path.join(genv["XDG_DATA_HOME"], "claude-gauge")
        os.makedirs(dbdir, exist_ok=True)
        subprocess.run([args.preindex, os.path.join(dbdir, "history.db")], env=genv, check=True,
                       stdout=subprocess.DEVNULL)

    def both(report, tag, tz, since=None, until=None, gauge_env=genv, ccusage_env=cenv):
        theirs = cc.run_json(cc.ccusage_cmd(ccusage, report, tz, since, until), ccusage_env)
        ours = cc.run_json(cc.gauge_cmd(gauge, report, tz, since, until), gauge_env)
        if report in ("daily", "session") and (ours.get("daily") or ours.get("sessions")):
            rows = ours.get("daily") or ours.get("sessions")
            if rows and "modelBreakdowns" not in rows[0]:
                ours = cc.run_json(cc.gauge_cmd(gauge, report, tz, since, until, breakdown=True), gauge_env)
        if args.keep:
            for side, doc in (("ccusage", theirs), ("claude-gauge", ours)):
                with open(os.path.join(work, "%s-%s-%s.json" % (report, tag, side)), "w") as f:
                    json.dump(doc, f, indent=1, sort_keys=True)
        return ours, theirs

    unpriced = set()
    try:
        for tag, tz, since, until in DAILY_CASES:
            ours, theirs = both("daily", tag, tz, since, until)
            unpriced |= set((theirs.get("totals") or {}).get("unpricedModels") or [])
            if theirs.get("daily") and not ours.get("daily") and tag == DAILY_CASES[0][0]:
                print("FAIL: claude-gauge --report=daily returned no days where ccusage has %d: does --report "
                      "index the transcripts (gauge-cli-report.c update_index)?" % len(theirs["daily"]))
            diffs.append(cc.compare_daily(ours, theirs, "daily[%s]" % tag))
        ours, theirs = both("daily", "daily-only", "UTC", gauge_env=dgenv, ccusage_env=dcenv)
        diffs.append(cc.compare_daily(ours, theirs, "daily[daily-only]"))
        for tag, tz in SESSION_CASES:
            ours, theirs = both("session", tag, tz)
            diffs.append(cc.compare_session(ours, theirs, "session[%s]" % tag))
        for tag, tz in BLOCK_CASES:
            ours, theirs = both("blocks", tag, tz)
            diffs.append(cc.compare_blocks(ours, theirs, "blocks[%s]" % tag, unpriced))
    except (RuntimeError, subprocess.TimeoutExpired) as e:
        print("FAIL: %s" % e)
        return 1
    finally:
        for tmp in (gtmp, ctmp, dgtmp, dctmp):
            shutil.rmtree(tmp, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    bad = 0
    for d in diffs:
        status = "ok" if d.ok() else "MISMATCH"
        print("%-26s %-8s rows %3d, costs compared %3d, skipped %2d" % (d.label, status, d.rows_compared,
                                                                       d.costs_compared, d.costs_skipped))
        for line in d.lines:
            print("  " + line)
        bad += len(d.lines)
    if bad:
        print("%d mismatches (fixture scenarios: see tests/cli/ccusage/gen-fixtures.py; a session id names its scenario)" % bad)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
