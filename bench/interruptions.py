#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Interrupt the transcript index for real, again and again, and count how many runs end
equal to a clean index (the goal: all of them).

    bench/interruptions.py [--runs 5] [--size-mb 300] [--seed 1] [--history DIR]
                           [--build build] [--kills 3] [--cases kill,quit,...]

On a generated history (bench/gen_claude_history.py, cached by size and seed as
bench/ccusage-compare.py caches them; or --history DIR), each run on a database of its own:

  kill         `claude-gauge --report=daily --json` on an empty database, throttled (stopped
               and continued in turn, so that it gets about a tenth of a core: works as root
               and as any user) and killed with SIGKILL right after one of its commits;
               --kills times on the same database, then one report to its end
  quit         the app's first start (its first index), throttled, quit over D-Bus
               (app.quit: what Ctrl+Q and the tray's Quit do) right after a commit; then a report
  two-reports  two `--report=daily --json` on the same empty database (made by a report with
               no transcripts, as after a first --status), started together
  app-report   the app's first start and a `--report=daily --json`, started together, on an
               empty database; then the app quits
  first-use    two reports at once with no database at all yet (the race to create it)
  statuslines  20 `--statusline` at once with no database yet, each given a reading (as
               Claude Code starts them): equal when all 20 readings are stored, once each

A run is equal to a clean index when every report it printed is byte for byte the clean one,
and the database holds the same entries (count, token sums, none stored twice) with the
entry sums equal to the entries per quarter hour. Runs under its own virtual display and
session bus (xvfb-run, dbus-run-session) for the app.
"""

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gauge_bench import (DEFAULT_CACHE, FakeApi, generated_history, make_home,  # noqa: E402
                         nest_under_display, usage_payload)

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP_ID = "io.github.claudegauge.ClaudeGauge"
SLICE = 0.003      # seconds a throttled process runs between looks
PAUSE = 0.027      # and is stopped: about a tenth of a core
CASES = ("kill", "quit", "two-reports", "app-report", "first-use", "statuslines")
STATUSLINES = 20


def log(*a):
    print(*a, file=sys.stderr, flush=True)


class Home:
    """A throwaway home: Claude Code's credentials, the app's settings, an empty database."""

    def __init__(self, work, build, api, history):
        self.dir = tempfile.mkdtemp(prefix="run-", dir=work)
        self.env = make_home(self.dir, build, api.url, {"run-in-background": "true"}, [])
        self.env.update(CLAUDE_CONFIG_DIR=history, TZ="UTC", LC_ALL="C.UTF-8")
        self.env.pop("G_MESSAGES_DEBUG", None)
        self.db = os.path.join(self.env["XDG_DATA_HOME"], "claude-gauge", "history.db")


def report(binary, home, **kw):
    return subprocess.Popen([binary, "--report=daily", "--json"], env=home.env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def app(binary, home):
    return subprocess.Popen([binary], env=home.env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def quit_app(home):
    """app.quit over the session bus, not waited for: the app may be stopped right now."""
    return subprocess.Popen(["gdbus", "call", "--session", "--dest", APP_ID,
                             "--object-path", "/" + APP_ID.replace(".", "/"),
                             "--method", "org.gtk.Actions.Activate", "quit", "[]", "{}"],
                            env=home.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def committed(db):
    """Entries committed so far; -1 before the database has its tables."""
    if not os.path.exists(db) or os.path.getsize(db) == 0:
        return -1
    try:
        con = sqlite3.connect("file:%s?mode=rw" % db, uri=True, timeout=0.05)
        try:
            return con.execute("SELECT count(*) FROM entries").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return -1


def digest(db):
    """What the index holds, summed; None when the entry sums are not the entries."""
    con = sqlite3.connect("file:%s?mode=rw" % db, uri=True, timeout=5)
    try:
        entries = con.execute("SELECT count(*), count(dedup_key), sum(input_tokens),"
                              " sum(output_tokens), sum(cache_creation_5m_tokens),"
                              " sum(cache_creation_1h_tokens), sum(cache_read_tokens)"
                              " FROM entries").fetchone()
        total = ("input_tokens + output_tokens + cache_creation_5m_tokens +"
                 " cache_creation_1h_tokens + cache_read_tokens")
        by_entries = con.execute("SELECT timestamp / 900000 AS b, count(*), sum(%s) FROM entries"
                                 " GROUP BY b ORDER BY b" % total).fetchall()
        by_sums = con.execute("SELECT bucket, sum(n), sum(%s) FROM entry_sums WHERE n != 0"
                              " GROUP BY bucket ORDER BY bucket" % total).fetchall()
        twice = con.execute("SELECT count(*) FROM (SELECT 1 FROM entries WHERE dedup_key"
                            " IS NOT NULL GROUP BY dedup_key, key_check HAVING count(*) > 1)"
                            ).fetchone()[0]
    finally:
        con.close()
    if by_entries != by_sums:
        return None
    return "entries %s, stored twice %d" % (entries, twice)


def throttled(proc, until, timeout=600):
    """Lets @proc run a slice at a time until it ends (False) or until() says stop, when it
    is left stopped (True)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        os.kill(proc.pid, signal.SIGCONT)
        time.sleep(SLICE)
        os.kill(proc.pid, signal.SIGSTOP)
        if proc.poll() is not None:
            return False
        if until():
            return True
        time.sleep(PAUSE)
    os.kill(proc.pid, signal.SIGKILL)
    raise SystemExit("pid %d did not get there in %d s" % (proc.pid, timeout))


class Bench:
    def __init__(self, args, binary, history, work, api):
        self.args, self.binary, self.history, self.work, self.api = args, binary, history, work, api
        self.rand = random.Random(args.seed)
        home = self.home()
        out, err = report(binary, home).communicate()
        if not out:
            raise SystemExit("the clean report failed:\n" + err)
        self.clean = out
        self.clean_digest = digest(home.db)
        log("clean index: %s" % self.clean_digest)

    def home(self, empty_db=False):
        home = Home(self.work, self.args.build, self.api, self.history)
        if empty_db:
            nothing = os.path.join(home.dir, "no-transcripts")
            os.makedirs(os.path.join(nothing, "projects"))
            subprocess.run([self.binary, "--report=daily"],
                           env=dict(home.env, CLAUDE_CONFIG_DIR=nothing),
                           stdout=subprocess.DEVNULL, check=True)
        return home

    def equal(self, home, outputs, what):
        """Runs one more report to its end, then compares everything with the clean index."""
        out, err = report(self.binary, home).communicate()
        problems = []
        for i, o in enumerate(outputs + [out]):
            if o != self.clean:
                problems.append("report %d differs from the clean one%s" %
                                (i + 1, ":\n" + err if not o else ""))
        d = digest(home.db)
        if d != self.clean_digest:
            problems.append("database: %s, clean: %s" % (d or "entry sums differ from the entries",
                                                         self.clean_digest))
        log("  %s: %s" % (what, "NOT equal: " + "; ".join(problems) if problems else "equal"))
        shutil.rmtree(home.dir, ignore_errors=True)
        return not problems

    def after_next_commit(self, home):
        base = max(committed(home.db), 0)
        return lambda: committed(home.db) > base

    def run_kill(self):
        home = self.home()
        kills = 0
        for _ in range(self.args.kills):
            proc = report(self.binary, home)
            if throttled(proc, self.after_next_commit(home)):
                proc.kill()
                kills += 1
            proc.communicate()
        return self.equal(home, [], "kill (%d kills landed)" % kills)

    def run_quit(self):
        home = self.home()
        proc = app(self.binary, home)
        asked = throttled(proc, self.after_next_commit(home))
        if asked:
            call = quit_app(home)
            throttled(proc, lambda: False, timeout=120)
            call.wait()
        else:
            log("  quit: the app ended before its first commit")
        proc.wait()
        if proc.returncode != 0:
            log("  quit: the app ended with status %d" % proc.returncode)
        return self.equal(home, [], "quit (%s)" % ("quit mid-index" if asked else "missed"))

    def two_reports(self, home, what):
        first, second = report(self.binary, home), report(self.binary, home)
        outputs = [first.communicate()[0], second.communicate()[0]]
        return self.equal(home, outputs, what)

    def run_two_reports(self):
        return self.two_reports(self.home(empty_db=True), "two reports")

    def run_first_use(self):
        return self.two_reports(self.home(), "first use")

    def run_statuslines(self):
        home = self.home()
        now = int(time.time())
        procs = []
        for i in range(STATUSLINES):
            reading = {"session_id": "s%d" % i, "rate_limits": {
                "five_hour": {"used_percentage": 10 + i, "resets_at": now + 3600},
                "seven_day": {"used_percentage": 50, "resets_at": now + 86400}}}
            procs.append((subprocess.Popen([self.binary, "--statusline"], env=home.env, text=True,
                                           stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                           stderr=subprocess.PIPE), json.dumps(reading)))
        # Their input arrives together, as when Claude Code starts them.
        for proc, reading in procs:
            proc.stdin.write(reading)
            proc.stdin.close()
        errors = [proc.stderr.read() for proc, _ in procs]
        for proc, _ in procs:
            proc.wait()
        con = sqlite3.connect("file:%s?mode=ro" % home.db, uri=True, timeout=5)
        try:
            stored = sorted(r[0] for r in con.execute(
                "SELECT r.utilization FROM readings r JOIN fetches f ON f.id = r.fetch_id"
                " WHERE f.source = 'statusline' AND r.window = 'five_hour'"))
        finally:
            con.close()
        if stored != [10.0 + i for i in range(STATUSLINES)]:
            log("  statuslines: %d of %d readings stored%s" %
                (len(stored), STATUSLINES, "".join("\n    " + e for e in errors if e)))
            shutil.rmtree(home.dir, ignore_errors=True)
            return False
        return self.equal(home, [], "statuslines (%d readings stored)" % len(stored))

    def run_app_report(self):
        home = self.home(empty_db=True)
        proc = app(self.binary, home)
        out = report(self.binary, home).communicate()[0]
        quit_app(home).wait()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        return self.equal(home, [out], "app and report")


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="runs per case (default %(default)s)")
    ap.add_argument("--size-mb", type=float, default=300, help="history size (default %(default)s)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--history",
                    help="use this history (a CLAUDE_CONFIG_DIR) instead of generating one")
    ap.add_argument("--cache", default=DEFAULT_CACHE, help="histories cache (default %(default)s)")
    ap.add_argument("--build", default=os.path.join(TOP, "build"),
                    help="build dir (default %(default)s)")
    ap.add_argument("--kills", type=int, default=3,
                    help="kills per run of the kill case (default %(default)s)")
    ap.add_argument("--cases", default=",".join(CASES),
                    help="comma-separated, of: " + ", ".join(CASES))
    args = ap.parse_args()

    args.build = os.path.abspath(args.build)
    binary = os.path.join(args.build, "src", "claude-gauge")
    if not os.path.exists(binary):
        raise SystemExit("%s not found: build first" % binary)
    cases = [c for c in args.cases.split(",") if c]
    for c in cases:
        if c not in CASES:
            raise SystemExit("unknown case %s (%s)" % (c, ", ".join(CASES)))
    if {"quit", "app-report"} & set(cases):
        nest_under_display()

    history = (os.path.abspath(args.history) if args.history
               else generated_history(args.cache, args.size_mb, args.seed, log=log))
    if not os.path.isdir(os.path.join(history, "projects")):
        raise SystemExit("%s has no projects/ directory" % history)

    api = FakeApi(usage_payload())
    work = tempfile.mkdtemp(prefix="gauge-interruptions-")
    try:
        bench = Bench(args, binary, history, work, api)
        results = {}
        for case in cases:
            run = getattr(bench, "run_" + case.replace("-", "_"))
            equal = 0
            for i in range(args.runs):
                equal += bool(run())
                log("%s: run %d of %d done" % (case, i + 1, args.runs))
            results[case] = equal
    finally:
        api.close()
        shutil.rmtree(work, ignore_errors=True)

    print()
    print("history %s" % history)
    print("%-12s %s" % ("case", "runs equal to a clean index"))
    for case, equal in results.items():
        print("%-12s %d of %d%s" % (case, equal, args.runs,
                                    "" if equal == args.runs else "   MISSED"))
    return 0 if all(v == args.runs for v in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
