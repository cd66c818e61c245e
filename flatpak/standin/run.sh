#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs the Flatpak that build.sh installed, as a user would, in a test home that holds a Claude
# Code sign-in and a transcript, with a loopback stand-in for Anthropic's usage endpoint:
#
#   flatpak/standin/run.sh [WORKDIR]      (the same WORKDIR as build.sh)
#
# 1. the app under Xvfb and a private session bus: it reads the sign-in (the server sees the
#    token), indexes the transcript and stores both in ~/.var/app/<id>/data/claude-gauge/;
#    a screenshot of the screen lands in WORKDIR/standin-window.png;
# 2. `flatpak run <id> --statusline` as Claude Code's statusline command: what it stores, the
#    sandboxed `--status` then shows;
# 3. `--report=daily --json` from the sandbox counts the transcript's tokens;
# 4. the sandbox cannot write to ~/.claude, and nothing is written outside ~/.var/app/<id>.
# Prints one line per check and "N passed, N failed"; exits 1 if any failed.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
work=$(realpath "${1:-/var/tmp/claude-gauge-flatpak}")
app=io.github.claudegauge.ClaudeGauge
export FLATPAK_USER_DIR=$work/flatpak-user

if [ -z "${CLAUDE_GAUGE_STANDIN_SESSION:-}" ]; then
  exec env CLAUDE_GAUGE_STANDIN_SESSION=1 xvfb-run -a -s '-screen 0 1280x1024x24' \
    dbus-run-session -- "$0" "$work"
fi

for tool in sqlite3 xdotool import; do
  if ! command -v "$tool" > /dev/null; then
    echo "run.sh needs $tool (packages sqlite3, xdotool, imagemagick)" >&2
    exit 2
  fi
done
flatpak --user info "$app" > /dev/null

home=$work/home
rm -rf "$home" "$work/run"
mkdir -p "$home/.claude/projects/-home-ana-shop" "$work/run"
chmod 0700 "$work/run"
export HOME=$home XDG_RUNTIME_DIR=$work/run
unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_STATE_HOME

token=sk-ant-oat01-FAKEtokenFORtheFLATPAKstandinONLY-aaaaaaaaaaaaaaaaaaaaaaaaaaaa
cat > "$home/.claude/.credentials.json" <<EOF
{"claudeAiOauth": {"accessToken": "$token", "expiresAt": 4102444800000,
 "scopes": ["user:inference", "user:profile"], "subscriptionType": "max",
 "rateLimitTier": "default_claude_max_5x"}}
EOF
echo '{"numStartups": 3}' > "$home/.claude.json"
# Two responses of today, 1,500 + 3,000 tokens.
now=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
cat > "$home/.claude/projects/-home-ana-shop/session-1.jsonl" <<EOF
{"type":"assistant","sessionId":"session-1","timestamp":"$now","requestId":"req_1","message":{"role":"assistant","id":"msg_1","model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":1000,"output_tokens":500,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}}
{"type":"assistant","sessionId":"session-1","timestamp":"$now","requestId":"req_2","message":{"role":"assistant","id":"msg_2","model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":2000,"output_tokens":1000,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}}
EOF
claude_files () { (cd "$home" && find .claude .claude.json -type f -exec sha256sum {} + | sort); }
before_claude=$(claude_files)

# The usage endpoint on loopback (--share=network: the sandbox shares the host's loopback).
requests=$work/requests.log
: > "$requests"
/usr/bin/python3 - "$src/tests/data/usage-both.json" "$requests" > "$work/port" <<'EOF' &
import http.server, sys
body = open(sys.argv[1], "rb").read()
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(sys.argv[2], "a") as log:
            log.write(f"{self.path} {self.headers.get('Authorization', '-')}\n")
        ok = self.path == "/api/oauth/usage"
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body) if ok else 0))
        self.end_headers()
        if ok:
            self.wfile.write(body)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
EOF
server_pid=$!
app_pid=
cleanup () {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null
  flatpak kill "$app" 2>/dev/null
  kill "$server_pid" 2>/dev/null
  true
}
trap cleanup EXIT
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
base=http://127.0.0.1:$(cat "$work/port")

passed=0
failed=0
check () {
  local what=$1; shift
  if "$@"; then
    echo "ok: $what"
    passed=$((passed + 1))
  else
    echo "FAILED: $what"
    failed=$((failed + 1))
  fi
}

db=$home/.var/app/$app/data/claude-gauge/history.db
sql () { sqlite3 -readonly "file:$db?mode=ro" "$1" 2>/dev/null; }
run () { flatpak run --env=CLAUDE_GAUGE_API_BASE="$base" "$app" "$@"; }

# 1. The app itself, in its window.
flatpak run --env=CLAUDE_GAUGE_API_BASE="$base" --env=G_MESSAGES_DEBUG=all "$app" \
  > "$work/app.log" 2>&1 &
app_pid=$!
app_ready () {
  [ -f "$db" ] &&
    [ "$(sql "SELECT count(*) FROM readings WHERE utilization = 37")" -ge 1 ] &&
    [ "$(sql "SELECT count(*) FROM entries")" = 2 ]
}
for _ in $(seq 120); do app_ready && break; sleep 0.5; done
sleep 2
import -window root "$work/standin-window.png" 2>/dev/null || true
check "the app sent the sign-in's token to the usage endpoint" \
  grep -q "^/api/oauth/usage Bearer $token\$" "$requests"
check "the app stored the reading in ~/.var/app/$app/data/claude-gauge/history.db" \
  test "$(sql "SELECT count(*) FROM readings WHERE utilization = 37")" -ge 1
check "the app indexed the transcript's two responses" \
  test "$(sql "SELECT count(*) FROM entries")" = 2
check "the app's window is on the screen" eval 'xdotool search --name "^Claude Gauge\$" > /dev/null'
kill "$app_pid" 2>/dev/null || true
wait "$app_pid" 2>/dev/null || true
app_pid=

# 2. The statusline hook as Claude Code runs it from the host.
reset=$(( $(date +%s) + 5400 ))
input='{"session_id":"s","rate_limits":{"five_hour":{"used_percentage":41.0,"resets_at":%s},'
input+='"seven_day":{"used_percentage":63,"resets_at":"2030-01-01T09:00:00Z"}}}'
line=$(printf "$input" "$reset" | flatpak run "$app" --statusline 2>"$work/statusline.err")
echo "statusline: $line"
check "--statusline prints the line" eval '[[ "$line" == "5h 41 %"* || "$line" == "5h 41%"* ]]'
check "--statusline stored its reading where the app keeps its history" \
  test "$(sql "SELECT count(*) FROM fetches f JOIN readings r ON r.fetch_id = f.id
               WHERE f.source = 'statusline' AND r.utilization = 41")" -ge 1
requests_before=$(wc -l < "$requests")
status=$(run --status --json 2>"$work/status.err") || true
echo "$status" > "$work/status.json"
check "the sandboxed --status shows the statusline's reading without asking the API" \
  /usr/bin/python3 -c 'import json, sys
limits = json.load(open(sys.argv[1]))["limits"]
five = next(l for l in limits if l["id"] == "five_hour")
sys.exit(not (five["source"] == "statusline" and abs(five["percent"] - 41) < 0.001
              and int(sys.argv[2]) == int(sys.argv[3])))' \
  "$work/status.json" "$requests_before" "$(wc -l < "$requests")"

# 3. Reports from the transcripts, inside the sandbox.
run --report=daily --json > "$work/daily.json" 2>"$work/daily.err" || true
check "--report=daily counts the transcript's 4,500 tokens" \
  /usr/bin/python3 -c 'import json, sys
sys.exit(json.load(open(sys.argv[1]))["totals"]["totalTokens"] != 4500)' "$work/daily.json"

# 4. The sandbox's limits.
check "the sandbox cannot write to ~/.claude" \
  eval '! flatpak run --command=sh "$app" -c "touch ~/.claude/written" 2>/dev/null'
check "~/.claude and ~/.claude.json are unchanged" \
  test "$(claude_files)" = "$before_claude"
check "nothing was written outside ~/.var/app/$app" \
  test -z "$(cd "$home" && find . -path ./.var -prune -o -path ./.claude -prune -o \
               -type f ! -name .claude.json -print)"

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
