# SPDX-License-Identifier: GPL-3.0-or-later
#
# What the shell tests that run the real claude-gauge share (sourced, POSIX sh): skipping
# when a tool is missing, waiting, a stand-in for the usage API on loopback, credentials.
# After run_isolated, WORK is the scratch folder; PIDS lists the processes end_pids ends.

# skip_without TOOL...: exit 77 (skip) when a tool is not installed.
skip_without () {
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "1..0 # SKIP $tool is not installed"
      exit 77
    fi
  done
}

# The built claude-gauge, from CLAUDE_GAUGE_BIN (tests/meson.build sets it).
require_bin () {
  if [ -z "${BIN:-}" ] || [ ! -x "$BIN" ]; then
    echo "CLAUDE_GAUGE_BIN is not set to the built claude-gauge" >&2
    exit 1
  fi
}

# run_isolated NAME SCREEN SECONDS: unless already inside, runs this script again in a fresh
# home under $WORK, with its own Xvfb (SCREEN, e.g. 1024x768x24) and session bus, for at most
# SECONDS, and exits with its status. HOME and XDG_* are set before the bus starts: services it
# activates (xfconfd, the keyring) inherit the bus daemon's environment (testing.md).
run_isolated () {
  [ "${GAUGE_TEST_INNER:-}" = 1 ] && return 0
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/gauge-$1.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" \
         XDG_DATA_HOME="$WORK/home/.local/share" XDG_CACHE_HOME="$WORK/home/.cache" \
         XDG_RUNTIME_DIR="$WORK/run" GAUGE_TEST_INNER=1 WORK
  mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$HOME/.claude" \
           "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
  timeout "$3" xvfb-run -a -s "-screen 0 $2" dbus-run-session -- "$0"
  exit $?
}

PIDS=""

# Ends the processes in PIDS: asked first, then made to.
end_pids () {
  for pid in $PIDS; do kill "$pid" 2>/dev/null; done
  sleep 0.3
  for pid in $PIDS; do kill -9 "$pid" 2>/dev/null; done
}

# wait_for SECONDS COMMAND...: polls every 0.2 s
wait_for () {
  deadline=$(( $(date +%s) + $1 ))
  shift
  while ! "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.2
  done
}

# The usage API on loopback (5-hour 48 %, weekly 63 %; "{}" on any other path). Sets API to
# its base URL; every request's path is appended to $WORK/requests.
start_usage_api () {
  cat > "$WORK/api.py" <<'PY'
import http.server, json, sys, time
def iso(t): return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t))
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(sys.argv[2], "a") as f:
            f.write(self.path + "\n")
        now = time.time()
        body = json.dumps({"five_hour": {"utilization": 48.0, "resets_at": iso(now + 7860)},
                           "seven_day": {"utilization": 63.0, "resets_at": iso(now + 3 * 86400)}}
                          if self.path == "/api/oauth/usage" else {}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_port))
s.serve_forever()
PY
  python3 "$WORK/api.py" "$WORK/port" "$WORK/requests" &
  PIDS="$PIDS $!"
  wait_for 10 test -s "$WORK/port" || return 1
  API="http://127.0.0.1:$(cat "$WORK/port")"
}

# write_credentials PATH: Claude Code's sign-in, valid for a day (written whole, then moved).
write_credentials () {
  expires=$(( ($(date +%s) + 86400) * 1000 ))
  cat > "$1.tmp" <<JSON
{"claudeAiOauth": {"accessToken": "sk-ant-oat01-test", "expiresAt": $expires,
 "scopes": ["user:inference", "user:profile"], "subscriptionType": "max",
 "rateLimitTier": "default_claude_max_5x"}}
JSON
  chmod 600 "$1.tmp"
  mv "$1.tmp" "$1"
}
