#!/usr/bin/env python3
"""Deterministic synthetic Claude Code transcript history generator (stdlib only).

Writes a tree shaped like ~/.claude (or $CLAUDE_CONFIG_DIR):

    OUT/projects/<encoded-cwd>/<session-uuid>.jsonl                       main transcripts
    OUT/projects/<encoded-cwd>/<session-uuid>/subagents/agent-<id>.jsonl  sub-agent transcripts
    OUT/projects/<encoded-cwd>/<session-uuid>/subagents/agent-<id>.meta.json
    OUT/gen-manifest.json   arguments, counts and ground-truth token totals (outside projects/)

so that `CLAUDE_CONFIG_DIR=OUT ccusage daily --json --offline` reads it.

Same arguments + same seed => byte-identical output (checked with CPython 3.11; the
generator only uses random.Random(seed) and json, whose outputs are stable across 3.x).

Realism modelled (how Claude Code writes transcripts, and what ccusage reads of them):
  * session file sizes follow the real-world quantiles ccusage's own fixture
    generator uses (median ~100 KB, p99 ~5 MB, max ~87 MB per 1.2 GiB);
  * sessions start in working hours (user's UTC offset, default -5), clustered in
    1-3 bursts a day, weekdays heavier, long sessions sleep overnight;
  * user prompt -> agentic loop of assistant/tool_use + user/tool_result lines;
    tool results a few hundred bytes to ~100 KB, duplicated in "toolUseResult" as
    Claude Code does, so only ~35-40 % of lines carry "usage";
  * assistant responses with several content blocks are written as several lines
    sharing message.id + requestId (--split-rate); some of those carry partial
    (smaller) output_tokens on the earlier lines (--partial-rate) - the max wins;
  * ~1 % resume duplicates: a resumed session's file starts with verbatim copies of
    the tail of an earlier session of the same project (--dup-rate);
  * sub-agent (Task/Agent tool) runs with isSidechain:true in
    <session>/subagents/agent-*.jsonl (--sidechain-layout nested, Claude Code 2.1.x),
    or flat agent-*.jsonl next to sessions (2.0.x) or inline in the session (1.x);
    some sub-agent assistant messages are mirrored into the parent transcript as
    type:"progress"/data.type:"agent_progress" lines (same id + requestId);
  * "<synthetic>" model lines with zero usage (API errors, "No response requested.",
    rare "Claude AI usage limit reached|<epoch>"), summary lines, file-history-snapshot,
    system (hooks, turn_duration, compact_boundary), hook progress lines, compaction;
  * usage: cache_read grows with the context, cache_creation = the new tail,
    5m or 1h ephemeral split, occasional cache misses, rare >200k-token contexts;
    two key orders (pre-2.1 and 2.1.x with server_tool_use/inference_geo/iterations/speed);
  * the models of late 2026 beside the older ones (Opus 4.8 and 5, Sonnet 5, Fable 5 and
    5.1: every one priced by ccusage 20.0.24), and advisor sub-requests: on 2.1.x lines
    (--advisor-rate), an "advisor_message" in usage.iterations[] with its own model and
    tokens, which the line's usage leaves out (every copy of a response carries it but
    the placeholder ones; the ground truth counts it under its own model, deduplicated
    by the response's ids and its number);
  * ~0.1 % malformed lines: lines cut mid-write (mid-file, newline kept) and a final
    line cut without newline in ~1.5 % of sessions (may split a UTF-8 sequence);
  * file mtimes set to the last line's time.

Append mode (incremental refresh benchmarks):
    gen_claude_history.py --append-lines N --into OUT [--seed S]
appends N new lines (a continuing agentic loop, ~40 % with usage) to the session file
with the newest mtime, bumps its mtime, and records the append in gen-manifest.json.
--append-start now  makes the appended lines start at the wall clock (live-session emulation).
"""

import argparse
import bisect
import calendar
import json
import math
import os
import random
import sys
import time

GEN_VERSION = "2"   # 2: the models of late 2026, advisor iterations

# ---------------------------------------------------------------------------------
# constants

MODELS_MAIN = [
    ("claude-sonnet-4-5-20250929", 0.30),
    ("claude-opus-4-1-20250805", 0.12),
    ("claude-sonnet-4-20250514", 0.10),
    ("claude-haiku-4-5-20251001", 0.10),
    ("claude-opus-4-8", 0.12),
    ("claude-sonnet-5", 0.10),
    ("claude-opus-5", 0.08),
    ("claude-fable-5-1", 0.05),
    ("claude-fable-5", 0.03),
]
ADVISOR_MODELS = [("claude-opus-4-8", 0.6), ("claude-opus-5", 0.3), ("claude-fable-5-1", 0.1)]
HAIKU = "claude-haiku-4-5-20251001"
SYNTHETIC = "<synthetic>"

# ccusage apps/ccusage/scripts/generate-large-fixture.nu: real-world profile of one heavy
# user (3142 files, 1238.97 MiB) - file size quantiles in bytes.
REAL_WORLD_QUANTILES = [
    (0.0, 236.0), (0.5, 105267.0), (0.75, 233572.0), (0.9, 653972.0),
    (0.95, 1504757.0), (0.99, 5383751.0), (1.0, 87033471.0),
]
REAL_WORLD_FILES = 3142
REAL_WORLD_MIB = 1238.9718046188354

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
TS = "\x00"  # timestamp placeholder inside line templates

WORDS = (
    "the of to and a in is it you that he was for on are with as I his they be at one have "
    "this from or had by hot word but what some we can out other were all there when up use "
    "your how said an each she which do their time if will way about many then them write would "
    "like so these her long make thing see him two has look more day could go come did number "
    "function return const let var import export class interface type async await new throw "
    "error result value config parser token usage session block model cache input output total "
    "cost daily report file path line buffer index count length offset request response stream "
    "struct enum impl match Some None Ok Err self pub fn mut ref u64 i64 usize str String Vec "
    "HashMap BTreeMap iter map filter collect unwrap expect clone into from test assert eq "
    "TODO FIXME NOTE refactor handle check validate update create delete fetch load save render"
).split()
PUNCT = [".", ",", ";", ":", "()", "{}", "[]", " =", " ->", " =>", "!", "?", " &&", " ||", " +"]
UNICODE_BITS = ["→", "✓", "✗", "—", "é", "ü", "ß", "日本語", "テスト", "中文", "…", "•", "±", "µs", "°C", "😀"]
TOOLS = ["Read", "Bash", "Edit", "Grep", "Glob", "Write", "TodoWrite", "MultiEdit", "WebFetch"]
TOOL_W = [0.30, 0.25, 0.15, 0.08, 0.05, 0.05, 0.05, 0.04, 0.03]
PROJECT_BASES = [
    "api-server", "web-frontend", "billing", "infra", "mobile-app", "data-pipeline", "auth-service",
    "docs", "cli-tool", "ml-experiments", "search", "notifications", "payments", "dashboard",
    "sdk-python", "sdk-go", "terraform", "monorepo", "game-engine", "compiler", "website",
    "analytics", "scheduler", "chat-bot", "etl", "storage", "kernel-module", "plugin", "ios", "android",
]
SUMMARIES = [
    "Refactor token parser for streaming input", "Fix flaky integration tests in CI",
    "Add pagination to billing API", "Debug memory leak in worker pool",
    "Implement OAuth device flow", "Migrate build to new toolchain",
    "Optimize SQL queries for dashboard", "Write docs for CLI flags",
    "Investigate 5xx spikes after deploy", "Add unit tests for date utils",
]


# ---------------------------------------------------------------------------------
# small helpers

def fmt_ts(ms):
    s, m = divmod(ms, 1000)
    t = time.gmtime(s)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, m)


def parse_iso(s):
    s = s.strip()
    if s.endswith("Z"):
        s = s[:-1]
    frac = 0
    if "." in s:
        s, f = s.split(".", 1)
        frac = int((f + "000")[:3])
    if "T" not in s:
        s += "T00:00:00"
    t = time.strptime(s, "%Y-%m-%dT%H:%M:%S")
    return calendar.timegm(t) * 1000 + frac


def jstr(s):
    return json.dumps(s, ensure_ascii=False)


class Gen:
    """Holds the RNG, the text pool and id makers."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.pool = self._make_pool(2_500_000)

    # -- text pool: raw text without backslashes/control chars, then JSON-escaped.
    # Escapes are only \n \t \" so a slice is valid JSON-string content as long as it
    # does not start right after a backslash or end on one.
    def _make_pool(self, nchars):
        r = random.Random(self.rng.getrandbits(64))
        parts = []
        n = 0
        words = WORDS
        while n < nchars:
            kind = r.random()
            if kind < 0.55:  # code-ish line
                indent = "    " * r.randint(0, 4)
                toks = [r.choice(words) for _ in range(r.randint(2, 12))]
                line = indent + " ".join(toks) + r.choice(PUNCT)
                if r.random() < 0.15:
                    line += ' "' + r.choice(words) + '"'
            elif kind < 0.9:  # prose
                toks = [r.choice(words) for _ in range(r.randint(5, 25))]
                line = " ".join(toks).capitalize() + "."
            elif kind < 0.97:
                line = "\t" + "%6d\t" % r.randint(1, 9999) + " ".join(r.choice(words) for _ in range(r.randint(2, 8)))
            else:
                line = " ".join(r.choice(words) for _ in range(3)) + " " + r.choice(UNICODE_BITS)
            parts.append(line)
            n += len(line) + 1
        raw = "\n".join(parts)
        return json.dumps(raw, ensure_ascii=False)[1:-1]

    def text(self, n):
        """JSON-escaped text of about n characters."""
        pool = self.pool
        n = max(1, min(int(n), len(pool) - 10))
        off = self.rng.randrange(0, len(pool) - n - 2)
        if off and pool[off - 1] == "\\":
            off += 1
        s = pool[off:off + n]
        while s.endswith("\\"):
            s = s[:-1]
        return s

    def uuid(self):
        x = self.rng.getrandbits(128)
        h = "%032x" % x
        return "%s-%s-4%s-%s%s-%s" % (h[0:8], h[8:12], h[13:16], "89ab"[x & 3], h[17:20], h[20:32])

    def b58(self, k):
        r = self.rng
        return "".join(r.choice(B58) for _ in range(k))

    def msg_id(self):
        return "msg_01" + self.b58(22)

    def req_id(self):
        return "req_011C" + self.b58(20)

    def toolu(self):
        return "toolu_01" + self.b58(22)

    def agent_id(self):
        return "%017x" % self.rng.getrandbits(68)

    def lognorm(self, median, sigma, lo, hi):
        v = median * math.exp(self.rng.gauss(0.0, sigma))
        return int(min(hi, max(lo, v)))


# ---------------------------------------------------------------------------------
# line builders (return template strings with TS placeholders)

def version_for(ms, start_ms, end_ms):
    f = (ms - start_ms) / max(1, end_ms - start_ms)
    if f < 0.25:
        return "2.0.%d" % (30 + int(f * 4 * 40))
    return "2.1.%d" % (20 + int((f - 0.25) / 0.75 * 230))


def new_format(version):
    return version.startswith("2.1.") and int(version.split(".")[2]) >= 100


def advisor_json(u):
    """The advisor iteration of usage @u (its 7th member: model, input, output), or ''."""
    if len(u) < 7 or u[6] is None:
        return ""
    model, ai, ao = u[6]
    return (',{"type":"advisor_message","model":"%s","input_tokens":%d,"output_tokens":%d,'
            '"cache_read_input_tokens":0,"cache_creation_input_tokens":0}' % (model, ai, ao))


def usage_json(u, newfmt):
    i, o, cc, cr, c5, c1 = u[:6]
    if not newfmt:
        return ('{"input_tokens":%d,"cache_creation_input_tokens":%d,"cache_read_input_tokens":%d,'
                '"cache_creation":{"ephemeral_5m_input_tokens":%d,"ephemeral_1h_input_tokens":%d},'
                '"output_tokens":%d,"service_tier":"standard"}' % (i, cc, cr, c5, c1, o))
    return ('{"input_tokens":%d,"cache_creation_input_tokens":%d,"cache_read_input_tokens":%d,"output_tokens":%d,'
            '"server_tool_use":{"web_search_requests":0,"web_fetch_requests":0},"service_tier":"standard",'
            '"cache_creation":{"ephemeral_1h_input_tokens":%d,"ephemeral_5m_input_tokens":%d},"inference_geo":"not_available",'
            '"iterations":[{"input_tokens":%d,"output_tokens":%d,"cache_read_input_tokens":%d,"cache_creation_input_tokens":%d,'
            '"cache_creation":{"ephemeral_5m_input_tokens":%d,"ephemeral_1h_input_tokens":%d},"type":"message"}%s],"speed":"standard"}'
            % (i, cc, cr, o, c1, c5, i, o, cr, cc, c5, c1, advisor_json(u)))


class Ctx:
    """Per-transcript header info."""
    __slots__ = ("cwd", "sid", "version", "branch", "sidechain", "agent_id", "newfmt", "last_uuid")

    def __init__(self, cwd, sid, version, branch, sidechain=False, agent_id=None):
        self.cwd = cwd
        self.sid = sid
        self.version = version
        self.branch = branch
        self.sidechain = sidechain
        self.agent_id = agent_id
        self.newfmt = new_format(version)
        self.last_uuid = None

    def head(self, parent=None):
        p = parent if parent is not None else self.last_uuid
        ps = '"%s"' % p if p else "null"
        h = ('{"parentUuid":%s,"isSidechain":%s,"userType":"external","cwd":%s,"sessionId":"%s","version":"%s","gitBranch":"%s",'
             % (ps, "true" if self.sidechain else "false", jstr(self.cwd), self.sid, self.version, self.branch))
        if self.agent_id:
            h += '"agentId":"%s",' % self.agent_id
        return h


def assistant_message_json(g, ctx, model, mid, blocks, stop_reason, usage):
    stop = '"%s"' % stop_reason if stop_reason else "null"
    content = ",".join(blocks)
    if ctx.newfmt:
        return ('{"model":"%s","id":"%s","type":"message","role":"assistant","content":[%s],"stop_reason":%s,"stop_sequence":null,"usage":%s}'
                % (model, mid, content, stop, usage_json(usage, True)))
    return ('{"id":"%s","type":"message","role":"assistant","model":"%s","content":[%s],"stop_reason":%s,"stop_sequence":null,"usage":%s}'
            % (mid, model, content, stop, usage_json(usage, False)))


def assistant_line(g, ctx, msg_json, rid, uid):
    line = '%s"message":%s,"requestId":"%s","type":"assistant","uuid":"%s","timestamp":"%s"}' % (ctx.head(), msg_json, rid, uid, TS)
    ctx.last_uuid = uid
    return line


def synthetic_line(g, ctx, kind, reset_epoch=0):
    uid = g.uuid()
    if kind == "limit":
        text = "Claude AI usage limit reached|%d" % reset_epoch
    elif kind == "noresp":
        text = "No response requested."
    else:
        text = g.rng.choice(["API Error: Request was aborted.", "API Error: 529 {\\\"type\\\":\\\"error\\\",\\\"error\\\":{\\\"type\\\":\\\"overloaded_error\\\",\\\"message\\\":\\\"Overloaded\\\"}}",
                             "API Error: Connection error."])
    mid = g.uuid()
    msg = ('{"id":"%s","container":null,"model":"<synthetic>","role":"assistant","stop_reason":"stop_sequence","stop_sequence":"","type":"message",'
           '"usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,'
           '"server_tool_use":{"web_search_requests":0,"web_fetch_requests":0},"service_tier":null,'
           '"cache_creation":{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":0}},"content":[{"type":"text","text":"%s"}]}'
           % (mid, text))
    err = ',"isApiErrorMessage":true' if kind != "noresp" else ""
    line = '%s"message":%s,"type":"assistant","uuid":"%s","timestamp":"%s"%s}' % (ctx.head(), msg, uid, TS, err)
    ctx.last_uuid = uid
    return line, mid


def user_prompt_line(g, ctx, text, extra=""):
    uid = g.uuid()
    line = ('%s"type":"user","message":{"role":"user","content":"%s"},"uuid":"%s","timestamp":"%s"%s}'
            % (ctx.head(), text, uid, TS, extra))
    ctx.last_uuid = uid
    return line


def tool_result_line(g, ctx, tool, tuid, size):
    uid = g.uuid()
    r = g.rng
    if tool in ("Read", "Bash", "WebFetch"):
        body = g.text(size)
        if tool == "Read":
            nl = body.count("\\n") + 1
            path = "/home/dev/src/%s/%s.rs" % (r.choice(WORDS), r.choice(WORDS))
            tur = ('{"type":"text","file":{"filePath":%s,"content":"%s","numLines":%d,"startLine":1,"totalLines":%d}}'
                   % (jstr(path), body, nl, nl + r.randint(0, 400)))
        elif tool == "Bash":
            tur = '{"stdout":"%s","stderr":"","interrupted":false,"isImage":false}' % body
        else:
            tur = '{"bytes":%d,"code":200,"codeText":"OK","result":"%s","durationMs":%d,"url":"https://example.com/docs"}' % (size, body, r.randint(200, 9000))
        content = body
    elif tool in ("Edit", "MultiEdit", "Write"):
        body = g.text(size)
        content = "The file /home/dev/src/app/main.py has been updated. Here's the result of running `cat -n` on a snippet of the edited file:\\n" + body[: max(1, size // 3)]
        while content.endswith("\\"):
            content = content[:-1]
        tur = ('{"filePath":"/home/dev/src/app/main.py","oldString":"%s","newString":"%s","originalFile":"%s","structuredPatch":[{"oldStart":1,"oldLines":3,"newStart":1,"newLines":4,"lines":["-a","+b"]}],"userModified":false,"replaceAll":false}'
               % (g.text(200), g.text(240), body))
    elif tool == "TodoWrite":
        content = "Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress."
        tur = '{"oldTodos":[],"newTodos":[{"content":"%s","status":"in_progress","activeForm":"%s"}]}' % (g.text(60), g.text(60))
    else:  # Grep / Glob
        files = ["/home/dev/src/%s/%s.ts" % (r.choice(WORDS), r.choice(WORDS)) for _ in range(r.randint(1, 40))]
        content = "Found %d files\\n" % len(files) + "\\n".join(files)
        tur = '{"mode":"files_with_matches","filenames":[%s],"numFiles":%d}' % (",".join(jstr(f) for f in files), len(files))
    err = ',"is_error":true' if r.random() < 0.03 else ""
    line = ('%s"type":"user","message":{"role":"user","content":[{"tool_use_id":"%s","type":"tool_result","content":"%s"%s}]},"uuid":"%s","timestamp":"%s","toolUseResult":%s}'
            % (ctx.head(), tuid, content, err, uid, TS, tur))
    ctx.last_uuid = uid
    return line, len(content)


def system_line(g, ctx, subtype):
    uid = g.uuid()
    if subtype == "turn_duration":
        body = '"type":"system","subtype":"turn_duration","durationMs":%d,"isMeta":false' % g.rng.randint(2000, 900000)
    elif subtype == "compact_boundary":
        body = ('"type":"system","subtype":"compact_boundary","content":"Conversation compacted","isMeta":false,"level":"info",'
                '"compactMetadata":{"trigger":"auto","preTokens":%d}' % g.rng.randint(150000, 170000))
    else:
        body = ('"type":"system","subtype":"informational","content":"\\u001b[1mPostToolUse:Edit\\u001b[22m [npx prettier --write] completed successfully",'
                '"isMeta":false,"level":"info","toolUseID":"%s"' % g.toolu())
    line = '%s%s,"timestamp":"%s","uuid":"%s"}' % (ctx.head(), body, TS, uid)
    ctx.last_uuid = uid
    return line


def hook_progress_line(g, ctx, tuid, ev):
    uid = g.uuid()
    line = ('%s"type":"progress","data":{"type":"hook_progress","hookEvent":"%s","hookName":"%s:Bash","command":"~/.claude/hooks/check.sh"},'
            '"parentToolUseID":"%s","toolUseID":"%s","timestamp":"%s","uuid":"%s"}' % (ctx.head(), ev, ev, tuid, tuid, TS, uid))
    return line  # progress lines do not advance the parentUuid chain


def bash_progress_line(g, ctx, tuid):
    uid = g.uuid()
    r = g.rng
    line = ('%s"type":"progress","data":{"type":"bash_progress","output":"%s","fullOutput":"%s","elapsedTimeSeconds":%d,"totalLines":%d},'
            '"toolUseID":"bash-progress-%d","parentToolUseID":"%s","timestamp":"%s","uuid":"%s"}'
            % (ctx.head(), g.text(r.randint(20, 200)), g.text(r.randint(50, 1500)), r.randint(2, 120), r.randint(1, 300), r.randint(0, 20), tuid, TS, uid))
    return line


def agent_progress_line(g, ctx, tuid, aid, msg_json, rid, sub_uuid):
    uid = g.uuid()
    line = ('%s"type":"progress","data":{"message":{"type":"assistant","message":%s,"requestId":"%s","uuid":"%s","timestamp":"%s"},'
            '"normalizedMessages":[],"type":"agent_progress","prompt":"","agentId":"%s"},"toolUseID":"agent_msg_%s","parentToolUseID":"%s","uuid":"%s","timestamp":"%s"}'
            % (ctx.head(), msg_json, rid, sub_uuid, TS, aid, g.b58(24), tuid, uid, TS))
    return line


def snapshot_line(g):
    mid = g.uuid()
    return ('{"type":"file-history-snapshot","messageId":"%s","snapshot":{"messageId":"%s","trackedFileBackups":{},"timestamp":"%s"},"isSnapshotUpdate":false}'
            % (mid, mid, TS))


def summary_line(g):
    return '{"type":"summary","summary":%s,"leafUuid":"%s"}' % (jstr(g.rng.choice(SUMMARIES)), g.uuid())


# ---------------------------------------------------------------------------------
# session simulation

class Rec:
    """One planned line. dest: 0 = main file, else key into session.side_files."""
    __slots__ = ("tpl", "gap", "dest", "usage", "key", "model", "nots", "mirror", "noinj")

    def __init__(self, tpl, gap, dest=0, usage=None, key=None, model=None, nots=False, mirror=False, noinj=False):
        self.tpl = tpl
        self.gap = gap          # seconds since the previous line of the session timeline
        self.dest = dest
        self.usage = usage      # (i, o, cc, cr, c5, c1) for usage-bearing lines
        self.key = key          # (message.id, requestId or None)
        self.model = model
        self.nots = nots        # line has no timestamp
        self.mirror = mirror    # has/ is an agent_progress mirror (never truncated)
        self.noinj = noinj


class Session:
    def __init__(self, g, args, proj, start_ms, budget, model, start_span, end_span):
        self.g = g
        self.args = args
        self.proj = proj
        self.start_ms = start_ms
        self.budget = budget
        self.model = model
        self.sid = g.uuid()
        self.version = version_for(start_ms, start_span, end_span)
        self.recs = []
        self.side_files = {}   # dest key -> relative path
        self.side_meta = {}
        self.bytes = 0
        r = g.rng
        self.ttl_1h = r.random() < (0.35 if new_format(self.version) else 0.15)
        self.sys_tokens = r.randint(14000, 26000)
        self.compact_at = r.randint(150000, 172000)
        if model.startswith("claude-sonnet") and r.random() < args.big_context_rate:
            self.compact_at = r.randint(420000, 800000)   # 1M-context session: >200k tier pricing
        self.ctx_tokens = 0
        self.cached = 0
        self.first_request = True

    def add(self, rec, nbytes):
        self.recs.append(rec)
        self.bytes += nbytes + 1

    # -- token model ---------------------------------------------------------------
    def next_usage(self, out_tokens, input_big=False, idle=0.0):
        r = self.g.rng
        ttl = 3600 if self.ttl_1h else 300
        ctx_total = max(self.ctx_tokens, self.sys_tokens)
        if self.first_request or idle > ttl or r.random() < 0.01:
            cr = int(self.sys_tokens * r.uniform(0.55, 0.95)) if r.random() < 0.6 else 0
            self.first_request = False
        else:
            cr = self.cached
        inp = r.randint(1, 12)
        if input_big:
            inp = r.randint(500, 30000)
        cc = max(0, ctx_total - cr - inp)
        if self.ttl_1h:
            c5, c1 = 0, cc
            if cc and r.random() < 0.05:
                c5 = r.randint(0, cc)
                c1 = cc - c5
        else:
            c5, c1 = cc, 0
        self.cached = cr + cc
        self.ctx_tokens = ctx_total + out_tokens
        return (inp, out_tokens, cc, cr, c5, c1)

    # -- assistant response: 1..3 lines sharing id+requestId ------------------------
    def assistant_response(self, ctx, model, dest, blocks_spec, stop_reason, out_tokens, latency, idle=0.0,
                           input_big=False, mirror_into=None):
        g = self.g
        r = g.rng
        usage = self.next_usage(out_tokens, input_big=input_big, idle=idle)
        if ctx.newfmt and model != SYNTHETIC and r.random() < self.args.advisor_rate:
            adv_model = r.choices([m for m, _ in ADVISOR_MODELS], [w for _, w in ADVISOR_MODELS])[0]
            usage = usage + ((adv_model, r.randint(2000, 60000), r.randint(200, 4000)),)
        mid, rid = g.msg_id(), g.req_id()
        blocks = blocks_spec
        if len(blocks) > 1 and r.random() < self.args.split_rate:
            groups = [[b] for b in blocks]          # one line per content block
        else:
            groups = [blocks]
        partial = len(groups) > 1 and r.random() < self.args.partial_rate
        # mirror all lines of a response or none (ccusage prefers the non-sidechain copy of a
        # duplicated id+requestId regardless of token totals, so a partial mirror would win)
        mirror = mirror_into is not None and r.random() < self.args.agent_progress_rate
        recs = []
        for gi, grp in enumerate(groups):
            u = usage
            if partial and gi < len(groups) - 1:
                u = (usage[0], max(1, int(usage[1] * r.uniform(0.0, 0.3))), usage[2], usage[3], usage[4], usage[5])
            uid = g.uuid()
            msg = assistant_message_json(g, ctx, model, mid, grp, stop_reason if gi == len(groups) - 1 else None, u)
            line = assistant_line(g, ctx, msg, rid, uid)
            gap = latency if gi == 0 else r.uniform(0.05, 2.0)
            rec = Rec(line, gap, dest, u, (mid, rid), model)
            recs.append(rec)
            self.add(rec, len(line))
            if mirror:
                pctx, ptuid, aid = mirror_into
                pl = agent_progress_line(g, pctx, ptuid, aid, msg, rid, uid)
                rec.mirror = True
                prec = Rec(pl, 0.0, 0, u, (mid, rid), model, mirror=True)
                self.add(prec, len(pl))
        return usage

    def content_blocks(self, final, tool=None, tuid=None):
        g = self.g
        r = g.rng
        blocks = []
        if r.random() < 0.3:
            blocks.append('{"type":"thinking","thinking":"%s","signature":"%s"}' % (g.text(g.lognorm(400, 1.0, 40, 12000)), g.b58(r.randint(300, 1500))))
        if final or r.random() < 0.5:
            blocks.append('{"type":"text","text":"%s"}' % g.text(g.lognorm(500 if final else 150, 1.0, 10, 20000)))
        if not final:
            if tool in ("Write", "Edit", "MultiEdit"):
                inp = '{"file_path":"/home/dev/src/app/main.py","content":"%s"}' % g.text(g.lognorm(1500, 1.1, 50, 40000))
            elif tool == "Bash":
                inp = '{"command":"%s","description":"%s"}' % (g.text(r.randint(10, 200)), g.text(r.randint(10, 60)))
            elif tool == "Task":
                inp = '{"description":"%s","prompt":"%s","subagent_type":"%s"}' % (g.text(30), g.text(r.randint(200, 2500)), r.choice(["Explore", "general-purpose", "Plan"]))
            else:
                inp = '{"file_path":"/home/dev/src/%s/%s.rs"}' % (r.choice(WORDS), r.choice(WORDS))
            blocks.append('{"type":"tool_use","id":"%s","name":"%s","input":%s}' % (tuid, tool, inp))
        return blocks

    # -- one agentic loop (main thread or sub-agent) -------------------------------
    def agent_loop(self, ctx, model, dest, steps, first_idle=0.0, mirror_into=None, allow_task=True):
        g = self.g
        r = g.rng
        a = self.args
        idle = first_idle
        for step in range(steps):
            final = step == steps - 1 or self.bytes >= self.budget
            tool = None
            tuid = None
            if not final:
                if allow_task and a.sidechain_rate > 0 and r.random() < a.sidechain_rate:
                    tool = "Task"
                else:
                    tool = r.choices(TOOLS, TOOL_W)[0]
                tuid = g.toolu()
            out = g.lognorm(450 if final else 120, 1.1, 1, 32000)
            latency = 1.5 + out / r.uniform(40, 90) + r.uniform(0, 4)
            # synthetic lines (API errors etc.)
            if r.random() < a.synthetic_rate:
                kind = "limit" if r.random() < 0.03 else ("noresp" if r.random() < 0.3 else "err")
                sl, smid = synthetic_line(g, ctx, kind, reset_epoch=int(self.start_ms / 1000) + 3600 * r.randint(1, 5))
                self.add(Rec(sl, r.uniform(1, 30), dest, (0, 0, 0, 0, 0, 0), (smid, None), SYNTHETIC, noinj=True), len(sl))
            blocks = self.content_blocks(final, tool, tuid)
            self.assistant_response(ctx, model, dest, blocks, "end_turn" if final else "tool_use", out, latency,
                                    idle=idle, input_big=(model == HAIKU and r.random() < 0.2), mirror_into=mirror_into)
            idle = 0.0
            if final:
                return
            for ev in ("PreToolUse", "PostToolUse"):
                if r.random() < a.hook_progress_rate:
                    hl = hook_progress_line(g, ctx, tuid, ev)
                    self.add(Rec(hl, r.uniform(0.01, 0.5), dest), len(hl))
            if tool == "Bash" and r.random() < 0.4:
                for _ in range(r.randint(1, 4)):
                    bl = bash_progress_line(g, ctx, tuid)
                    self.add(Rec(bl, r.uniform(1.0, 6.0), dest), len(bl))
            if tool == "Task":
                summary_tokens = self.run_subagent(ctx, tuid)
                size = summary_tokens * 4
                tool_for_result = "Bash"
            else:
                size = g.lognorm(a.tool_result_median, 1.25, 40, a.tool_result_max)
                tool_for_result = tool
            tl, clen = tool_result_line(g, ctx, tool_for_result, tuid, size)
            self.add(Rec(tl, r.uniform(0.05, 3.0) + (r.uniform(0, 25) if tool == "Bash" else 0), dest), len(tl))
            self.ctx_tokens += int(clen / 3.6) + 30
            if r.random() < 0.06:
                sl = system_line(g, ctx, "informational")
                self.add(Rec(sl, r.uniform(0.01, 0.3), dest), len(sl))
            if dest == 0 and self.ctx_tokens > self.compact_at:
                self.compact(ctx)

    def compact(self, ctx):
        g = self.g
        r = g.rng
        sl = system_line(g, ctx, "compact_boundary")
        self.add(Rec(sl, r.uniform(20, 90), 0), len(sl))
        ul = user_prompt_line(g, ctx, "This session is being continued from a previous conversation that ran out of context. Summary:\\n" + g.text(r.randint(6000, 20000)),
                              extra=',"isCompactSummary":true,"isVisibleInTranscriptOnly":true')
        self.add(Rec(ul, r.uniform(0.01, 0.2), 0), len(ul))
        self.ctx_tokens = self.sys_tokens + r.randint(3000, 8000)
        self.cached = 0
        self.first_request = True

    def run_subagent(self, pctx, ptuid):
        """Sub-agent episode; returns tokens of the summary handed back to the parent."""
        g = self.g
        r = g.rng
        a = self.args
        aid = g.agent_id()[: 7 if a.sidechain_layout != "nested" else 17]
        model = HAIKU if r.random() < 0.6 else self.model
        if a.sidechain_layout == "inline":
            dest = 0
            sctx = Ctx(pctx.cwd, pctx.sid, pctx.version, pctx.branch, sidechain=True)
        else:
            dest = len(self.side_files) + 1
            if a.sidechain_layout == "nested":
                self.side_files[dest] = "%s/subagents/agent-%s.jsonl" % (self.sid, aid)
                self.side_meta[dest] = ("%s/subagents/agent-%s.meta.json" % (self.sid, aid),
                                        '{"agentType":"%s","spawnDepth":1,"model":"%s"}\n' % (r.choice(["Explore", "general-purpose", "Plan"]), model))
            else:
                self.side_files[dest] = "agent-%s.jsonl" % aid
            sctx = Ctx(pctx.cwd, pctx.sid, pctx.version, pctx.branch, sidechain=True, agent_id=aid)
        # save/restore the parent's token state: the sub-agent has its own context
        saved = (self.ctx_tokens, self.cached, self.first_request, self.sys_tokens)
        self.sys_tokens = r.randint(6000, 14000)
        self.ctx_tokens = self.sys_tokens
        self.cached = 0
        self.first_request = True
        pl = user_prompt_line(g, sctx, g.text(r.randint(200, 2500)))
        self.add(Rec(pl, r.uniform(0.1, 1.0), dest), len(pl))
        steps = max(2, min(40, int(r.expovariate(1 / 8.0)) + 2))
        mirror = (pctx, ptuid, aid) if a.sidechain_layout != "inline" else None
        self.agent_loop(sctx, model, dest, steps, mirror_into=mirror, allow_task=False)
        self.ctx_tokens, self.cached, self.first_request, self.sys_tokens = saved
        return r.randint(200, 1500)

    # -- whole session ---------------------------------------------------------------
    def simulate(self, resume_lines=None):
        g = self.g
        r = g.rng
        a = self.args
        cwd = self.proj[1]
        branch = r.choice(["main", "main", "main", "develop", "feature/%s" % r.choice(WORDS), "fix/%s" % r.choice(WORDS)])
        ctx = Ctx(cwd, self.sid, self.version, branch)
        if r.random() < 0.2:
            for _ in range(r.randint(1, 3)):
                sl = summary_line(g)
                self.add(Rec(sl, 0.0, 0, nots=True), len(sl))
        if resume_lines:
            for (raw, usage, key, model) in resume_lines:
                # verbatim copies of an earlier session's tail (already rendered bytes)
                rec = Rec(raw, 0.0, 0, usage, key, model, nots=True, noinj=True)
                rec.tpl = raw
                self.recs.append(rec)
                self.bytes += len(raw)
            self.first_request = True
        self.ctx_tokens = self.sys_tokens
        turn = 0
        while self.bytes < self.budget:
            think = g.lognorm(45, 1.3, 3, 3600) if turn else r.uniform(1, 20)
            if turn and r.random() < 0.04:
                think += r.uniform(1800, 7200)
            if ctx.newfmt or r.random() < 0.5:
                sn = snapshot_line(g)
                self.add(Rec(sn, think, 0), len(sn))
                think = 0.01
            plen = g.lognorm(160, 1.2, 5, 4000)
            if r.random() < 0.03:
                plen = r.randint(5000, 30000)   # pasted logs
            ul = user_prompt_line(g, ctx, g.text(plen))
            self.add(Rec(ul, think, 0), len(ul))
            self.ctx_tokens += plen // 4
            steps = max(1, min(80, int(r.expovariate(1 / 6.0)) + 1))
            self.agent_loop(ctx, self.model, 0, steps, first_idle=think)
            if r.random() < 0.35:
                tl = system_line(g, ctx, "turn_duration")
                self.add(Rec(tl, r.uniform(0.01, 0.2), 0), len(tl))
            turn += 1
        return ctx


# ---------------------------------------------------------------------------------
# scheduling

def file_size_targets(rng, total_bytes):
    n = max(1, int(round(total_bytes / 1024 / 1024 / REAL_WORLD_MIB * REAL_WORLD_FILES)))
    qs = REAL_WORLD_QUANTILES
    ps = [q[0] for q in qs]
    raw = []
    for i in range(n):
        p = (i + rng.random()) / n
        k = max(1, bisect.bisect_left(ps, p))
        k = min(k, len(qs) - 1)
        (p0, s0), (p1, s1) = qs[k - 1], qs[k]
        f = 0.0 if p1 == p0 else (p - p0) / (p1 - p0)
        # interpolate in log space (smoother than ccusage's linear interpolation)
        raw.append(math.exp(math.log(s0) + (math.log(s1) - math.log(s0)) * f))
    # sessions overshoot their budget by about one agentic step: aim ~4.5 % low
    scale = 0.955 * total_bytes / sum(raw)
    sizes = [max(2000, int(s * scale)) for s in raw]
    rng.shuffle(sizes)
    return sizes


class Scheduler:
    """Working-hours, bursty session start times in the user's local offset."""

    def __init__(self, rng, start_ms, end_ms, utc_offset_h):
        self.rng = rng
        self.start_ms = start_ms
        self.end_ms = end_ms
        self.off = int(utc_offset_h * 3600_000)
        day0 = (start_ms + self.off) // 86400_000
        day1 = (end_ms + self.off) // 86400_000
        self.days = []
        weights = []
        for d in range(day0, day1 + 1):
            wd = (d + 3) % 7   # 1970-01-01 was a Thursday: wd 0 = Monday
            w = (1.0 if wd < 5 else 0.25) * rng.gammavariate(2.0, 0.5)
            if rng.random() < 0.08:
                w = 0.0   # vacation / off days
            self.days.append(d)
            weights.append(w)
        tot = sum(weights) or 1.0
        acc = 0.0
        self.cum = []
        for w in weights:
            acc += w / tot
            self.cum.append(acc)
        self.bursts = {}

    def pick(self):
        r = self.rng
        i = min(len(self.days) - 1, bisect.bisect_left(self.cum, r.random()))
        d = self.days[i]
        if d not in self.bursts:
            nb = r.choice([1, 2, 2, 3])
            bs = []
            for _ in range(nb):
                c = r.random()
                if c < 0.45:
                    h = r.gauss(9.5, 1.0)
                elif c < 0.9:
                    h = r.gauss(14.0, 1.2)
                else:
                    h = r.gauss(21.0, 1.2)
                bs.append(min(23.5, max(6.0, h)))
            self.bursts[d] = bs
        h = r.choice(self.bursts[d]) + r.uniform(0, 3.5)
        local_ms = d * 86400_000 + int(h * 3600_000)
        return local_ms - self.off

    def advance(self, t_ms, gap_s):
        """Add a gap; long sessions sleep through the night (local 20:30-08:30)."""
        t = t_ms + int(gap_s * 1000)
        local = t + self.off
        hod = (local % 86400_000) / 3600_000.0
        if (hod >= 20.5 or hod < 7.0) and gap_s > 30 and self.rng.random() < 0.85:
            day = local // 86400_000 + (1 if hod >= 20.5 else 0)
            t = day * 86400_000 + int(self.rng.uniform(8.0, 10.0) * 3600_000) - self.off
        return t


# ---------------------------------------------------------------------------------
# rendering + ground truth

class Truth:
    def __init__(self):
        self.best = {}   # key -> (total, order, ts_ms, usage, model)
        self.order = 0

    def offer(self, key, usage, ts_ms, model, order_key):
        tot = usage[0] + usage[1] + usage[2] + usage[3]
        cur = self.best.get(key)
        if cur is None or tot > cur[0] or (tot == cur[0] and order_key < cur[1]):
            self.best[key] = (tot, order_key, ts_ms, usage[:6], model)
        if len(usage) > 6 and usage[6] is not None:
            # an advisor sub-request: an entry of its own model, keyed by the response and its number
            adv_model, ai, ao = usage[6]
            self.offer((key, "advisor", 1), (ai, ao, 0, 0, 0, 0), ts_ms, adv_model, order_key)

    def summarize(self):
        days = {}
        models = {}
        tot = [0, 0, 0, 0, 0, 0, 0]
        for key, (t, ok, ts, u, m) in self.best.items():
            day = fmt_ts(ts)[:10]
            for agg, k in ((days, day), (models, m)):
                a = agg.setdefault(k, [0, 0, 0, 0, 0, 0, 0])
                a[0] += u[0]; a[1] += u[1]; a[2] += u[2]; a[3] += u[3]; a[4] += u[4]; a[5] += u[5]; a[6] += 1
            tot[0] += u[0]; tot[1] += u[1]; tot[2] += u[2]; tot[3] += u[3]; tot[4] += u[4]; tot[5] += u[5]; tot[6] += 1

        def d(a):
            return {"inputTokens": a[0], "outputTokens": a[1], "cacheCreationTokens": a[2], "cacheReadTokens": a[3],
                    "cacheCreation5mTokens": a[4], "cacheCreation1hTokens": a[5], "entries": a[6]}
        return {"total": d(tot), "byModel": {k: d(v) for k, v in sorted(models.items())},
                "byUtcDay": {k: d(v) for k, v in sorted(days.items())}}


def render_session(sess, sched, out_dir, rng, args, truth, stats, keep_tail):
    """Assign timestamps, inject malformed lines, write files; returns tail for resumes."""
    recs = sess.recs
    # timeline
    t = sess.start_ms
    times = []
    for rec in recs:
        if rec.nots:
            times.append(t)
            continue
        t = sched.advance(t, rec.gap)
        times.append(t)
    overflow = times[-1] - sched.end_ms if times else 0
    if overflow > 0:
        shift = -((overflow // 86400_000) + 1) * 86400_000
        times = [x + shift for x in times]
    proj_dir = os.path.join(out_dir, "projects", sess.proj[0])
    os.makedirs(proj_dir, exist_ok=True)
    main_path = os.path.join(proj_dir, sess.sid + ".jsonl")
    rel_main = os.path.relpath(main_path, out_dir)
    bufs = {0: []}
    relpaths = {0: rel_main}
    for dest, rp in sess.side_files.items():
        bufs[dest] = []
        relpaths[dest] = os.path.relpath(os.path.join(proj_dir, rp), out_dir)
    counts = {}
    crash = rng.random() < args.crash_rate
    last_idx = {}
    for idx, rec in enumerate(recs):
        last_idx[rec.dest] = idx
    tail = []
    mal_rate = args.malformed_rate
    for idx, rec in enumerate(recs):
        ts_ms = times[idx]
        if rec.nots:
            raw = rec.tpl if isinstance(rec.tpl, bytes) else (rec.tpl + "\n").encode("utf-8")
        else:
            raw = (rec.tpl.replace(TS, fmt_ts(ts_ms)) + "\n").encode("utf-8")
        dest = rec.dest
        ln = counts.get(dest, 0)
        counts[dest] = ln + 1
        truncated = False
        if not rec.noinj and not rec.mirror:
            if crash and dest == 0 and idx == last_idx[0]:
                cut = int(len(raw) * rng.uniform(0.2, 0.97))
                raw = raw[:cut]          # final line cut mid-write, no newline
                truncated = True
                stats["malformed_final_no_newline"] += 1
            elif rng.random() < mal_rate:
                cut = int(len(raw) * rng.uniform(0.2, 0.97))
                raw = raw[:cut] + b"\n"  # partial write followed by more lines
                truncated = True
                stats["malformed_midfile"] += 1
        bufs[dest].append(raw)
        stats["lines"] += 1
        stats["bytes"] += len(raw)
        if rec.mirror and dest == 0:
            stats["agent_progress_lines"] += 1
        if rec.usage is not None:
            stats["usage_lines"] += 1
            if rec.model == SYNTHETIC:
                stats["synthetic_lines"] += 1
            if truncated:
                stats["usage_lines_truncated"] += 1
            else:
                # timestamps of verbatim resume copies are inside raw; parse them back
                if rec.nots:
                    k = raw.find(b'"timestamp":"')
                    ts_ms = parse_iso(raw[k + 13:k + 37].decode())
                truth.offer(rec.key, rec.usage, ts_ms, rec.model, (relpaths[dest], ln))
        if dest != 0:
            stats["subagent_file_lines"] += 1
        if dest == 0 and not truncated and len(tail) < 10_000:
            tail.append((raw, rec.usage, rec.key, rec.model))
    for dest, chunks in bufs.items():
        path = os.path.join(out_dir, relpaths[dest])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(b"".join(chunks))
        mt = max(times) / 1000.0 if times else 0
        os.utime(path, (mt, mt))
        stats["files"] += 1
    for dest, (rp, content) in sess.side_meta.items():
        p = os.path.join(proj_dir, rp)
        with open(p, "w") as f:
            f.write(content)
    # tail for a later resume: last k complete lines with timestamps
    k = keep_tail
    tail = [x for x in tail[-k:] if x[0].endswith(b"\n") and b'"timestamp":"' in x[0]]
    return tail, (times[-1] if times else sess.start_ms)


def generate(args):
    t0 = time.time()
    end_ms = parse_iso(args.end)
    start_ms = end_ms - int(args.days * 86400_000)
    g = Gen(args.seed)
    rng = g.rng
    total_bytes = int(args.size_mb * 1024 * 1024)
    # projects: encoded cwd dir names, zipf-ish popularity
    projects = []
    for i in range(args.projects):
        base = PROJECT_BASES[i % len(PROJECT_BASES)] + ("" if i < len(PROJECT_BASES) else "-%d" % (i // len(PROJECT_BASES)))
        root = rng.choice(["/home/dev/src", "/home/dev/work", "/Users/dev/code", "/home/dev/src/github.com/acme"])
        cwd = "%s/%s" % (root, base)
        enc = cwd.replace("/", "-").replace(".", "-").replace("_", "-")
        projects.append((enc, cwd))
    pw = [1.0 / (i + 1) ** 0.9 for i in range(len(projects))]
    sizes = file_size_targets(rng, total_bytes)
    sched = Scheduler(rng, start_ms, end_ms, args.utc_offset)
    plan = []
    for s in sizes:
        p = rng.choices(range(len(projects)), pw)[0]
        st = sched.pick()
        m = rng.choices([m for m, _ in MODELS_MAIN], [w for _, w in MODELS_MAIN])[0]
        plan.append((st, p, s, m))
    plan.sort()
    os.makedirs(os.path.join(args.out, "projects"), exist_ok=True)
    truth = Truth()
    stats = {k: 0 for k in ("files", "sessions", "lines", "bytes", "usage_lines", "synthetic_lines", "subagent_file_lines",
                            "resume_sessions", "resume_copied_lines", "resume_copied_usage_lines", "agent_progress_lines",
                            "malformed_midfile", "malformed_final_no_newline", "usage_lines_truncated")}
    tails = {}
    newest = None
    assistant_seen = 0
    dup_assistant = 0
    for (st, p, budget, model) in plan:
        resume = None
        prev = tails.get(p)
        if prev and dup_assistant < args.dup_rate * max(1, assistant_seen) and rng.random() < 0.5:
            k = rng.randint(4, 40)
            resume = prev[0][-k:]
            if prev[1] >= st:   # resume must come after the earlier session ended
                st = prev[1] + int(rng.uniform(60, 7200) * 1000)
        sess = Session(g, args, projects[p], st, budget, model, start_ms, end_ms)
        sess.simulate(resume_lines=resume)
        if resume:
            stats["resume_sessions"] += 1
            stats["resume_copied_lines"] += len(resume)
            n_u = sum(1 for x in resume if x[1] is not None)
            stats["resume_copied_usage_lines"] += n_u
            dup_assistant += n_u
        assistant_seen += sum(1 for r_ in sess.recs if r_.usage is not None)
        tail, last_t = render_session(sess, sched, args.out, rng, args, truth, stats, keep_tail=40)
        tails[p] = (tail, last_t)
        stats["sessions"] += 1
        if newest is None or last_t > newest[0]:
            newest = (last_t, os.path.join("projects", projects[p][0], sess.sid + ".jsonl"))
        if args.verbose and stats["sessions"] % 200 == 0:
            print("  %d/%d sessions, %.1f MB, %.1fs" % (stats["sessions"], len(plan), stats["bytes"] / 1e6, time.time() - t0), file=sys.stderr)
    manifest = {
        "generator": "gen_claude_history.py", "generatorVersion": GEN_VERSION,
        "args": {k: v for k, v in vars(args).items() if k not in ("into", "append_lines", "verbose")},
        "command": "python3 gen_claude_history.py " + " ".join(sys.argv[1:]),
        "span": {"start": fmt_ts(start_ms), "end": fmt_ts(end_ms)},
        "stats": stats,
        "uniqueUsageEntries": len(truth.best),
        "groundTruth": truth.summarize(),
        "groundTruthNotes": ("Entries deduplicated by (message.id, requestId); among copies the one with the largest "
                             "input+output+cache_creation+cache_read total is kept (ties: first in path-sorted file order), "
                             "like ccusage >= 18. Truncated lines are not counted. '<synthetic>' entries (zero usage) are "
                             "included in 'entries'. Days are UTC dates of the kept entry's timestamp."),
        "newestSessionFile": newest[1] if newest else None,
        "appends": [],
        "elapsedSeconds": round(time.time() - t0, 1),
    }
    with open(os.path.join(args.out, "gen-manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    print(json.dumps({"out": args.out, "files": stats["files"], "sessions": stats["sessions"], "lines": stats["lines"],
                      "bytes": stats["bytes"], "usage_lines": stats["usage_lines"],
                      "unique_usage_entries": len(truth.best), "seconds": manifest["elapsedSeconds"]}))


# ---------------------------------------------------------------------------------
# append mode

def append(args):
    root = args.into
    proj_root = os.path.join(root, "projects")
    best = None
    for d in sorted(os.listdir(proj_root)):
        pd = os.path.join(proj_root, d)
        if not os.path.isdir(pd):
            continue
        for fn in sorted(os.listdir(pd)):
            if fn.endswith(".jsonl") and not fn.startswith("agent-"):
                p = os.path.join(pd, fn)
                mt = os.stat(p).st_mtime_ns
                if best is None or mt > best[0]:
                    best = (mt, p)
    if best is None:
        sys.exit("no session files under %s" % proj_root)
    path = best[1]
    with open(path, "rb") as f:
        data = f.read()
    ends_nl = data.endswith(b"\n")
    last = None
    model = MODELS_MAIN[0][0]
    for raw in reversed(data.split(b"\n")):
        try:
            obj = json.loads(raw)
        except ValueError:
            continue
        if "timestamp" in obj and "sessionId" in obj:
            if last is None:
                last = obj
            m = (obj.get("message") or {}).get("model") if isinstance(obj.get("message"), dict) else None
            if m and m != SYNTHETIC and not obj.get("isSidechain"):
                model = m
                break
    if last is None:
        sys.exit("no usable line in %s" % path)
    seed = args.seed * 1_000_003 + len(data)
    g = Gen(seed)
    rng = g.rng

    class A:  # minimal args for Session
        pass
    a = A()
    a.split_rate, a.partial_rate, a.agent_progress_rate = args.split_rate, args.partial_rate, 0.0
    a.sidechain_rate, a.synthetic_rate, a.hook_progress_rate = 0.0, args.synthetic_rate, args.hook_progress_rate
    a.tool_result_median, a.tool_result_max, a.big_context_rate = args.tool_result_median, args.tool_result_max, 0.0
    a.sidechain_layout, a.advisor_rate = "nested", args.advisor_rate
    last_ms = parse_iso(last["timestamp"])
    proj = (os.path.basename(os.path.dirname(path)), last.get("cwd", "/home/dev/src/app"))
    sess = Session(g, a, proj, last_ms, 1 << 60, model, last_ms, last_ms + 1)
    sess.sid = last.get("sessionId", sess.sid)
    ctx = Ctx(proj[1], sess.sid, last.get("version", "2.1.200"), last.get("gitBranch", "main"))
    ctx.last_uuid = last.get("uuid")
    sess.ctx_tokens = rng.randint(30000, 120000)
    sess.cached = sess.ctx_tokens - rng.randint(500, 5000)
    sess.first_request = False
    while len(sess.recs) < args.append_lines:
        sess.agent_loop(ctx, model, 0, rng.randint(3, 12))
    recs = sess.recs[: args.append_lines]
    t = last_ms
    if args.append_start:
        st = int(time.time() * 1000) if args.append_start == "now" else parse_iso(args.append_start)
        t = max(t, st)   # live-session emulation: continue at wall-clock time
    out = []
    truth = Truth()
    n_usage = 0
    for i, rec in enumerate(recs):
        t += max(1, int(rec.gap * 1000))
        raw = (rec.tpl.replace(TS, fmt_ts(t)) + "\n").encode("utf-8")
        out.append(raw)
        if rec.usage is not None:
            n_usage += 1
            truth.offer(rec.key, rec.usage, t, rec.model, (path, i))
    blob = b"".join(out)
    with open(path, "ab") as f:
        if not ends_nl and data:
            f.write(b"\n")   # the cut line stays a lone malformed line
        f.write(blob)
    os.utime(path, (t / 1000.0, t / 1000.0))
    info = {"file": os.path.relpath(path, root), "lines": len(recs), "bytes": len(blob), "usageLines": n_usage,
            "uniqueUsageEntries": len(truth.best), "firstTimestamp": fmt_ts(last_ms), "lastTimestamp": fmt_ts(t),
            "groundTruth": truth.summarize(), "seed": args.seed}
    mpath = os.path.join(root, "gen-manifest.json")
    if os.path.exists(mpath):
        with open(mpath) as f:
            man = json.load(f)
        man.setdefault("appends", []).append(info)
        with open(mpath, "w") as f:
            json.dump(man, f, indent=1, sort_keys=True)
    print(json.dumps({k: info[k] for k in ("file", "lines", "bytes", "usageLines", "lastTimestamp")}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="output root (acts as CLAUDE_CONFIG_DIR); must not exist or be empty")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size-mb", type=float, default=50.0, help="approximate total size in MiB")
    ap.add_argument("--days", type=float, default=90.0, help="history span in days, ending at --end")
    ap.add_argument("--end", default="2026-11-20T00:00:00Z", help="end of the history (ISO-8601 UTC)")
    ap.add_argument("--projects", type=int, default=12)
    ap.add_argument("--utc-offset", type=float, default=-5.0, help="user's local UTC offset in hours (working hours)")
    ap.add_argument("--dup-rate", type=float, default=0.01, help="target share of usage lines that are resume copies")
    ap.add_argument("--split-rate", type=float, default=0.5,
                    help="share of multi-block responses written one line per content block (same id+requestId)")
    ap.add_argument("--partial-rate", type=float, default=0.4,
                    help="share of split responses whose earlier lines carry partial output_tokens")
    ap.add_argument("--malformed-rate", type=float, default=0.0008, help="per-line chance of a mid-file truncated line")
    ap.add_argument("--crash-rate", type=float, default=0.015, help="share of sessions whose last line is cut (no newline)")
    ap.add_argument("--sidechain-rate", type=float, default=0.015, help="per-step chance the main agent calls the Task tool")
    ap.add_argument("--sidechain-layout", choices=["nested", "flat", "inline"], default="nested",
                    help="nested: <session>/subagents/agent-*.jsonl (2.1.x); flat: agent-*.jsonl beside sessions (2.0.x); inline: same file")
    ap.add_argument("--agent-progress-rate", type=float, default=0.3,
                    help="share of sub-agent assistant lines mirrored into the parent as agent_progress lines")
    ap.add_argument("--synthetic-rate", type=float, default=0.006, help="per-step chance of a <synthetic> zero-usage line")
    ap.add_argument("--hook-progress-rate", type=float, default=0.45, help="per-step chance of each of the PreToolUse/PostToolUse hook progress lines")
    ap.add_argument("--tool-result-median", type=int, default=2000, help="median tool_result content size (chars)")
    ap.add_argument("--tool-result-max", type=int, default=100_000)
    ap.add_argument("--big-context-rate", type=float, default=0.03, help="share of sonnet sessions with >200k contexts")
    ap.add_argument("--advisor-rate", type=float, default=0.04,
                    help="share of 2.1.x responses with an advisor_message iteration")
    ap.add_argument("--append-lines", type=int, help="append mode: number of lines to append")
    ap.add_argument("--into", help="append mode: an existing --out directory")
    ap.add_argument("--append-start", help="append mode: first appended timestamp is max(last line, this ISO time or 'now')")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if args.append_lines is not None:
        if not args.into:
            ap.error("--append-lines needs --into DIR")
        append(args)
        return
    if not args.out:
        ap.error("--out is required")
    if os.path.exists(args.out) and os.listdir(args.out):
        ap.error("--out %s exists and is not empty" % args.out)
    generate(args)


if __name__ == "__main__":
    main()
