#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The app as a user runs it (the real executable, its own Xvfb and session bus): the window
# signed out, signed in and with the Console page, the preferences, and the window closed
# again never load an SVG icon. The first SVG maps
# librsvg, libxml2 and ICU (about 8 MB resident) for as long as the app then runs in the
# background, so the app's icons are PNGs (data/icons/encode-symbolic.sh).
# Exit 77 (skip) when a tool is missing.

set -u

BIN=${CLAUDE_GAUGE_BIN:-}

for tool in xvfb-run dbus-run-session gdbus python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is not installed"
    exit 77
  fi
done
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
  echo "CLAUDE_GAUGE_BIN is not set to the built claude-gauge" >&2
  exit 1
fi

if [ "${NO_SVG_INNER:-}" != 1 ]; then
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/gauge-no-svg.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" \
         XDG_DATA_HOME="$WORK/home/.local/share" XDG_CACHE_HOME="$WORK/home/.cache" \
         NO_SVG_INNER=1 WORK
  mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$HOME/.claude"
  unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
  timeout 100 xvfb-run -a -s '-screen 0 1024x768x24' dbus-run-session -- "$0"
  exit $?
fi

PIDS=""
cleanup () {
  for pid in $PIDS; do kill "$pid" 2>/dev/null; done
}
trap cleanup EXIT INT TERM

fail () {
  echo "FAIL: $*" >&2
  [ -f "$WORK/app.log" ] && tail -n 30 "$WORK/app.log" >&2
  exit 1
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

# The usage API on loopback: the window shows limits, as for a signed-in user. It notes the
# path of every request, so the test knows what the app has reached.
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
wait_for 10 test -s "$WORK/port" || fail "the loopback API did not start"

# Kept alive with no window, as for a user with "Run in background" on.
printf '[io/github/claudegauge/ClaudeGauge]\nrun-in-background=true\n' \
  > "$XDG_CONFIG_HOME/glib-2.0/settings/keyfile"
# An Admin API key adds the Console page (its requests get empty answers).
API="http://127.0.0.1:$(cat "$WORK/port")"
env GSETTINGS_BACKEND=keyfile CLAUDE_GAUGE_API_BASE="$API" CLAUDE_GAUGE_ADMIN_API_BASE="$API" \
    ANTHROPIC_ADMIN_KEY=sk-ant-admin01-no-svg-test-key \
    G_MESSAGES_DEBUG="gauge-application gauge-monitor" "$BIN" >"$WORK/app.log" 2>&1 &
APP=$!
PIDS="$APP $PIDS"

activate () {
  gdbus call --session --dest io.github.claudegauge.ClaudeGauge \
    --object-path /io/github/claudegauge/ClaudeGauge --method org.gtk.Actions.Activate \
    "$1" '[]' '{}' >/dev/null
}

# check WHEN: the process still runs, its maps are readable (libgtk is there), and no SVG
# renderer is among them.
check () {
  kill -0 "$APP" 2>/dev/null || fail "the app is not running $1"
  cp "/proc/$APP/maps" "$WORK/maps" 2>/dev/null || fail "cannot read the app's maps $1"
  grep -q 'libgtk-4' "$WORK/maps" || fail "no libgtk-4 in the app's maps $1: not the app?"
  if grep -E 'librsvg|libpixbufloader-svg' "$WORK/maps" >&2; then
    fail "an SVG icon loaded librsvg $1 (above)"
  fi
  echo "ok: no librsvg $1"
}

# Signed out: the window asks to sign in with Claude Code.
wait_for 30 grep -q 'First frame' "$WORK/app.log" || fail "the window never drew"
# Icons load on GTK's worker threads after the first frame: give them time.
sleep 2
grep -q '/api/oauth/usage' "$WORK/requests" 2>/dev/null && fail "the app read usage while signed out"
wait_for 10 grep -q '/v1/organizations/' "$WORK/requests" || fail "the Console page never asked"
check "with the sign-in page and the Console page"

# Signing in: the window picks the credentials up and shows the limits.
EXPIRES=$(( ($(date +%s) + 86400) * 1000 ))
cat > "$WORK/credentials.json" <<JSON
{"claudeAiOauth": {"accessToken": "sk-ant-oat01-no-svg", "expiresAt": $EXPIRES,
 "scopes": ["user:inference", "user:profile"], "subscriptionType": "max",
 "rateLimitTier": "default_claude_max_5x"}}
JSON
chmod 600 "$WORK/credentials.json"
mv "$WORK/credentials.json" "$HOME/.claude/.credentials.json"
wait_for 15 grep -q '/api/oauth/usage' "$WORK/requests" || fail "the app never read usage"
sleep 2
check "with the limits shown"

activate preferences
sleep 2
check "with the preferences open"

activate toggle-window
sleep 2
check "after the window closed"
