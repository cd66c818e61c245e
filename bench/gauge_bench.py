# SPDX-License-Identifier: GPL-3.0-or-later
"""What the app benchmarks share: a loopback stand-in for the usage API, a throwaway home
with Claude Code credentials and settings, a virtual display and session bus, /proc readings,
generated histories (cached by size and seed)."""

import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = os.path.join(REPO, "bench", "gen_claude_history.py")
DEFAULT_CACHE = os.path.join(os.path.expanduser("~"), ".cache", "claude-gauge-bench")


def generator_suffix():
    """'' for the generator's version 1, '-gN' for version N."""
    with open(GENERATOR, encoding="utf-8") as f:
        for line in f:
            if line.startswith("GEN_VERSION = "):
                version = line.split('"')[1]
                return "" if version == "1" else "-g" + version
    return ""


def generated_history(cache, size_mb, seed, tz_offset=-5, log=print):
    """A history made by bench/gen_claude_history.py (a folder to use as CLAUDE_CONFIG_DIR),
    generated once per size, seed and generator version under @cache/histories (version 1,
    the generator before the models of late 2026 and advisor iterations, without a suffix)."""
    out = os.path.join(cache, "histories", "size%g-seed%d%s" % (size_mb, seed, generator_suffix()))
    if os.path.isfile(os.path.join(out, ".complete")):
        log("history: reusing %s" % out)
        return out
    if not os.path.isfile(GENERATOR):
        sys.exit("no history generator at %s: pass a history directory with --history DIR "
                 "(a directory holding projects/, as CLAUDE_CONFIG_DIR)" % GENERATOR)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    log("history: generating %g MB (seed %d) into %s" % (size_mb, seed, out))
    subprocess.run([sys.executable, GENERATOR, "--out", out, "--size-mb", str(size_mb), "--seed", str(seed),
                    "--utc-offset", str(tz_offset)], check=True)
    open(os.path.join(out, ".complete"), "w").close()
    return out


def usage_payload(extra_windows=True):
    now = time.time()

    def iso(t):
        return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t))

    payload = {
        "five_hour": {"utilization": 48.0, "resets_at": iso(now + 2 * 3600 + 660)},
        "seven_day": {"utilization": 63.0, "resets_at": iso(now + 3 * 86400)},
    }
    if extra_windows:
        payload.update({
            "seven_day_opus": None,
            "seven_day_sonnet": {"utilization": 12.0, "resets_at": iso(now + 3 * 86400)},
            "extra_usage": {"is_enabled": True, "monthly_limit": 5000, "used_credits": 1250.0,
                            "utilization": 25.0, "currency": "USD"},
        })
    return json.dumps(payload).encode()


class FakeApi:
    """Serves one usage body on loopback and counts the requests."""

    def __init__(self, body):
        api = self
        self.requests = 0
        self.body = body

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                api.requests += 1
                reply = api.body if self.path == "/api/oauth/usage" else b"{}"
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_port}"

    def close(self):
        self.server.shutdown()


def nest_under_display():
    """Re-runs this script under xvfb-run and dbus-run-session unless it already is."""
    if os.environ.get("CLAUDE_GAUGE_BENCH_NESTED"):
        return
    env = dict(os.environ, CLAUDE_GAUGE_BENCH_NESTED="1")
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    sys.exit(subprocess.call(["xvfb-run", "-a", "-s", "-screen 0 1280x1024x24",
                              "dbus-run-session", "--", sys.executable] + sys.argv, env=env))


def make_home(work, build, api_url, settings, debug_domains):
    """A home with Claude Code's credentials and the app's settings (keyfile backend);
    returns the environment to run the app in."""
    home = os.path.join(work, "home")
    os.makedirs(os.path.join(home, ".claude"))
    with open(os.path.join(home, ".claude", ".credentials.json"), "w") as f:
        json.dump({"claudeAiOauth": {"accessToken": "sk-ant-oat01-bench",
                                     "expiresAt": int(time.time() * 1000) + 86400000,
                                     "scopes": ["user:inference", "user:profile"],
                                     "subscriptionType": "max",
                                     "rateLimitTier": "default_claude_max_5x"}}, f)
    settings_dir = os.path.join(home, ".config", "glib-2.0", "settings")
    os.makedirs(settings_dir)
    with open(os.path.join(settings_dir, "keyfile"), "w") as f:
        f.write("[io/github/claudegauge/ClaudeGauge]\n")
        f.writelines(f"{key}={value}\n" for key, value in settings.items())

    env = dict(os.environ,
               HOME=home,
               XDG_CONFIG_HOME=os.path.join(home, ".config"),
               XDG_DATA_HOME=os.path.join(home, ".local", "share"),
               XDG_CACHE_HOME=os.path.join(home, ".cache"),
               GSETTINGS_BACKEND="keyfile",
               GSETTINGS_SCHEMA_DIR=os.path.join(build, "data"),
               GIO_USE_PROXY_RESOLVER="dummy",
               CLAUDE_GAUGE_API_BASE=api_url,
               G_MESSAGES_DEBUG=" ".join(debug_domains),
               NO_AT_BRIDGE="1")
    for var in ("GSK_RENDERER", "GDK_DEBUG", "CLAUDE_CONFIG_DIR", "ANTHROPIC_ADMIN_KEY"):
        env.pop(var, None)
    return env


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def rss_split_kib(pid):
    """(anonymous, file-backed) resident KiB: file pages are mostly shared libraries."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("RssAnon", "RssFile"):
                fields[key] = int(value.split()[0])
    return fields.get("RssAnon", 0), fields.get("RssFile", 0)
