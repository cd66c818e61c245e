# SPDX-License-Identifier: GPL-3.0-or-later
"""Find and run ccusage 20.0.24 and claude-gauge on the same transcripts; compare their JSON.

Shared by tests/cli/ccusage/test-ccusage.py (meson suite 'ccusage') and bench/ccusage-compare.py.
Python 3 standard library only.

Rules of the comparison (issue 3, point 7):
  * token fields (inputTokens, outputTokens, cacheCreationTokens, cacheReadTokens, totalTokens)
    must be equal, per row (day / session / block), per model breakdown and in the totals;
  * costs must agree within 0.01 % where both tools price every model of the row; a model
    ccusage lists in totals.unpricedModels, or a cost we report as null (unknown), is not
    compared;
  * rows present on one side only are mismatches;
  * sessions also compare firstActivity/lastActivity/projectPath/modelsUsed (as a set);
    blocks compare startTime/endTime/actualEndTime/entries/models (as a set)/isGap.
"""

import datetime
import json
import os
import shutil
import stat
import subprocess
import tempfile

CCUSAGE_VERSION = "20.0.24"
DEFAULT_CACHE = os.path.join(os.path.expanduser("~"), ".cache", "claude-gauge-bench", "ccusage")
NATIVE_REL = os.path.join("node_modules", "@ccusage", "ccusage-linux-x64", "bin", "ccusage")
TOKEN_FIELDS = ("inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "totalTokens")
BLOCK_TOKEN_FIELDS = ("inputTokens", "outputTokens", "cacheCreationInputTokens", "cacheReadInputTokens")
COST_REL_TOL = 1e-4      # 0.01 %
COST_ABS_TOL = 1e-9      # float noise on tiny costs


def _ensure_exec(path):
    st = os.stat(path)
    if not st.st_mode & stat.S_IXUSR:
        # npm leaves the native binary without x; ccusage's node launcher chmods it the same way.
        os.chmod(path, st.st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def find_ccusage(cache_dir=None):
    """The native ccusage binary: $CCUSAGE_BIN, else <cache>/node_modules/.../bin/ccusage. None if absent."""
    env = os.environ.get("CCUSAGE_BIN")
    if env:
        if not os.path.isfile(env):
            return None
        try:
            _ensure_exec(env)
        except OSError:
            pass
        return env if os.access(env, os.X_OK) else None
    p = os.path.join(cache_dir or DEFAULT_CACHE, NATIVE_REL)
    if os.path.isfile(p):
        _ensure_exec(p)
        return p
    return None


def install_ccusage(cache_dir=None, log=print):
    """npm install ccusage@20.0.24 into cache_dir (reused when present). Returns the native binary."""
    cache_dir = cache_dir or DEFAULT_CACHE
    found = find_ccusage(cache_dir) if not os.environ.get("CCUSAGE_BIN") else find_ccusage()
    if found and ccusage_version(found) == CCUSAGE_VERSION:
        return found
    if shutil.which("npm") is None:
        raise RuntimeError("npm not found: apt-get install nodejs npm, or set CCUSAGE_BIN")
    os.makedirs(cache_dir, exist_ok=True)
    log("installing ccusage@%s into %s" % (CCUSAGE_VERSION, cache_dir))
    subprocess.run(["npm", "install", "--prefix", cache_dir, "--no-audit", "--no-fund", "--loglevel=error",
                    "ccusage@" + CCUSAGE_VERSION], check=True)
    found = os.path.join(cache_dir, NATIVE_REL)
    if not os.path.isfile(found):
        raise RuntimeError("npm installed ccusage but not its linux-x64 native binary (%s)" % found)
    _ensure_exec(found)
    return found


def ccusage_version(binary):
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return None
    return out.strip().split()[-1] if out.strip() else None


def isolated_env(config_dir, tz="UTC", base=None):
    """A fresh HOME / XDG_* under a new temp dir; CLAUDE_CONFIG_DIR=config_dir. Returns (env, tmpdir)."""
    tmp = tempfile.mkdtemp(prefix="gauge-ccusage-")
    env = dict(base if base is not None else os.environ)
    for k in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env.pop(k, None)
    env["HOME"] = tmp
    env["XDG_CONFIG_HOME"] = os.path.join(tmp, "config")
    env["XDG_DATA_HOME"] = os.path.join(tmp, "data")
    env["XDG_CACHE_HOME"] = os.path.join(tmp, "cache")
    env["XDG_STATE_HOME"] = os.path.join(tmp, "state")
    for k in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        os.makedirs(env[k], exist_ok=True)
    env["CLAUDE_CONFIG_DIR"] = config_dir
    env["TZ"] = tz
    env["NO_COLOR"] = "1"
    env["LC_ALL"] = "C.UTF-8"
    env.pop("CCUSAGE_MODEL_ALIASES", None)
    return env, tmp


def ccusage_cmd(binary, report, tz=None, since=None, until=None, mode=None):
    cmd = [binary, "claude", report, "--json", "--offline"]
    if tz:
        cmd += ["--timezone", tz]
    if since:
        cmd += ["--since", since]
    if until:
        cmd += ["--until", until]
    if mode:
        cmd += ["--mode", mode]
    return cmd


def gauge_cmd(binary, report, tz=None, since=None, until=None, mode=None, breakdown=False):
    cmd = [binary, "--report=" + report, "--json"]
    if tz:
        cmd.append("--timezone=" + tz)
    if since:
        cmd.append("--since=" + since)
    if until:
        cmd.append("--until=" + until)
    if mode:
        cmd.append("--mode=" + mode)
    if breakdown:
        cmd.append("--breakdown")
    return cmd


def gauge_has_report(binary):
    try:
        out = subprocess.run([binary, "--help-all"], capture_output=True, text=True, timeout=60,
                             env=dict(os.environ, GSETTINGS_BACKEND="memory"))
    except OSError:
        return False
    return "--report" in out.stdout + out.stderr


def run_json(cmd, env, timeout=600):
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(cmd), p.returncode, p.stderr.strip()[-2000:]))
    try:
        return json.loads(p.stdout)
    except ValueError as e:
        raise RuntimeError("%s printed no JSON (%s): %s" % (" ".join(cmd), e, p.stdout[:500]))


# ---------------------------------------------------------------------------------------------
# comparison

def _cost_close(a, b):
    if a is None or b is None:
        return True
    return abs(a - b) <= max(COST_ABS_TOL, COST_REL_TOL * max(abs(a), abs(b)))


def _num(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _time(v):
    if not isinstance(v, str):
        return v
    try:
        return datetime.datetime.fromisoformat(v.replace("Z", "+00:00")).astimezone(datetime.timezone.utc)
    except ValueError:
        return v


class Diff:
    def __init__(self, label):
        self.label = label
        self.lines = []
        self.rows_compared = 0
        self.costs_compared = 0
        self.costs_skipped = 0

    def add(self, msg):
        self.lines.append("%s: %s" % (self.label, msg))

    def ok(self):
        return not self.lines


def _unpriced(theirs):
    t = theirs.get("totals") or {}
    return set(t.get("unpricedModels") or [])


def _compare_tokens(d, where, ours, theirs, fields=TOKEN_FIELDS):
    for f in fields:
        a, b = _num(ours.get(f)), _num(theirs.get(f))
        if a != b:
            d.add("%s %s: claude-gauge %s, ccusage %s (diff %s)" % (where, f, a, b,
                  (a - b) if a is not None and b is not None else "n/a"))


def _row_priced(row, unpriced):
    models = set(row.get("modelsUsed") or row.get("models") or [])
    for m in row.get("modelBreakdowns") or []:
        models.add(m.get("modelName"))
    return not (models & unpriced)


def _compare_cost(d, where, a, b, comparable):
    a, b = _num(a), _num(b)
    if not comparable or a is None or b is None:
        d.costs_skipped += 1
        return
    d.costs_compared += 1
    if not _cost_close(a, b):
        d.add("%s cost: claude-gauge %.9f, ccusage %.9f (%+.4f %%)" % (where, a, b, 100.0 * (a - b) / b if b else float("inf")))


def _compare_breakdowns(d, where, ours, theirs, unpriced):
    if "modelBreakdowns" not in ours:
        return
    ob = {m.get("modelName"): m for m in ours.get("modelBreakdowns") or []}
    tb = {m.get("modelName"): m for m in theirs.get("modelBreakdowns") or []}
    for name in sorted(set(ob) | set(tb), key=str):
        if name not in ob:
            d.add("%s model %s: only in ccusage" % (where, name))
            continue
        if name not in tb:
            d.add("%s model %s: only in claude-gauge" % (where, name))
            continue
        _compare_tokens(d, "%s model %s" % (where, name), ob[name], tb[name], TOKEN_FIELDS[:4])
        _compare_cost(d, "%s model %s" % (where, name), ob[name].get("cost"), tb[name].get("cost"), name not in unpriced)


def _compare_rows(d, kind, key, ours_rows, theirs_rows, unpriced, extra):
    o = {r.get(key): r for r in ours_rows}
    t = {r.get(key): r for r in theirs_rows}
    for k in sorted(set(o) | set(t), key=str):
        where = "%s %s" % (kind, k)
        if k not in o:
            d.add("%s: only in ccusage (%s tokens)" % (where, t[k].get("totalTokens")))
            continue
        if k not in t:
            d.add("%s: only in claude-gauge (%s tokens)" % (where, o[k].get("totalTokens")))
            continue
        d.rows_compared += 1
        _compare_tokens(d, where, o[k], t[k])
        _compare_cost(d, where, o[k].get("totalCost"), t[k].get("totalCost"), _row_priced(t[k], unpriced))
        _compare_breakdowns(d, where, o[k], t[k], unpriced)
        for f in extra:
            a, b = o[k].get(f), t[k].get(f)
            if f in ("firstActivity", "lastActivity"):
                a, b = _time(a), _time(b)
            elif f == "modelsUsed":
                a, b = set(a or []), set(b or [])
            if a != b:
                d.add("%s %s: claude-gauge %r, ccusage %r" % (where, f, a, b))


def _compare_totals(d, kind, ours, theirs, unpriced):
    ot, tt = ours.get("totals"), theirs.get("totals")
    if not isinstance(ot, dict):
        d.add("%s: claude-gauge has no totals object" % kind)
        return
    _compare_tokens(d, "%s totals" % kind, ot, tt)
    _compare_cost(d, "%s totals" % kind, ot.get("totalCost"), tt.get("totalCost"), not unpriced)


def compare_daily(ours, theirs, label="daily"):
    d = Diff(label)
    unpriced = _unpriced(theirs)
    _compare_rows(d, "day", "date", ours.get("daily") or [], theirs.get("daily") or [], unpriced, ())
    _compare_totals(d, "daily", ours, theirs, unpriced)
    return d


def compare_session(ours, theirs, label="session"):
    d = Diff(label)
    unpriced = _unpriced(theirs)
    _compare_rows(d, "session", "sessionId", ours.get("sessions") or [], theirs.get("sessions") or [], unpriced,
                  ("projectPath", "firstActivity", "lastActivity", "modelsUsed"))
    _compare_totals(d, "session", ours, theirs, unpriced)
    return d


def compare_blocks(ours, theirs, label="blocks", unpriced=frozenset()):
    d = Diff(label)
    o = {_time(b.get("startTime")): b for b in ours.get("blocks") or []}
    t = {_time(b.get("startTime")): b for b in theirs.get("blocks") or []}
    sums = {"ours": dict.fromkeys(BLOCK_TOKEN_FIELDS, 0), "theirs": dict.fromkeys(BLOCK_TOKEN_FIELDS, 0)}
    for side, rows in (("ours", o), ("theirs", t)):
        for b in rows.values():
            for f in BLOCK_TOKEN_FIELDS:
                sums[side][f] += (b.get("tokenCounts") or {}).get(f) or 0
    for k in sorted(set(o) | set(t), key=str):
        where = "block %s" % (t.get(k) or o.get(k)).get("id")
        if k not in o:
            d.add("%s: only in ccusage (gap=%s, %s tokens)" % (where, t[k].get("isGap"), t[k].get("totalTokens")))
            continue
        if k not in t:
            d.add("%s: only in claude-gauge (gap=%s, %s tokens)" % (where, o[k].get("isGap"), o[k].get("totalTokens")))
            continue
        ob, tb = o[k], t[k]
        d.rows_compared += 1
        _compare_tokens(d, where, ob.get("tokenCounts") or {}, tb.get("tokenCounts") or {}, BLOCK_TOKEN_FIELDS)
        _compare_tokens(d, where, ob, tb, ("totalTokens",))
        priced = not (set(tb.get("models") or []) & set(unpriced))
        _compare_cost(d, where, ob.get("costUSD"), tb.get("costUSD"), priced)
        for f in ("endTime", "actualEndTime", "entries", "isGap", "models"):
            a, b = ob.get(f), tb.get(f)
            if f in ("endTime", "actualEndTime"):
                a, b = _time(a), _time(b)
            elif f == "models":
                a, b = set(a or []), set(b or [])
            if a != b:
                d.add("%s %s: claude-gauge %r, ccusage %r" % (where, f, a, b))
    if sums["ours"] != sums["theirs"]:
        d.add("blocks token sums: claude-gauge %r, ccusage %r" % (sums["ours"], sums["theirs"]))
    return d
