#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Time `claude-gauge --statusline` against `ccusage statusline` on the same history, with the app
running beside it, as Claude Code runs them: a new process per prompt, its JSON on stdin.

    bench/statusline.py [--build build] [--size-mb 2048] [--seed 1] [--history DIR] [--calls 20]
                        [--ccusage-calls 5] [--no-cache]

On a generated history (cached by size and seed as bench/ccusage-compare.py caches them, or
--history DIR; used through a hard-linked copy, the session's transcript a real copy since lines
are appended to it), indexed once by `--report=daily`, with the app started beside it (its own
virtual display and session bus), for the newest main session of the history:

  idle      nothing appended between calls (the goal: median <= 20 ms)
  appended  one response appended to the session's transcript before each call: the
            statusline reads it itself (the app, watching, may read it first)

Each call is timed from spawn to exit (wall, monotonic clock); the tools take turns, call by
call, so that both meet the same machine (ccusage, which reads the whole history again whenever a
transcript changed, only in the first --ccusage-calls rounds). ccusage 20.0.24 runs with its
defaults (--offline, its output cache on), with --no-cache also without its cache. Prints
medians and 90th percentiles, the ratio to ccusage, and both tools' lines after each case (from one
more call each, untimed, so that both have read the same transcript).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(REPO, "tests", "cli", "ccusage"))
sys.path.insert(0, os.path.join(REPO, "bench"))

import ccusage_compare as cc  # noqa: E402
from gauge_bench import (DEFAULT_CACHE, FakeApi, generated_history, make_home,  # noqa: E402
                         nest_under_display, usage_payload)

GOAL_MS = 20.0


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def newest_session(history):
    """The main transcript (not a sub-agent's) written last that holds a response with usage
    (a session cut off before its first answer holds none), and its session id."""
    candidates = []
    for d, _dirs, files in os.walk(os.path.join(history, "projects")):
        if "subagents" in d.split(os.sep):
            continue
        for f in files:
            if f.endswith(".jsonl"):
                p = os.path.join(d, f)
                candidates.append((os.path.getmtime(p), p))
    for _m, p in sorted(candidates, reverse=True):
        if last_usage_line(p) is not None:
            return p, os.path.basename(p)[:-len(".jsonl")]
    raise RuntimeError("no transcript under %s holds a response with usage" % history)


def linked_copy(src, dst, real):
    """A hard-linked copy of src with the file @real (a path inside src) a real copy."""
    subprocess.run(["cp", "-al", src, dst], check=True)
    copy = os.path.join(dst, os.path.relpath(real, src))
    os.unlink(copy)
    shutil.copy2(real, copy)
    return copy


def last_usage_line(path):
    """The last usage line of a transcript, or None."""
    last = None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if '"usage":{' in line and '"type":"assistant"' in line:
                last = line
    return last


def usage_template(path):
    """The last usage line of a transcript, to append copies of."""
    return json.loads(last_usage_line(path))


def append_response(path, template, n):
    doc = json.loads(json.dumps(template))
    doc["timestamp"] = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    doc["requestId"] = "req_bench_statusline_%d" % n
    doc["message"]["id"] = "msg_bench_statusline_%d" % n
    doc["uuid"] = "bench-statusline-%d" % n
    with open(path, "a") as f:
        f.write(json.dumps(doc, separators=(",", ":")) + "\n")


def timed_call(cmd, env, stdin_path):
    with open(stdin_path, "rb") as stdin:
        t0 = time.perf_counter()
        p = subprocess.run(cmd, env=env, stdin=stdin, capture_output=True, timeout=1800)
        wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (cmd[0], p.returncode, p.stderr.decode()[-500:]))
    return wall * 1000, p.stdout.decode().strip()


def summary(ms):
    ms = sorted(ms)
    return statistics.median(ms), ms[min(len(ms) - 1, int(round(0.9 * (len(ms) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--size-mb", type=float, default=2048)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--history", help="use this history (a CLAUDE_CONFIG_DIR) instead of a generated one")
    ap.add_argument("--cache", default=DEFAULT_CACHE)
    ap.add_argument("--calls", type=int, default=20, help="calls per case (default %(default)s)")
    ap.add_argument("--ccusage-calls", type=int, default=5,
                    help="of them, the first N also call ccusage (default %(default)s)")
    ap.add_argument("--no-cache", action="store_true", help="also time ccusage --no-cache")
    args = ap.parse_args()

    nest_under_display()
    build = os.path.abspath(args.build)
    gauge = os.path.join(build, "src", "claude-gauge")
    ccusage = cc.install_ccusage(log=log)
    history = args.history or generated_history(args.cache, args.size_mb, args.seed, -5, log)

    work = tempfile.mkdtemp(prefix="bench-statusline-")
    api = FakeApi(usage_payload())
    app = None
    temps = []
    try:
        source, session_id = newest_session(history)
        data = os.path.join(work, "claude")
        transcript = linked_copy(history, data, source)
        template = usage_template(transcript)

        env = make_home(os.path.join(work, "gauge"), build, api.url, {"run-in-background": "true"}, [])
        env.update(CLAUDE_CONFIG_DIR=data, TZ="America/New_York", LC_ALL="C.UTF-8")
        env.pop("G_MESSAGES_DEBUG", None)
        cenv, ctmp = cc.isolated_env(data, tz="America/New_York", base=os.environ)
        cenv_nocache, ctmp2 = cc.isolated_env(data, tz="America/New_York", base=os.environ)
        temps = [ctmp, ctmp2]

        stdin_path = os.path.join(work, "statusline.json")
        with open(stdin_path, "w") as f:
            json.dump({"session_id": session_id, "transcript_path": transcript, "cwd": "/home/dev/src",
                       "model": {"id": "claude-opus-4-8", "display_name": "Opus 4.8"},
                       "workspace": {"current_dir": "/home/dev/src", "project_dir": "/home/dev/src"},
                       "version": "2.1.300", "cost": {"total_cost_usd": 1.5},
                       "context_window": {"total_input_tokens": 42000, "context_window_size": 200000}}, f)

        log("indexing %s once (--report=daily)" % data)
        subprocess.run([gauge, "--report=daily", "--json"], env=env, check=True, stdout=subprocess.DEVNULL)
        app = subprocess.Popen([gauge], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(5)   # its first pass finds nothing new; let it settle
        if app.poll() is not None:
            raise RuntimeError("the app ended with status %d" % app.returncode)

        tools = [("claude-gauge", [gauge, "--statusline"], env),
                 ("ccusage", [ccusage, "statusline", "--offline"], cenv)]
        if args.no_cache:
            tools.append(("ccusage --no-cache", [ccusage, "statusline", "--offline", "--no-cache"], cenv_nocache))
        results = {}
        lines = {}
        n = 0
        for case in ("idle", "appended"):
            for name, cmd, tenv in tools:   # one call each first: caches, page cache
                timed_call(cmd, tenv, stdin_path)
            for call in range(args.calls):
                for name, cmd, tenv in tools:
                    if name != "claude-gauge" and call >= args.ccusage_calls:
                        continue
                    if case == "appended":
                        n += 1
                        append_response(transcript, template, n)
                    ms, _out = timed_call(cmd, tenv, stdin_path)
                    results.setdefault((case, name), []).append(ms)
            # The lines to compare: one more call each, untimed, on the same transcript (ccusage
            # stopped after --ccusage-calls rounds: its last timed line saw fewer responses).
            for name, cmd, tenv in tools:
                lines[(case, name)] = timed_call(cmd, tenv, stdin_path)[1]

        print("history %s (%d MB), session %s" % (history, sum(
            os.path.getsize(os.path.join(d, f)) for d, _x, fs in os.walk(os.path.join(history, "projects"))
            for f in fs) // (1 << 20), session_id))
        print("the app running beside it: pid %d; %d calls per case, ccusage in the first %d, taking turns\n"
              % (app.pid, args.calls, args.ccusage_calls))
        print("%-10s %-20s %12s %12s %8s  %s" % ("case", "tool", "median", "p90", "ratio", "goal"))
        for case in ("idle", "appended"):
            base = summary(results[(case, "ccusage")])[0]
            for name, _cmd, _env in tools:
                med, p90 = summary(results[(case, name)])
                goal = ""
                if name == "claude-gauge":
                    goal = "<= %.0f ms %s" % (GOAL_MS, "met" if med <= GOAL_MS else "MISSED")
                print("%-10s %-20s %9.1f ms %9.1f ms %8.2f  %s" % (case, name, med, p90, med / base, goal))
        print()
        for (case, name), out in sorted(lines.items()):
            print("%-10s %-20s %s" % (case, name, out))
    finally:
        if app is not None and app.poll() is None:
            app.terminate()
            try:
                app.wait(10)
            except subprocess.TimeoutExpired:
                app.kill()
        api.close()
        for d in [work] + temps:
            shutil.rmtree(d, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
