#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Time claude-gauge against ccusage 20.0.24 on the same generated history, and check equal totals.

    bench/ccusage-compare.py [--quick] [--size-mb 2048] [--seed 1] [--gauge build/src/claude-gauge]

What it does (issue 3, "Measure"):
  1. npm-installs ccusage@20.0.24 into --ccusage-cache (default ~/.cache/claude-gauge-bench/ccusage;
     reused when present; 20.0.26 has no linux-x64 native binary) and runs its native Rust binary
     node_modules/@ccusage/ccusage-linux-x64/bin/ccusage directly: going through the npm launcher
     (node_modules/.bin/ccusage, a node script that spawns the same binary) would add node's ~40 ms
     start-up to every ccusage figure.
  2. Generates a history with bench/gen_claude_history.py (cached by size, seed and generator version
     under --cache, so re-runs do not regenerate), or uses --history DIR.
  3. With a fresh HOME / XDG_* per run and CLAUDE_CONFIG_DIR pointing both tools at the same data
     (TZ and --timezone fixed), measures with /usr/bin/time -f '%e %M %U %S' (wall s, peak RSS KiB,
     user s, system s) and a monotonic clock:
       cold index     claude-gauge --report=daily --json on an empty database (median of --cold-runs)
                      vs ccusage daily --json --offline (median of --cold-runs; ccusage keeps no state)
       nothing changed claude-gauge --report=daily --json again (median of --runs; goal <= 50 ms)
       append         gen_claude_history.py --append-lines 20 --into <copy>, then the incremental
                      --report=daily (the copy shares unchanged files with the cache by hard links;
                      the appended-to file and the manifest are real copies)
       live append    tests/core/local/bench-append (next to the index driver) on that copy: the app's
                      path, GFileMonitor → index pass → summary the window shows; 20 lines, 5 rounds;
                      time until seen, CPU of the index and of the summary (goal: <= 1 s, <= 5 ms)
       big file       (median of --cold-runs, each cold) one ~700 MB transcript (--big-mb): the history's main session files concatenated
                      into a single <session>.jsonl, a newline forced between files, repeated with
                      message.id / requestId rewritten (msg_ -> msg_pN, req_ -> req_pN) when the history
                      is smaller than the target, so every pass is new usage, not duplicates; both tools
                      index it cold; goal: our peak RSS bounded (<= 64 MB)
  4. Checks totals: daily (per day: inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens,
     totalTokens exactly; totalCost within 0.01 % where both price every model), session and blocks,
     against `ccusage claude daily|session|blocks --json --offline` (the per-agent form, whose field
     names our --report uses); prints mismatching days/sessions/blocks.
  4b. Times tests/core/local/index-driver (the index alone, before --report exists) the same way, and
     checks its token totals against ccusage's.
  5. Prints a table: figure, claude-gauge, ccusage, ratio, goal, met/missed; --json-out writes it all.

The page cache is warmed (every file read once) before each timed cold run, so both tools are
measured warm (some machines page out files left untouched for a minute).
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(REPO, "tests", "cli", "ccusage"))
sys.path.insert(0, os.path.join(REPO, "bench"))

import ccusage_compare as cc  # noqa: E402
from gauge_bench import DEFAULT_CACHE, GENERATOR, generated_history  # noqa: E402

TIME_FMT = "%e %M %U %S"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# running and timing

class Run:
    def __init__(self, wall, rss_kib, user, system, stdout, rc, stderr):
        self.wall, self.rss_kib, self.user, self.system = wall, rss_kib, user, system
        self.stdout, self.rc, self.stderr = stdout, rc, stderr

    @property
    def rss_mb(self):
        return self.rss_kib / 1024.0

    @property
    def cpu(self):
        return self.user + self.system


def timed(cmd, env, timeout=3600):
    """Run cmd under /usr/bin/time; wall from a monotonic clock (ms resolution), RSS/CPU from time(1)."""
    fd, tf = tempfile.mkstemp(prefix="bench-time-")
    os.close(fd)
    try:
        t0 = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-o", tf, "-f", TIME_FMT] + cmd, env=env, capture_output=True,
                           text=True, timeout=timeout)
        wall = time.perf_counter() - t0
        with open(tf) as f:
            last = [ln for ln in f.read().splitlines() if ln.strip()][-1].split()
        _e, m, u, s = last[-4:]
        return Run(wall, int(m), float(u), float(s), p.stdout, p.returncode, p.stderr)
    finally:
        os.unlink(tf)


def check(run, what):
    if run.rc != 0:
        raise RuntimeError("%s exited %d: %s" % (what, run.rc, run.stderr.strip()[-2000:]))
    return run


def median_run(runs):
    runs = sorted(runs, key=lambda r: r.wall)
    return runs[len(runs) // 2]


def warm_page_cache(root):
    n = 0
    for d, _dirs, files in os.walk(root):
        for f in files:
            with open(os.path.join(d, f), "rb") as fh:
                while fh.read(1 << 22):
                    pass
            n += 1
    return n


def dir_size(root):
    total = 0
    for d, _dirs, files in os.walk(root):
        for f in files:
            total += os.path.getsize(os.path.join(d, f))
    return total


# ---------------------------------------------------------------------------------------------
# histories

def generate(cache, size_mb, seed, tz_offset):
    return generated_history(cache, size_mb, seed, tz_offset, log)


def linked_copy(src, dst):
    """Hard-link copy of src; the file append mode will write to and the manifest become real copies."""
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    subprocess.run(["cp", "-al", src, dst], check=True)
    newest, newest_m = None, -1.0
    for d, _dirs, files in os.walk(os.path.join(dst, "projects")):
        for f in files:
            if f.endswith(".jsonl"):
                p = os.path.join(d, f)
                m = os.stat(p).st_mtime
                if m > newest_m:
                    newest, newest_m = p, m
    for p in (newest, os.path.join(dst, "gen-manifest.json")):
        if p and os.path.exists(p):
            tmp = p + ".copy"
            shutil.copy2(p, tmp)
            os.replace(tmp, p)
    return newest


def live_append(tool, db, transcript, env, figures, result, rounds=5):
    """tests/core/local/bench-append: 20 lines appended to a watched history, ROUNDS times; the
    median time until the index announced them and the CPU the process spent (getrusage)."""
    out = subprocess.run([tool, db, transcript, "20", str(rounds)], env=env, check=True,
                         capture_output=True, text=True).stdout
    seen, index_cpu, summary_cpu = [], [], []
    for line in out.splitlines():
        m = re.search(r"seen after ([0-9.]+) ms; index CPU ([0-9.]+) ms; summary CPU ([0-9.]+) ms", line)
        if m:
            seen.append(float(m.group(1)))
            index_cpu.append(float(m.group(2)))
            summary_cpu.append(float(m.group(3)))
    if not seen:
        log("bench-append printed nothing usable:\n" + out)
        return
    med = statistics.median
    figures.append(("live: 20 appended lines seen (median of %d)" % len(seen), "%.0f ms" % med(seen),
                    "", "", "<= 1 s", med(seen) <= 1000))
    figures.append(("  index CPU for them (getrusage)", "%.2f ms" % med(index_cpu), "", "", "<= 5 ms",
                    med(index_cpu) <= 5))
    figures.append(("  window summary recomputed, CPU", "%.2f ms" % med(summary_cpu), "", "",
                    "(in the 5 ms)", med(index_cpu) + med(summary_cpu) <= 5))
    result["figures"]["live_append"] = {"seenMs": seen, "indexCpuMs": index_cpu, "summaryCpuMs": summary_cpu}


def session_files(history):
    """Main session transcripts (not sub-agent files), in a stable order."""
    out = []
    for d, dirs, files in os.walk(os.path.join(history, "projects")):
        dirs.sort()
        if "subagents" in d.split(os.sep):
            continue
        for f in sorted(files):
            if f.endswith(".jsonl") and not f.startswith("agent-"):
                out.append(os.path.join(d, f))
    return out


def make_big(cache, history, tag, big_mb):
    out = os.path.join(cache, "big", "%s-%dmb" % (tag, big_mb))
    target = big_mb * 1024 * 1024
    path = os.path.join(out, "projects", "-home-dev-src-monolith", "0b16f11e-0000-4000-8000-00000000b16f.jsonl")
    if os.path.isfile(os.path.join(out, ".complete")):
        log("big transcript: reusing %s" % path)
        return out, path
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.dirname(path))
    files = session_files(history)
    if not files:
        sys.exit("no session files in %s" % history)
    log("big transcript: writing %d MB to %s" % (big_mb, path))
    written, npass = 0, 0
    with open(path, "wb") as dst:
        while written < target:
            for f in files:
                with open(f, "rb") as src:
                    data = src.read()
                if npass:
                    data = data.replace(b'"id":"msg_', b'"id":"msg_p%d' % npass)
                    data = data.replace(b'"requestId":"req_', b'"requestId":"req_p%d' % npass)
                if data and not data.endswith(b"\n"):
                    data += b"\n"
                dst.write(data)
                written += len(data)
                if written >= target:
                    break
            npass += 1
    open(os.path.join(out, ".complete"), "w").close()
    return out, path


# ---------------------------------------------------------------------------------------------

def find_gauge(arg):
    cands = [arg] if arg else [os.environ.get("CLAUDE_GAUGE_BIN"),
                                 os.path.join(REPO, "build", "src", "claude-gauge"),
                                 os.path.join(REPO, "build-ccusage", "src", "claude-gauge")]
    for c in cands:
        if c and os.access(c, os.X_OK):
            return os.path.abspath(c)
    return None


def find_driver(arg):
    if arg == "none":
        return None
    cands = [arg] if arg else [os.path.join(REPO, b, "tests", "core", "local", "index-driver")
                               for b in ("build", "build-ccusage")]
    for c in cands:
        if c and os.access(c, os.X_OK):
            return os.path.abspath(c)
    return None


def run_driver(driver, data, env_for, env=None):
    """tests/core/local/index-driver on a fresh database (or env's, again): its own figures plus time(1)'s."""
    env = env or env_for(data)
    db = os.path.join(env["XDG_DATA_HOME"], "index.db")
    r = check(timed([driver, db], env), "index-driver")
    out = {}
    for ln in r.stdout.splitlines():
        k, _, v = ln.partition(":")
        try:
            out[k.strip()] = float(v)
        except ValueError:
            pass
    out["dbMB"] = os.path.getsize(db) / 1048576.0 if os.path.exists(db) else None
    return r, out


def fmt_s(x):
    return "-" if x is None else ("%.3f s" % x if x >= 1 else "%.1f ms" % (x * 1000))


def fmt_mb(x):
    return "-" if x is None else "%.1f MB" % x


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="~100 MB history, 70 MB big transcript, fewer runs")
    ap.add_argument("--size-mb", type=float, help="history size (default 2048, --quick 100)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--history", help="use this history (a CLAUDE_CONFIG_DIR) instead of generating one")
    ap.add_argument("--big-mb", type=int, help="single-transcript size (default 700, --quick 70); 0 skips")
    ap.add_argument("--gauge", help="claude-gauge binary (default $CLAUDE_GAUGE_BIN, build/src/claude-gauge)")
    ap.add_argument("--cache", default=DEFAULT_CACHE, help="histories cache (default %(default)s)")
    ap.add_argument("--ccusage-cache", default=cc.DEFAULT_CACHE, help="npm prefix for ccusage (default %(default)s)")
    ap.add_argument("--install-only", action="store_true", help="install ccusage, print its path, exit")
    ap.add_argument("--timezone", default="America/New_York", help="for both tools (default %(default)s)")
    ap.add_argument("--cold-runs", type=int, help="cold runs per tool (default 3, --quick 3)")
    ap.add_argument("--runs", type=int, default=10, help="runs of the nothing-changed report (median)")
    ap.add_argument("--index-driver", help="tests/core/local/index-driver to time the index alone "
                    "(default: build*/tests/core/local/index-driver; 'none' skips)")
    ap.add_argument("--no-compare", action="store_true", help="timings only")
    ap.add_argument("--json-out", help="write the figures and mismatches as JSON here")
    args = ap.parse_args()

    ccusage = cc.install_ccusage(args.ccusage_cache, log=log)
    log("ccusage: %s (%s), run directly (native binary, not the node launcher)" % (ccusage, cc.ccusage_version(ccusage)))
    if args.install_only:
        print(ccusage)
        return 0

    size = args.size_mb or (100 if args.quick else 2048)
    big_mb = args.big_mb if args.big_mb is not None else (70 if args.quick else 700)
    cold_runs = args.cold_runs or 3
    tz = args.timezone

    gauge = find_gauge(args.gauge)
    if gauge and not cc.gauge_has_report(gauge):
        log("claude-gauge at %s has no --report yet: measuring ccusage only" % gauge)
        gauge = None
    elif not gauge:
        log("no claude-gauge binary found (--gauge): measuring ccusage only")

    if args.history:
        history = os.path.abspath(args.history)
        if not os.path.isdir(os.path.join(history, "projects")):
            sys.exit("%s has no projects/ directory" % history)
        tag = "custom"
    else:
        history = generate(args.cache, size, args.seed, -5)
        tag = "size%g-seed%d" % (size, args.seed)
    hbytes = dir_size(os.path.join(history, "projects"))
    log("history: %s, %.1f MB of transcripts; warming the page cache (%d files)" %
        (history, hbytes / 1048576.0, warm_page_cache(history)))

    figures = []   # (figure, ours, theirs, ratio, goal, met)
    result = {"history": history, "historyMB": hbytes / 1048576.0, "ccusage": ccusage, "gauge": gauge,
              "timezone": tz, "figures": {}, "mismatches": []}
    tmpdirs = []

    def env_for(data):
        e, t = cc.isolated_env(data, tz="UTC")
        tmpdirs.append(t)
        return e

    try:
        # ---- ccusage cold (stateless: every run is cold; page cache warm)
        cruns = []
        for _ in range(cold_runs):
            warm_page_cache(history)
            cruns.append(check(timed([ccusage, "daily", "--json", "--offline", "--timezone", tz], env_for(history)),
                               "ccusage daily"))
        cmed = median_run(cruns)
        cmax_rss = max(r.rss_mb for r in cruns)
        crun_claude = check(timed(cc.ccusage_cmd(ccusage, "daily", tz), env_for(history)), "ccusage claude daily")
        result["figures"]["ccusage_daily"] = {"wall": [r.wall for r in cruns], "rssMB": [r.rss_mb for r in cruns],
                                              "claudeDailyWall": crun_claude.wall, "claudeDailyRssMB": crun_claude.rss_mb}

        gres = {}
        driver = find_driver(args.index_driver)
        if driver:
            druns = [(warm_page_cache(history), run_driver(driver, history, env_for))[1]
                     for _ in range(cold_runs)]
            dmed = median_run([r for r, _o in druns])
            dout = druns[-1][1]
            drss = max(r.rss_mb for r, _o in druns)
            result["figures"]["index_driver"] = {"wall": [r.wall for r, _o in druns], "rssMB": [r.rss_mb for r, _o in druns],
                                                 "report": dout}
            figures.append(("index-driver cold index, wall (median of %d)" % cold_runs, fmt_s(dmed.wall), fmt_s(cmed.wall),
                            "%.2f" % (dmed.wall / cmed.wall), "<= 0.33", dmed.wall <= cmed.wall / 3.0))
            figures.append(("index-driver cold index, peak RSS (max)", fmt_mb(drss), fmt_mb(cmax_rss),
                            "%.2f" % (drss / cmax_rss), "<= 64 MB", drss <= 64.0))
            figures.append(("index-driver cold index, CPU user+sys", fmt_s(dmed.cpu), fmt_s(cmed.cpu),
                            "%.2f" % (dmed.cpu / cmed.cpu), "", None))
            if dout.get("dbMB") is not None:
                figures.append(("index-driver database size", fmt_mb(dout["dbMB"]), "", "", "", None))
            if not args.no_compare:
                dd = cc.Diff("index-driver totals")
                tt = json.loads(crun_claude.stdout).get("totals") or {}
                mine = {"inputTokens": dout.get("input"), "outputTokens": dout.get("output"),
                        "cacheCreationTokens": (dout.get("cache_creation_5m") or 0) + (dout.get("cache_creation_1h") or 0),
                        "cacheReadTokens": dout.get("cache_read")}
                for k, v in mine.items():
                    if v is None or int(v) != tt.get(k):
                        dd.add("%s: index-driver %s, ccusage %s" % (k, v, tt.get(k)))
                theirs_b = cc.run_json(cc.ccusage_cmd(ccusage, "blocks", tz), env_for(history))
                n_entries = sum(b.get("entries") or 0 for b in theirs_b.get("blocks") or [])
                if int(dout.get("entries", -1)) != n_entries:
                    dd.add("entries: index-driver %d, ccusage blocks %d (ccusage counts <synthetic> and model-less "
                           "lines as entries)" % (int(dout.get("entries", -1)), n_entries))
                dd.rows_compared = 1
                gres["driver"] = dd
        if gauge:
            probe = check(timed(cc.gauge_cmd(gauge, "daily", tz), env_for(history)), "claude-gauge probe")
            theirs_total = (json.loads(crun_claude.stdout).get("totals") or {}).get("totalTokens") or 0
            if theirs_total and not ((json.loads(probe.stdout).get("totals") or {}).get("totalTokens")):
                log("claude-gauge --report=daily returned no usage on a fresh database: its --report does not "
                    "index yet; measuring the index with index-driver only")
                figures.append(("claude-gauge --report (indexes nothing yet)", "n/a", "", "", "", None))
                gauge = None
        if gauge:
            # ---- claude-gauge cold, each on a fresh database
            gruns, genv = [], None
            for _ in range(cold_runs):
                genv = env_for(history)
                warm_page_cache(history)
                gruns.append(check(timed(cc.gauge_cmd(gauge, "daily", tz), genv), "claude-gauge cold"))
            gmed = median_run(gruns)
            gres["cold"] = gmed
            db = os.path.join(genv["XDG_DATA_HOME"], "claude-gauge", "history.db")
            dbsize = os.path.getsize(db) / 1048576.0 if os.path.exists(db) else None
            # ---- nothing changed
            warm = [check(timed(cc.gauge_cmd(gauge, "daily", tz), genv), "claude-gauge warm") for _ in range(args.runs)]
            wmed = median_run(warm)
            result["figures"]["gauge_cold"] = {"wall": [r.wall for r in gruns], "rssMB": [r.rss_mb for r in gruns],
                                               "cpu": [r.cpu for r in gruns], "dbMB": dbsize}
            result["figures"]["gauge_nothing_changed"] = {"wall": [r.wall for r in warm], "rssMB": [r.rss_mb for r in warm],
                                                          "cpu": [r.cpu for r in warm]}
            gmax_rss = max(r.rss_mb for r in gruns)
            figures.append(("cold index, wall (median of %d)" % cold_runs, fmt_s(gmed.wall), fmt_s(cmed.wall),
                            "%.2f" % (gmed.wall / cmed.wall), "<= 0.33", gmed.wall <= cmed.wall / 3.0))
            figures.append(("cold index, peak RSS (max)", fmt_mb(gmax_rss), fmt_mb(cmax_rss),
                            "%.2f" % (gmax_rss / cmax_rss), "<= 64 MB", gmax_rss <= 64.0))
            figures.append(("cold index, CPU user+sys", fmt_s(gmed.cpu), fmt_s(cmed.cpu), "%.2f" % (gmed.cpu / cmed.cpu),
                            "", None))
            if dbsize is not None:
                figures.append(("database size after cold index", fmt_mb(dbsize), "-", "", "", None))
            figures.append(("daily, nothing changed (median of %d)" % args.runs, fmt_s(wmed.wall), fmt_s(cmed.wall),
                            "%.3f" % (wmed.wall / cmed.wall), "<= 50 ms", wmed.wall <= 0.050))
            figures.append(("daily, nothing changed, CPU / peak RSS", "%s / %s" % (fmt_s(wmed.cpu), fmt_mb(wmed.rss_mb)),
                            "", "", "", None))
            if not args.no_compare:
                ours = json.loads(warm[-1].stdout)
                theirs = json.loads(crun_claude.stdout)
                gres["daily"] = cc.compare_daily(ours, theirs, "daily")
        else:
            figures.append(("cold index, wall (median of %d)" % cold_runs, "-", fmt_s(cmed.wall), "", "<= 0.33", None))
            figures.append(("cold index, peak RSS (max)", "-", fmt_mb(cmax_rss), "", "<= 64 MB", None))
        figures.append(("ccusage claude daily (per-agent form)", "", fmt_s(crun_claude.wall) + " / " +
                        fmt_mb(crun_claude.rss_mb), "", "", None))

        if gauge and not args.no_compare:
            unpriced = set((json.loads(crun_claude.stdout).get("totals") or {}).get("unpricedModels") or [])
            for rep, fn in (("session", cc.compare_session), ("blocks", None)):
                theirs = cc.run_json(cc.ccusage_cmd(ccusage, rep, tz), env_for(history))
                ours = cc.run_json(cc.gauge_cmd(gauge, rep, tz), genv)
                gres[rep] = fn(ours, theirs, rep) if fn else cc.compare_blocks(ours, theirs, rep, unpriced)

        # ---- append 20 lines to a copy and refresh
        if gauge:
            copy = os.path.join(args.cache, "work", "append-copy")
            appended = linked_copy(history, copy)
            aenv = env_for(copy)
            check(timed(cc.gauge_cmd(gauge, "daily", tz), aenv), "claude-gauge cold (copy)")
            before = check(timed(cc.gauge_cmd(gauge, "daily", tz), aenv), "claude-gauge warm (copy)")
            if os.path.isfile(GENERATOR):
                subprocess.run([sys.executable, GENERATOR, "--append-lines", "20", "--into", copy,
                                "--seed", str(args.seed + 1000)], check=True, capture_output=True)
                inc = check(timed(cc.gauge_cmd(gauge, "daily", tz), aenv), "claude-gauge after append")
                figures.append(("daily after 20 appended lines", fmt_s(inc.wall), "", "", "", None))
                figures.append(("  its CPU user+sys (time(1), 10 ms resolution)", fmt_s(inc.cpu), "", "",
                                "", None))
                result["figures"]["gauge_append"] = {"wall": inc.wall, "cpu": inc.cpu, "rssMB": inc.rss_mb,
                                                     "wallBefore": before.wall}
                if not args.no_compare:
                    theirs = cc.run_json(cc.ccusage_cmd(ccusage, "daily", tz), env_for(copy))
                    gres["append"] = cc.compare_daily(json.loads(inc.stdout), theirs, "daily after append")
            live = os.path.join(os.path.dirname(driver), "bench-append") if driver else None
            if appended and live and os.path.exists(live):
                live_append(live, os.path.join(aenv["XDG_DATA_HOME"], "claude-gauge", "history.db"),
                            appended, aenv, figures, result)
            shutil.rmtree(copy, ignore_errors=True)
        elif driver and os.path.isfile(GENERATOR):
            copy = os.path.join(args.cache, "work", "append-copy")
            linked_copy(history, copy)
            aenv = env_for(copy)
            run_driver(driver, copy, env_for, aenv)
            same, _o = run_driver(driver, copy, env_for, aenv)
            subprocess.run([sys.executable, GENERATOR, "--append-lines", "20", "--into", copy,
                            "--seed", str(args.seed + 1000)], check=True, capture_output=True)
            inc, iout = run_driver(driver, copy, env_for, aenv)
            figures.append(("index-driver, nothing changed", fmt_s(same.wall), "", "", "", None))
            figures.append(("index-driver after 20 appended lines", fmt_s(inc.wall), "", "", "", None))
            figures.append(("  its CPU (index-driver's getrusage)", fmt_s(iout.get("cpu_seconds")), "", "",
                            "(window: <= 5 ms)", None))
            result["figures"]["driver_append"] = {"wallSame": same.wall, "wall": inc.wall, "report": iout}
            shutil.rmtree(copy, ignore_errors=True)

        # ---- one big transcript
        if big_mb > 0:
            bdir, bpath = make_big(args.cache, history, tag, big_mb)
            bmb = os.path.getsize(bpath) / 1048576.0
            warm_page_cache(bdir)
            cb = median_run([check(timed(cc.ccusage_cmd(ccusage, "daily", tz), env_for(bdir)), "ccusage big")
                             for _ in range(cold_runs)])
            result["figures"]["big"] = {"fileMB": bmb, "ccusageWall": cb.wall, "ccusageRssMB": cb.rss_mb}
            if gauge:
                gb = median_run([check(timed(cc.gauge_cmd(gauge, "daily", tz), env_for(bdir)), "claude-gauge big")
                                 for _ in range(cold_runs)])   # each on a fresh database
                result["figures"]["big"].update({"gaugeWall": gb.wall, "gaugeRssMB": gb.rss_mb})
                figures.append(("%.0f MB single transcript, wall (median of %d)" % (bmb, cold_runs), fmt_s(gb.wall), fmt_s(cb.wall),
                                "%.2f" % (gb.wall / cb.wall), "", None))
                figures.append(("%.0f MB single transcript, peak RSS" % bmb, fmt_mb(gb.rss_mb), fmt_mb(cb.rss_mb),
                                "%.2f" % (gb.rss_mb / cb.rss_mb), "<= 64 MB", gb.rss_mb <= 64.0))
                if not args.no_compare:
                    gres["big"] = cc.compare_daily(json.loads(gb.stdout), json.loads(cb.stdout), "daily big transcript")
            if driver:
                druns = [run_driver(driver, bdir, env_for) for _ in range(cold_runs)]
                db_ = median_run([r for r, _o in druns])
                drss = max(r.rss_mb for r, _o in druns)
                result["figures"]["big"].update({"driverWall": db_.wall, "driverRssMB": drss,
                                                 "driverReport": druns[-1][1]})
                figures.append(("%.0f MB single transcript, index-driver wall (median of %d)" % (bmb, cold_runs),
                                fmt_s(db_.wall), fmt_s(cb.wall), "%.2f" % (db_.wall / cb.wall), "", None))
                figures.append(("%.0f MB single transcript, index-driver peak RSS (max)" % bmb, fmt_mb(drss),
                                fmt_mb(cb.rss_mb), "%.2f" % (drss / cb.rss_mb), "<= 64 MB", drss <= 64.0))
            if not gauge:
                figures.append(("%.0f MB single transcript, wall / RSS" % bmb, "-",
                                "%s / %s" % (fmt_s(cb.wall), fmt_mb(cb.rss_mb)), "", "<= 64 MB", None))
    finally:
        for t in tmpdirs:
            shutil.rmtree(t, ignore_errors=True)

    # ---- report
    print()
    print("history %s: %.0f MB of transcripts, timezone %s" % (history, hbytes / 1048576.0, tz))
    print("ccusage %s (native binary, run directly): %s" % (cc.CCUSAGE_VERSION, ccusage))
    print("claude-gauge: %s" % (gauge or "not measured"))
    print()
    w = max(len(f[0]) for f in figures)
    print("%-*s  %-18s %-18s %-7s %-18s %s" % (w, "figure", "claude-gauge", "ccusage", "ratio", "goal", "met"))
    for name, ours, theirs, ratio, goal, met in figures:
        print("%-*s  %-18s %-18s %-7s %-18s %s" % (w, name, ours, theirs, ratio, goal,
                                                   "" if met is None else ("met" if met else "MISSED")))
    nbad = 0
    if gres:
        print()
        for key in ("driver", "daily", "session", "blocks", "append", "big"):
            d = gres.get(key)
            if not isinstance(d, cc.Diff):
                continue
            print("%-26s %s (rows %d, costs compared %d, skipped %d)" % (d.label, "equal" if d.ok() else
                  "%d MISMATCHES" % len(d.lines), d.rows_compared, d.costs_compared, d.costs_skipped))
            for line in d.lines[:200]:
                print("  " + line)
            if len(d.lines) > 200:
                print("  ... %d more" % (len(d.lines) - 200))
            nbad += len(d.lines)
            result["mismatches"] += d.lines
    result["table"] = [list(f) for f in figures]
    if args.json_out:
        with open(args.json_out, "w") as f:
            json.dump(result, f, indent=1)
    return 1 if nbad else 0


if __name__ == "__main__":
    sys.exit(main())
