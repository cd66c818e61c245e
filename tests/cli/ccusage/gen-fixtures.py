#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write small, fixed Claude Code transcript histories for the comparison with ccusage.

    gen-fixtures.py OUT

writes OUT/projects/<project>/<session>.jsonl (and sub-agent files) such that
`CLAUDE_CONFIG_DIR=OUT ccusage claude daily --json` reads it. Deterministic: no clock,
no randomness. Every scenario lives in its own session file so that a difference in
`session --json` names the rule that differs (the session id is the scenario name).

Scenarios (one session each unless noted):
  split-partial       one response written as 3 lines (same message.id + requestId), the
                      earlier lines with partial output_tokens, the full one last
  split-larger-first  the same with the full line first, the partial copies after it
  output-placeholder  (--daily-only) copies whose totals tie while the output differs (a placeholder
                      output_tokens on the first copy): the higher output wins, in one file and
                      across two
  sidechain-dup       a response present both in the parent (isSidechain false) and in a
                      sub-agent file (isSidechain true) with different tokens
  subagent            sub-agent files: nested <session>/subagents/agent-*.jsonl, plus
                      an agent_progress mirror line in the parent
  no-request-id       two identical lines with message.id but no requestId (never merged)
  synthetic           "<synthetic>" lines, with zero and with non-zero usage
  tool-use-result     user lines carrying a usage object inside toolUseResult / elsewhere
  cache-shapes        cache_creation object vs flat cache_creation_input_tokens, an object
                      that disagrees with the flat field, 1h cache writes only
  big-context         entries above 200k input-side tokens (tiered models)
  models              dated and undated ids, a [1m] suffix, an unknown model
  model-prices        one line per model ccusage prices (and Opus 5.5), fast lines for the
                      models with a fast-mode price
  advisor-usage       message.usage.iterations[] with advisor sub-requests: copies, placeholders,
                      sidechain copies, invalid advisors, several per line, cache tokens
  fast-mode           usage.speed "fast" and "standard"
  cost-usd            old lines with costUSD (auto mode uses it)
  malformed           garbage, a line cut mid-write, missing fields, a bad timestamp,
                      and a last line cut without newline
  dst                 entries around local midnight across the America/New_York and
                      Europe/Berlin spring-forward and fall-back changes
  blocks              entries exactly 5 h apart, just over 5 h apart, and gaps
  dedup-keys          message.id without requestId (twice), requestId without message.id (twice),
                      neither (twice), the id again with a requestId; a sidechain copy first
                      then two equal non-sidechain copies an hour apart
  synthetic-block     a "<synthetic>" line alone opening a block; a line without a model
  line-shapes         "usage": {  with a space, type "user" with message.usage, no type, CRLF,
                      leading spaces, an agent_progress line whose message is nowhere else
"""

import json
import os
import sys

SCENARIOS = []
DELIBERATE = []


def scenario(fn):
    SCENARIOS.append(fn)
    return fn


DAILY_ONLY = []


def daily_only(fn):
    """Where ccusage 20.0.24's reports disagree with each other: written only with --daily-only,
    into a history of their own that the test compares with ccusage's daily report alone."""
    DAILY_ONLY.append(fn)
    return fn


def deliberate(fn):
    """Where Claude Gauge differs from ccusage on purpose (README, "Local usage"): written only
    with --with-deliberate, to look at the difference, never compared in the test."""
    DELIBERATE.append(fn)
    return fn


class Writer:
    def __init__(self, out):
        self.out = out
        self.n = 0

    def uid(self, tag):
        self.n += 1
        return "00000000-0000-4000-8000-%012d" % self.n

    def path(self, project, session, sub=None):
        d = os.path.join(self.out, "projects", project)
        if sub:
            d = os.path.join(d, session, "subagents")
            name = sub + ".jsonl"
        else:
            name = session + ".jsonl"
        os.makedirs(d, exist_ok=True)
        return os.path.join(d, name)

    def write(self, project, session, lines, sub=None, tail=None):
        """lines: dicts or raw strings; tail: raw text appended without newline."""
        p = self.path(project, session, sub)
        with open(p, "w", encoding="utf-8", newline="\n") as f:
            for ln in lines:
                if isinstance(ln, str):
                    f.write(ln + "\n")
                else:
                    f.write(json.dumps(ln, separators=(",", ":")) + "\n")
            if tail is not None:
                f.write(tail)
        return p


def usage(i, o, cc=0, cr=0, c5=None, c1=None, flat=True, extra=None):
    u = {"input_tokens": i}
    if flat:
        u["cache_creation_input_tokens"] = cc
    u["cache_read_input_tokens"] = cr
    if c5 is not None or c1 is not None:
        u["cache_creation"] = {"ephemeral_5m_input_tokens": c5 or 0, "ephemeral_1h_input_tokens": c1 or 0}
    u["output_tokens"] = o
    u["service_tier"] = "standard"
    if extra:
        u.update(extra)
    return u


def assistant(session, ts, model, u, mid=None, rid=None, sidechain=False, extra=None, cwd="/home/ana/src/x",
              text="ok"):
    msg = {"model": model, "id": mid, "type": "message", "role": "assistant",
           "content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "usage": u}
    if mid is None:
        del msg["id"]
    d = {"parentUuid": None, "isSidechain": sidechain, "userType": "external", "cwd": cwd,
         "sessionId": session, "version": "2.0.61", "gitBranch": "main", "type": "assistant",
         "message": msg, "uuid": "u-" + ts, "timestamp": ts}
    if rid is not None:
        d["requestId"] = rid
    if extra:
        d.update(extra)
    return d


def user(session, ts, text="go", extra=None):
    d = {"parentUuid": None, "isSidechain": False, "userType": "external", "cwd": "/home/ana/src/x",
         "sessionId": session, "version": "2.0.61", "gitBranch": "main", "type": "user",
         "message": {"role": "user", "content": text}, "uuid": "uu-" + ts, "timestamp": ts}
    if extra:
        d.update(extra)
    return d


SONNET = "claude-sonnet-4-5-20250929"
OPUS = "claude-opus-4-1-20250805"
HAIKU = "claude-haiku-4-5-20251001"
PROJ = "-home-ana-src-fixture"


@scenario
def split_partial(w):
    s = "split-partial"
    u_part = usage(3, 1, 2000, 10000, 2000, 0)
    u_full = usage(3, 412, 2000, 10000, 2000, 0)
    lines = [user(s, "2026-03-02T15:00:00.000Z"),
             assistant(s, "2026-03-02T15:00:05.000Z", SONNET, u_part, "msg_sp_1", "req_sp_1", text="thinking"),
             assistant(s, "2026-03-02T15:00:06.000Z", SONNET, u_part, "msg_sp_1", "req_sp_1", text="tool"),
             assistant(s, "2026-03-02T15:00:07.000Z", SONNET, u_full, "msg_sp_1", "req_sp_1", text="done"),
             # a second response, all copies equal
             assistant(s, "2026-03-02T15:01:00.000Z", SONNET, usage(1, 90, 0, 12000, 0, 0), "msg_sp_2", "req_sp_2"),
             assistant(s, "2026-03-02T15:01:00.500Z", SONNET, usage(1, 90, 0, 12000, 0, 0), "msg_sp_2", "req_sp_2")]
    w.write(PROJ, s, lines)


@daily_only
def output_placeholder(w):
    # A streamed response's first copy carries a placeholder output_tokens (1). Copies whose totals
    # tie (input equal; what output lacks is in the cache read): the one with the higher output wins,
    # wherever it comes, with its own cache counts and timestamp; a copy with a larger total still wins.
    # ccusage's daily report decides so; its session and blocks reports keep the first copy of a tie.
    s = "output-placeholder"
    lines = [assistant(s, "2026-03-02T17:00:00.000Z", SONNET, usage(3, 1, 0, 411), "msg_op_1", "req_op_1"),
             assistant(s, "2026-03-02T17:00:09.000Z", SONNET, usage(3, 412, 0, 0), "msg_op_1", "req_op_1"),
             assistant(s, "2026-03-02T17:01:00.000Z", SONNET, usage(3, 500, 0, 0), "msg_op_2", "req_op_2"),
             assistant(s, "2026-03-02T17:01:09.000Z", SONNET, usage(3, 1, 0, 499), "msg_op_2", "req_op_2"),
             assistant(s, "2026-03-02T17:02:00.000Z", SONNET, usage(3, 1, 0, 900), "msg_op_3", "req_op_3"),
             assistant(s, "2026-03-02T17:02:09.000Z", SONNET, usage(3, 600, 0, 0), "msg_op_3", "req_op_3"),
             # input ties, output differs, nothing else: the plain placeholder
             assistant(s, "2026-03-02T17:03:00.000Z", OPUS, usage(7, 1, 100, 2000, 100, 0), "msg_op_4", "req_op_4"),
             assistant(s, "2026-03-02T17:03:09.000Z", OPUS, usage(7, 250, 100, 2000, 100, 0), "msg_op_4", "req_op_4")]
    w.write(PROJ, s, lines)
    # the same tie across files: the finished copy in the later file
    w.write(PROJ, "output-placeholder-b",
            [assistant("output-placeholder-b", "2026-03-02T17:10:00.000Z", SONNET, usage(5, 1, 0, 99), "msg_op_5",
                       "req_op_5")])
    w.write(PROJ, "output-placeholder-c",
            [assistant("output-placeholder-c", "2026-03-02T17:10:05.000Z", SONNET, usage(5, 100, 0, 0), "msg_op_5",
                       "req_op_5")])


@scenario
def split_larger_first(w):
    s = "split-larger-first"
    lines = [assistant(s, "2026-03-02T16:00:05.000Z", OPUS, usage(5, 800, 100, 5000, 100, 0), "msg_lf_1", "req_lf_1"),
             assistant(s, "2026-03-02T16:00:06.000Z", OPUS, usage(5, 2, 100, 5000, 100, 0), "msg_lf_1", "req_lf_1"),
             # same id, different requestId: a different key
             assistant(s, "2026-03-02T16:00:07.000Z", OPUS, usage(5, 3, 0, 5000, 0, 0), "msg_lf_1", "req_lf_2"),
             # same requestId, different id: a different key
             assistant(s, "2026-03-02T16:00:08.000Z", OPUS, usage(5, 4, 0, 5000, 0, 0), "msg_lf_3", "req_lf_1")]
    w.write(PROJ, s, lines)


@scenario
def sidechain_dup(w):
    s = "sidechain-dup"
    # The sub-agent copy is sidechain and larger; the parent copy is not sidechain.
    parent = [user(s, "2026-03-03T14:00:00.000Z"),
              assistant(s, "2026-03-03T14:00:10.000Z", SONNET, usage(2, 50, 300, 8000, 300, 0), "msg_sc_1", "req_sc_1"),
              assistant(s, "2026-03-03T14:05:00.000Z", SONNET, usage(2, 70, 0, 9000, 0, 0), "msg_sc_2", "req_sc_2")]
    sub = [assistant(s, "2026-03-03T14:00:09.000Z", SONNET, usage(2, 500, 300, 8000, 300, 0), "msg_sc_1", "req_sc_1",
                     sidechain=True, extra={"agentId": "a1"}),
           assistant(s, "2026-03-03T14:02:00.000Z", HAIKU, usage(10, 300, 1000, 2000, 1000, 0), "msg_sc_3", "req_sc_3",
                     sidechain=True, extra={"agentId": "a1"}),
           # sidechain copy of msg_sc_2, smaller, later in time
           assistant(s, "2026-03-03T14:05:01.000Z", SONNET, usage(2, 10, 0, 9000, 0, 0), "msg_sc_2", "req_sc_2",
                     sidechain=True, extra={"agentId": "a1"})]
    w.write(PROJ, s, parent)
    w.write(PROJ, s, sub, sub="agent-a1")


@scenario
def subagent(w):
    s = "subagent"
    sub_msg = {"model": HAIKU, "id": "msg_sa_2", "type": "message", "role": "assistant",
               "content": [{"type": "text", "text": "x"}], "usage": usage(7, 70, 700, 7000, 700, 0)}
    progress = {"parentUuid": None, "isSidechain": False, "userType": "external", "cwd": "/home/ana/src/x",
                "sessionId": s, "version": "2.1.120", "gitBranch": "main", "type": "progress",
                "data": {"message": {"type": "assistant", "message": sub_msg, "requestId": "req_sa_2",
                                     "uuid": "p1", "timestamp": "2026-03-03T18:00:30.000Z"},
                         "type": "agent_progress", "agentId": "b2"},
                "uuid": "p2", "timestamp": "2026-03-03T18:00:31.000Z"}
    parent = [user(s, "2026-03-03T18:00:00.000Z"),
              assistant(s, "2026-03-03T18:00:10.000Z", SONNET, usage(3, 33, 333, 3333, 333, 0), "msg_sa_1", "req_sa_1"),
              progress]
    sub = [assistant(s, "2026-03-03T18:00:30.000Z", HAIKU, usage(7, 70, 700, 7000, 700, 0), "msg_sa_2", "req_sa_2",
                     sidechain=True, extra={"agentId": "b2"}),
           assistant(s, "2026-03-03T18:01:30.000Z", HAIKU, usage(8, 80, 0, 7700, 0, 0), "msg_sa_3", "req_sa_3",
                     sidechain=True, extra={"agentId": "b2"})]
    w.write(PROJ, s, parent)
    w.write(PROJ, s, sub, sub="agent-b2")
    # a flat (2.0.x) sub-agent file beside the sessions
    flat = [assistant(s, "2026-03-03T18:02:00.000Z", HAIKU, usage(9, 90, 0, 900, 0, 0), "msg_sa_4", "req_sa_4",
                      sidechain=True, extra={"agentId": "c3"})]
    w.write(PROJ, "agent-c3", flat)


@scenario
def no_request_id(w):
    s = "no-request-id"
    a = assistant(s, "2026-03-04T15:00:00.000Z", SONNET, usage(4, 40, 0, 400, 0, 0), "msg_nr_1", None)
    b = assistant(s, "2026-03-04T15:00:00.000Z", SONNET, usage(4, 40, 0, 400, 0, 0), None, "req_nr_2")
    w.write(PROJ, s, [a, a, b, b])


@deliberate
def synthetic(w):
    # <synthetic> lines are Claude Code's local error lines: we skip them (api-facts), ccusage
    # counts their tokens and lets one open a block.
    s = "synthetic"
    lines = [assistant(s, "2026-03-04T16:00:00.000Z", SONNET, usage(1, 10, 0, 100, 0, 0), "msg_sy_1", "req_sy_1"),
             assistant(s, "2026-03-04T16:00:01.000Z", "<synthetic>", usage(0, 0, 0, 0, 0, 0), "msg_sy_2", "req_sy_2",
                       text="No response requested."),
             assistant(s, "2026-03-04T16:00:02.000Z", "<synthetic>", usage(5, 5, 0, 0), "msg_sy_3", None,
                       text="API Error")]
    w.write(PROJ, s, lines)


@scenario
def tool_use_result(w):
    s = "tool-use-result"
    tur = {"status": "completed", "agentId": "z9", "content": [{"type": "text", "text": "done"}],
           "totalDurationMs": 1000, "totalTokens": 123456,
           "usage": {"input_tokens": 999, "cache_creation_input_tokens": 9999, "cache_read_input_tokens": 99999,
                     "output_tokens": 9999, "service_tier": "standard"}}
    lines = [assistant(s, "2026-03-05T15:00:00.000Z", SONNET, usage(2, 20, 0, 200, 0, 0), "msg_tu_1", "req_tu_1"),
             user(s, "2026-03-05T15:01:00.000Z", extra={"toolUseResult": tur}),
             # usage at the top level of a line, not in message
             {"type": "system", "subtype": "turn_duration", "timestamp": "2026-03-05T15:02:00.000Z",
              "sessionId": s, "usage": {"input_tokens": 77, "output_tokens": 77}},
             # a user message that carries message.usage (should not happen; see what ccusage does)
             user(s, "2026-03-05T15:03:00.000Z", extra={"message": {"role": "user", "content": "hi",
                                                                     "usage": {"input_tokens": 5, "output_tokens": 6}}})]
    w.write(PROJ, s, lines)


@scenario
def cache_shapes(w):
    s = "cache-shapes"
    lines = [
        # object only, no flat field
        assistant(s, "2026-03-05T17:00:00.000Z", SONNET, usage(1, 10, c5=1000, c1=500, flat=False), "msg_cs_1", "req_cs_1"),
        # flat only
        assistant(s, "2026-03-05T17:01:00.000Z", SONNET, usage(1, 10, cc=1500, cr=10), "msg_cs_2", "req_cs_2"),
        # both, consistent
        assistant(s, "2026-03-05T17:02:00.000Z", SONNET, usage(1, 10, 1500, 20, 1000, 500), "msg_cs_3", "req_cs_3"),
        # both, disagreeing: object sums to 300, flat says 2000
        assistant(s, "2026-03-05T17:03:00.000Z", SONNET, usage(1, 10, 2000, 30, 100, 200), "msg_cs_4", "req_cs_4"),
        # 1h only
        assistant(s, "2026-03-05T17:04:00.000Z", OPUS, usage(1, 10, 4000, 40, 0, 4000), "msg_cs_5", "req_cs_5"),
        # 1h only on haiku
        assistant(s, "2026-03-05T17:05:00.000Z", HAIKU, usage(1, 10, 3000, 50, 0, 3000), "msg_cs_6", "req_cs_6"),
        # no cache fields at all
        assistant(s, "2026-03-05T17:06:00.000Z", SONNET, {"input_tokens": 11, "output_tokens": 22}, "msg_cs_7", "req_cs_7"),
    ]
    w.write(PROJ, s, lines)


@scenario
def big_context(w):
    s = "big-context"
    lines = [
        # input side above 200k: 1 + 5000 + 230000
        assistant(s, "2026-03-06T15:00:00.000Z", SONNET, usage(1, 2000, 5000, 230000, 5000, 0), "msg_bc_1", "req_bc_1"),
        # only cache read above 200k
        assistant(s, "2026-03-06T15:01:00.000Z", "claude-sonnet-4-20250514", usage(1, 300, 0, 250000, 0, 0), "msg_bc_2", "req_bc_2"),
        # a single field above 200k: input itself
        assistant(s, "2026-03-06T15:02:00.000Z", SONNET, usage(210000, 300, 0, 0, 0, 0), "msg_bc_3", "req_bc_3"),
        # output above 200k would be odd; a large 1h write above 200k
        assistant(s, "2026-03-06T15:03:00.000Z", SONNET, usage(1, 1, 205000, 0, 0, 205000), "msg_bc_4", "req_bc_4"),
        # sum above 200k, no single field above
        assistant(s, "2026-03-06T15:04:00.000Z", SONNET, usage(1, 100, 100000, 150000, 100000, 0), "msg_bc_5", "req_bc_5"),
        # opus 4.1 above 200k (no tier in most price lists)
        assistant(s, "2026-03-06T15:05:00.000Z", OPUS, usage(1, 100, 0, 240000, 0, 0), "msg_bc_6", "req_bc_6"),
        # the tier boundary: 199 999, 200 000, 200 001 input tokens
        assistant(s, "2026-03-06T15:06:00.000Z", SONNET, usage(199999, 1, 0, 0, 0, 0), "msg_bc_7", "req_bc_7"),
        assistant(s, "2026-03-06T15:07:00.000Z", SONNET, usage(200000, 1, 0, 0, 0, 0), "msg_bc_8", "req_bc_8"),
        assistant(s, "2026-03-06T15:08:00.000Z", SONNET, usage(200001, 1, 0, 0, 0, 0), "msg_bc_9", "req_bc_9"),
        # output above 200k; a 5m write above 200k
        assistant(s, "2026-03-06T15:09:00.000Z", SONNET, usage(1, 250000, 0, 0, 0, 0), "msg_bc_10", "req_bc_10"),
        assistant(s, "2026-03-06T15:10:00.000Z", SONNET, usage(1, 1, 205000, 0, 205000, 0), "msg_bc_11", "req_bc_11"),
        # models without a >200k tier in ccusage's prices, and a [1m] id above 200k
        assistant(s, "2026-03-06T15:11:00.000Z", "claude-sonnet-4-6", usage(300000, 1, 0, 0, 0, 0), "msg_bc_12", "req_bc_12"),
        assistant(s, "2026-03-06T15:12:00.000Z", "claude-opus-4-6", usage(300000, 1, 0, 0, 0, 0), "msg_bc_13", "req_bc_13"),
        assistant(s, "2026-03-06T15:13:00.000Z", "claude-sonnet-4-5-20250929[1m]", usage(300000, 1, 0, 0, 0, 0),
                  "msg_bc_14", "req_bc_14"),
    ]
    w.write(PROJ, s, lines)


@scenario
def models(w):
    s = "models"
    ms = ["claude-sonnet-4-5", "claude-sonnet-4-5-20250929[1m]", "claude-opus-4-5-20251101", "claude-opus-4-6",
          "claude-opus-4-6[1m]", "claude-3-5-haiku-20241022", "claude-sonnet-4-6", "claude-unknown-model-7",
          "anthropic/claude-sonnet-4-5"]
    lines = []
    for k, m in enumerate(ms):
        lines.append(assistant(s, "2026-03-06T17:%02d:00.000Z" % k, m, usage(10 + k, 100 + k, 1000, 10000, 1000, 0),
                               "msg_mo_%d" % k, "req_mo_%d" % k))
    w.write(PROJ, s, lines)


# Every Claude model ccusage 20.0.24 prices (found model by model in its tables), written as
# Claude Code writes ids, plus Opus 5.5, which it does not price (tokens compared, cost not).
PRICED_MODELS = ["claude-opus-5", "claude-opus-4-8", "claude-opus-4-7", "claude-opus-4-6",
                 "claude-opus-4-5-20251101", "claude-opus-4-1-20250805", "claude-opus-4-20250514",
                 "claude-4-opus-20250514", "claude-3-opus-20240229", "claude-sonnet-5", "claude-sonnet-4-6",
                 "claude-sonnet-4-5-20250929", "claude-sonnet-4-20250514", "claude-4-sonnet-20250514",
                 "claude-3-7-sonnet-20250219", "claude-3-5-sonnet-20241022", "claude-3-5-sonnet-20240620",
                 "claude-3-sonnet-20240229", "claude-fable-5", "claude-fable-5-1", "claude-mythos-5",
                 "claude-mythos-5-1", "claude-mythos-preview", "claude-haiku-4-5-20251001",
                 "claude-3-5-haiku-20241022", "claude-3-haiku-20240307", "claude-opus-5-5"]


@scenario
def model_prices(w):
    # One line per model with every token field (each below the 200k tier), then the models
    # with a fast-mode price in fast mode: each model's cost in the day's breakdown is compared.
    s = "model-prices"
    lines = []
    for k, m in enumerate(PRICED_MODELS):
        lines.append(assistant(s, "2026-03-12T15:%02d:00.000Z" % k, m,
                               usage(1000 + k, 2000 + k, 7000, 40000 + k, 3000, 4000),
                               "msg_mp_%d" % k, "req_mp_%d" % k))
    for k, m in enumerate(["claude-opus-5", "claude-opus-4-8", "claude-sonnet-5", "claude-fable-5-1"]):
        lines.append(assistant(s, "2026-03-12T16:%02d:00.000Z" % k, m,
                               usage(500, 900, 1000, 9000, 1000, 0, extra={"speed": "fast"}),
                               "msg_mpf_%d" % k, "req_mpf_%d" % k))
    w.write(PROJ, s, lines)


def advisor(model, i, o, **fields):
    d = {"type": "advisor_message", "model": model, "input_tokens": i, "output_tokens": o}
    d.update(fields)
    return d


@scenario
def advisor_usage(w):
    # message.usage.iterations[]: advisor sub-requests carry their own model and tokens, which the
    # line's usage leaves out; ccusage 20.0.24 counts each under its own model, deduplicated with
    # the response's ids and its number among the line's valid advisors.
    s = "advisor-usage"
    O48 = "claude-opus-4-8"
    msg = {"type": "message", "input_tokens": 1000, "output_tokens": 1000}

    def line(ts, k, u, its, **kw):
        u = dict(u, iterations=its) if its is not None else u
        return assistant(s, ts, "claude-sonnet-4-6", u, "msg_ad_%s" % k, "req_ad_%s" % k, **kw)

    lines = [
        # the shape of api-facts.md: 1,000/1,000 Sonnet 4.6 and 5,000/2,000 Opus 4.8
        line("2026-03-13T15:00:00.000Z", 1, usage(1000, 1000), [msg, advisor(O48, 5000, 2000)]),
        # copies: a placeholder without iterations, then the whole line; an advisor whose output
        # grows between copies; a copy whose iterations hold only the advisor (numbered the same)
        line("2026-03-13T15:01:00.000Z", 2, usage(900, 1), []),
        line("2026-03-13T15:01:01.000Z", 2, usage(900, 1), [advisor(O48, 4000, 1)]),
        line("2026-03-13T15:01:02.000Z", 2, usage(900, 700), [msg, advisor(O48, 4000, 1500)]),
        line("2026-03-13T15:01:03.000Z", 2, usage(900, 700), [advisor(O48, 4000, 1500)]),
        # an advisor on a placeholder copy only: it stays when the larger copy has none
        line("2026-03-13T15:02:00.000Z", 3, usage(800, 1), [advisor("claude-opus-5", 3000, 900)]),
        line("2026-03-13T15:02:01.000Z", 3, usage(800, 600), None),
        # two advisors, one with cache tokens; compaction and fallback iterations add nothing
        line("2026-03-13T15:03:00.000Z", 4, usage(700, 500),
             [advisor(O48, 2000, 800, cache_read_input_tokens=300, cache_creation_input_tokens=400,
                      cache_creation={"ephemeral_5m_input_tokens": 100, "ephemeral_1h_input_tokens": 300}),
              {"type": "compaction", "input_tokens": 50, "output_tokens": 50},
              {"type": "fallback_message", "model": "claude-haiku-4-5", "input_tokens": 7, "output_tokens": 7},
              advisor("claude-fable-5", 100, 200)]),
        # advisors ccusage leaves out: no model, an empty one, a string, a float, a negative count,
        # no output; they do not take a number (the valid one after them is advisor 1)
        line("2026-03-13T15:04:00.000Z", 5, usage(600, 400),
             [{"type": "advisor_message", "input_tokens": 1, "output_tokens": 1}, advisor("", 2, 2),
              advisor(O48, "3", 3), advisor(O48, 4.0, 4), advisor(O48, -5, 5),
              {"type": "advisor_message", "model": O48, "input_tokens": 6}, None, 7,
              advisor(O48, 1100, 110)]),
        line("2026-03-13T15:04:01.000Z", 5, usage(600, 400), [advisor(O48, 1100, 111)]),
        # iterations that are not a list
        line("2026-03-13T15:05:00.000Z", 6, usage(500, 300), "advisor"),
        # a fast line: its advisor is not fast; a line with costUSD: its advisor is priced
        line("2026-03-13T15:06:00.000Z", 7, usage(400, 200, extra={"speed": "fast"}), [advisor(O48, 900, 90)]),
        dict(line("2026-03-13T15:07:00.000Z", 8, usage(300, 100), [advisor(O48, 800, 80)]), costUSD=0.5),
    ]
    # a sub-agent's copy (sidechain) with a larger advisor: the main copy's stays
    sub = [line("2026-03-13T15:00:30.000Z", 1, usage(1000, 1000), [msg, advisor(O48, 9000, 2000)], sidechain=True,
                extra={"agentId": "ad1"})]
    # lines without a message.id are never merged: each advisor counts
    bare = assistant(s, "2026-03-13T15:08:00.000Z", "claude-sonnet-4-6",
                     dict(usage(200, 20), iterations=[advisor(O48, 700, 70)]), None, None)
    w.write(PROJ, s, lines + [bare, bare])
    w.write(PROJ, s, sub, sub="agent-ad1")


@scenario
def fast_mode(w):
    s = "fast-mode"
    lines = [
        assistant(s, "2026-03-06T19:00:00.000Z", "claude-opus-4-6", usage(10, 1000, 2000, 20000, 2000, 0, extra={"speed": "fast"}),
                  "msg_fm_1", "req_fm_1"),
        assistant(s, "2026-03-06T19:01:00.000Z", "claude-opus-4-6", usage(10, 1000, 2000, 20000, 2000, 0, extra={"speed": "standard"}),
                  "msg_fm_2", "req_fm_2"),
        assistant(s, "2026-03-06T19:02:00.000Z", SONNET, usage(10, 1000, 2000, 20000, 2000, 0, extra={"speed": "fast"}),
                  "msg_fm_3", "req_fm_3"),
        assistant(s, "2026-03-06T19:03:00.000Z", "claude-opus-4-7", usage(10, 1000, 2000, 20000, 2000, 0, extra={"speed": "fast"}),
                  "msg_fm_4", "req_fm_4"),
        assistant(s, "2026-03-06T19:04:00.000Z", "claude-opus-4-5-20251101", usage(10, 1000, 2000, 20000, 2000, 0,
                  extra={"speed": "fast"}), "msg_fm_5", "req_fm_5"),
        # speed next to model (message.speed) rather than in usage
        assistant(s, "2026-03-06T19:05:00.000Z", "claude-opus-4-6", usage(10, 1000, 2000, 20000, 2000, 0),
                  "msg_fm_6", "req_fm_6"),
    ]
    lines[-1]["message"]["speed"] = "fast"
    w.write(PROJ, s, lines)


@scenario
def cost_usd(w):
    s = "cost-usd"
    a = assistant(s, "2026-03-07T15:00:00.000Z", SONNET, usage(100, 1000, 0, 0), "msg_cu_1", "req_cu_1")
    a["costUSD"] = 1.25
    b = assistant(s, "2026-03-07T15:01:00.000Z", SONNET, usage(100, 1000, 0, 0), "msg_cu_2", "req_cu_2")
    b["costUSD"] = 0
    c = assistant(s, "2026-03-07T15:02:00.000Z", "claude-unknown-model-7", usage(100, 1000, 0, 0), "msg_cu_3", "req_cu_3")
    c["costUSD"] = 0.5
    w.write(PROJ, s, [a, b, c])


@scenario
def malformed(w):
    s = "malformed"
    good = assistant(s, "2026-03-07T17:00:00.000Z", SONNET, usage(6, 60, 0, 600, 0, 0), "msg_ma_1", "req_ma_1")
    cut = json.dumps(assistant(s, "2026-03-07T17:01:00.000Z", SONNET, usage(6, 61, 0, 600, 0, 0), "msg_ma_2", "req_ma_2"),
                     separators=(",", ":"))
    no_out = assistant(s, "2026-03-07T17:02:00.000Z", SONNET, {"input_tokens": 5}, "msg_ma_3", "req_ma_3")
    no_in = assistant(s, "2026-03-07T17:02:30.000Z", SONNET, {"output_tokens": 5}, "msg_ma_3b", "req_ma_3b")
    str_tok = assistant(s, "2026-03-07T17:03:00.000Z", SONNET, {"input_tokens": "5", "output_tokens": 5}, "msg_ma_4", "req_ma_4")
    bad_ts = assistant(s, "not-a-time", SONNET, usage(1, 1, 0, 0), "msg_ma_5", "req_ma_5")
    no_ts = assistant(s, "2026-03-07T17:04:00.000Z", SONNET, usage(1, 2, 0, 0), "msg_ma_6", "req_ma_6")
    del no_ts["timestamp"]
    no_model = assistant(s, "2026-03-07T17:05:00.000Z", SONNET, usage(2, 3, 0, 0), "msg_ma_7", "req_ma_7")
    del no_model["message"]["model"]
    no_ms = assistant(s, "2026-03-07T17:06:00Z", SONNET, usage(3, 4, 0, 0), "msg_ma_8", "req_ma_8")
    offset_ts = assistant(s, "2026-03-07T19:07:00.000+02:00", SONNET, usage(3, 5, 0, 0), "msg_ma_9", "req_ma_9")
    neg = assistant(s, "2026-03-07T17:08:00.000Z", SONNET, usage(1, -5, 0, 0), "msg_ma_10", "req_ma_10")
    flt = assistant(s, "2026-03-07T17:09:00.000Z", SONNET, {"input_tokens": 2.0, "output_tokens": 7}, "msg_ma_11", "req_ma_11")
    tail = json.dumps(assistant(s, "2026-03-07T17:10:00.000Z", SONNET, usage(6, 62, 0, 600, 0, 0), "msg_ma_12", "req_ma_12"),
                      separators=(",", ":"))
    lines = [good, "this is not json", cut[: len(cut) // 2], "", "   ", "[1,2,3]", "null", no_out, no_in, str_tok, bad_ts,
             no_ts, no_model, no_ms, offset_ts, neg, flt, '{"type":"assistant","message":', "\x00garbage\xff"]
    w.write(PROJ, s, lines, tail=tail[: len(tail) - 9])
    # a file whose only content is a cut line
    w.write(PROJ, "malformed-only-tail", [], tail=tail[:40])
    # an empty file
    w.write(PROJ, "empty", [])


@scenario
def dst(w):
    # America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z); 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z)
    # Europe/Berlin:    2026-03-29 02:00 CET -> 03:00 CEST (01:00Z); 2026-10-25 03:00 CEST -> 02:00 CET (01:00Z)
    s = "dst"
    stamps = ["2026-03-08T04:30:00.000Z",  # NY 23:30 Mar 7 (EST)
              "2026-03-08T05:30:00.000Z",  # NY 00:30 Mar 8
              "2026-03-09T03:30:00.000Z",  # NY 23:30 Mar 8 (EDT); a fixed -5 would say 22:30 Mar 8
              "2026-03-09T04:30:00.000Z",  # NY 00:30 Mar 9 (EDT); a fixed -5 would say 23:30 Mar 8
              "2026-03-28T23:30:00.000Z",  # Berlin 00:30 Mar 29 (CET)
              "2026-03-29T22:30:00.000Z",  # Berlin 00:30 Mar 30 (CEST); a fixed +1 says 23:30 Mar 29
              "2026-03-29T23:59:59.999Z",  # UTC end of day
              "2026-03-30T00:00:00.000Z",  # UTC start of day
              "2026-10-24T22:30:00.000Z",  # Berlin 00:30 Oct 25 (CEST)
              "2026-10-25T22:30:00.000Z",  # Berlin 23:30 Oct 25 (CET)
              "2026-11-01T04:30:00.000Z",  # NY 00:30 Nov 1 (EDT)
              "2026-11-02T04:30:00.000Z",  # NY 23:30 Nov 1 (EST)
              "2026-11-02T05:30:00.000Z",  # NY 00:30 Nov 2
              "2026-12-31T23:30:00.000Z",  # year change in UTC; NY 18:30
              "2027-01-01T05:30:00.000Z"]  # NY 00:30 Jan 1
    lines = [assistant(s, ts, SONNET if k % 2 else OPUS, usage(k + 1, 10 * (k + 1), 100 * k, 1000 * k, 100 * k, 0),
                       "msg_ds_%d" % k, "req_ds_%d" % k) for k, ts in enumerate(stamps)]
    w.write("-home-ana-src-dst-project", s, lines)


@scenario
def blocks(w):
    s = "blocks"
    stamps = ["2026-04-01T09:17:00.000Z",  # block 09:00-14:00
              "2026-04-01T13:59:59.999Z",  # inside
              "2026-04-01T14:00:00.000Z",  # exactly block end: starts a new block? (strict >)
              "2026-04-01T18:59:00.000Z",  # 4h59 later
              "2026-04-02T00:00:00.001Z",  # > 5h after previous -> new block after a gap
              "2026-04-02T04:59:00.000Z",
              "2026-04-02T05:00:00.001Z",  # > 5 h after block start 00:00 -> new block
              "2026-04-03T12:00:00.000Z"]  # isolated, single-entry block
    lines = [assistant(s, ts, HAIKU, usage(k + 1, 100, 0, 1000, 0, 0), "msg_bl_%d" % k, "req_bl_%d" % k)
             for k, ts in enumerate(stamps)]
    # out of order in the file: blocks must sort by time
    lines[3], lines[5] = lines[5], lines[3]
    w.write("-home-ana-src-blocks-project", s, lines)


@scenario
def dedup_keys(w):
    s = "dedup-keys"
    u = usage(4, 40, 0, 400, 0, 0)
    id_only = assistant(s, "2026-03-04T17:00:00.000Z", SONNET, u, "msg_dk_1", None)
    rid_only = assistant(s, "2026-03-04T17:01:00.000Z", SONNET, u, None, "req_dk_2")
    neither = assistant(s, "2026-03-04T17:02:00.000Z", SONNET, u, None, None)
    # the same message.id with and without a requestId
    with_rid = assistant(s, "2026-03-04T17:03:00.000Z", SONNET, usage(4, 41, 0, 400, 0, 0), "msg_dk_1", "req_dk_1")
    # the sidechain copy first, then two equal non-sidechain copies an hour apart: which timestamp counts
    sc = assistant(s, "2026-03-04T18:00:00.000Z", SONNET, usage(1, 5, 0, 0), "msg_dk_5", "req_dk_5", sidechain=True)
    m1 = assistant(s, "2026-03-04T19:00:00.000Z", SONNET, usage(1, 5, 0, 0), "msg_dk_5", "req_dk_5")
    m2 = assistant(s, "2026-03-04T20:00:00.000Z", SONNET, usage(1, 5, 0, 0), "msg_dk_5", "req_dk_5")
    w.write(PROJ, s, [id_only, id_only, rid_only, rid_only, neither, neither, with_rid, sc, m1, m2])


@deliberate
def synthetic_block(w):
    # A <synthetic> line alone opens a block in ccusage; not in Claude Gauge.
    s = "synthetic-block"
    a = assistant(s, "2026-03-10T10:00:00.000Z", "<synthetic>", usage(0, 0, 0, 0, 0, 0), "msg_sb_1", "req_sb_1")
    b = assistant(s, "2026-03-10T12:00:00.000Z", SONNET, usage(1, 1, 0, 0), "msg_sb_2", "req_sb_2")
    w.write(PROJ, s, [a, b])


@scenario
def no_model(w):
    # A line without a model after a gap: counted, in no model's breakdown.
    s = "no-model"
    b = assistant(s, "2026-03-10T12:00:00.000Z", SONNET, usage(1, 1, 0, 0), "msg_nm_2", "req_nm_2")
    c = assistant(s, "2026-03-10T20:00:00.000Z", SONNET, usage(2, 2, 0, 0), "msg_nm_3", "req_nm_3")
    del c["message"]["model"]
    w.write(PROJ, s, [b, c])


@scenario
def line_shapes(w):
    s = "line-shapes"
    base = assistant(s, "2026-03-11T15:00:00.000Z", SONNET, usage(3, 30, 0, 0), "msg_ls_1", "req_ls_1")
    compact = json.dumps(base, separators=(",", ":"))
    # JSON with a space after "usage": (Claude Code never writes this)
    spaced = compact.replace('"usage":{', '"usage": {').replace("msg_ls_1", "msg_ls_2").replace("req_ls_1", "req_ls_2")
    # a line of type "user" that carries message.usage, a line without "type", CRLF, leading spaces
    typ_user = compact.replace('"type":"assistant"', '"type":"user"').replace("msg_ls_1", "msg_ls_3").replace("req_ls_1", "req_ls_3")
    no_type = compact.replace('"type":"assistant",', "").replace("msg_ls_1", "msg_ls_4").replace("req_ls_1", "req_ls_4")
    crlf = compact.replace("msg_ls_1", "msg_ls_5").replace("req_ls_1", "req_ls_5") + "\r"
    lead = "  " + compact.replace("msg_ls_1", "msg_ls_6").replace("req_ls_1", "req_ls_6")
    w.write(PROJ, s, [compact, spaced, typ_user, no_type, crlf, lead])


@deliberate
def agent_progress(w):
    # An agent_progress line whose message is nowhere else: ccusage's daily report counts it, its
    # session and blocks reports do not; Claude Gauge counts it in none, consistently.
    s = "agent-progress"
    sub_msg = {"model": HAIKU, "id": "msg_ls_7", "type": "message", "role": "assistant", "content": [],
               "usage": usage(7, 70, 0, 0)}
    prog = {"type": "progress", "sessionId": s, "timestamp": "2026-03-11T15:05:00.000Z",
            "data": {"message": {"type": "assistant", "message": sub_msg, "requestId": "req_ls_7",
                                 "timestamp": "2026-03-11T15:05:00.000Z"}, "type": "agent_progress"}}
    w.write(PROJ, s, [prog])


def main():
    args = [a for a in sys.argv[1:] if a not in ("--with-deliberate", "--daily-only")]
    if len(args) != 1:
        sys.stderr.write("usage: gen-fixtures.py [--with-deliberate | --daily-only] OUT\n")
        return 2
    out = args[0]
    w = Writer(out)
    if "--daily-only" in sys.argv:
        scenarios = DAILY_ONLY
    else:
        scenarios = SCENARIOS + (DELIBERATE if "--with-deliberate" in sys.argv else [])
    for fn in scenarios:
        fn(w)
    # deterministic mtimes: some readers sort files by mtime
    for root, _dirs, files in os.walk(os.path.join(out, "projects")):
        for f in files:
            os.utime(os.path.join(root, f), (1775000000, 1775000000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
