#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The running app with the settings backend users have: dconf, on a session bus of its own
# with its dconf-service. Account folders added and removed with gsettings (another process,
# as Preferences or a user's script writes them) make another account the first; the D-Bus
# API's top-level Plan and its Accounts follow, and the app prints no GLib warning or
# critical. Exit 77 (skip) when dconf-service or the tools are missing.

set -u

BIN=${CLAUDE_GAUGE_BIN:-}
. "$(dirname "$0")/../gauge-test-app.sh"

skip_without xvfb-run dbus-run-session gdbus gsettings python3
if [ ! -x /usr/libexec/dconf-service ] && ! command -v dconf-service >/dev/null 2>&1; then
  echo "1..0 # SKIP dconf-service is not installed"
  exit 77
fi
require_bin
run_isolated accounts-dconf 1024x768x24 120

trap end_pids EXIT INT TERM
export GSETTINGS_BACKEND=dconf

fail () {
  echo "FAIL: $*" >&2
  [ -f "$WORK/app.log" ] && grep -v DEBUG "$WORK/app.log" | tail -n 40 >&2
  exit 1
}

# Two signed-in folders; ~/.claude holds no sign-in, so the first added one is the first.
start_usage_api || fail "the loopback API did not start"
mkdir -p "$HOME/.claude-work" "$HOME/.claude-play"
write_credentials "$HOME/.claude-work/.credentials.json"
sed -i 's/default_claude_max_5x/default_claude_max_20x/' "$HOME/.claude-work/.credentials.json"
write_credentials "$HOME/.claude-play/.credentials.json"

SCHEMA=io.github.claudegauge.ClaudeGauge
gsettings set $SCHEMA account-folders "['~/.claude-work']" || fail "gsettings could not write"
gsettings set $SCHEMA run-in-background true

env CLAUDE_GAUGE_API_BASE="$API" G_MESSAGES_DEBUG=gauge-application \
    "$BIN" --background >"$WORK/app.log" 2>&1 &
APP=$!
PIDS="$APP $PIDS"

usage_property () {
  gdbus call --session --dest $SCHEMA --object-path /io/github/claudegauge/ClaudeGauge \
    --method org.freedesktop.DBus.Properties.Get $SCHEMA.Usage "$1" 2>/dev/null
}
plan_is () { usage_property Plan | grep -q "'$1'"; }
n_accounts_is () {
  [ "$(usage_property Accounts | grep -o "'folder'" | wc -l)" -eq "$1" ]
}

wait_for 20 plan_is "Max 20x" || fail "the work account's plan never showed: $(usage_property Plan)"
n_accounts_is 1 || fail "one account expected: $(usage_property Accounts)"
echo "ok 1 the first account is the work folder's"

gsettings set $SCHEMA account-folders "['~/.claude-play']"
wait_for 20 plan_is "Max 5x" || fail "the top-level plan did not follow: $(usage_property Plan)"
n_accounts_is 1 || fail "one account expected: $(usage_property Accounts)"
echo "ok 2 with the work folder removed and the play one added, the play one is the first"

gsettings set $SCHEMA account-folders "['~/.claude-work', '~/.claude-play']"
wait_for 20 n_accounts_is 2 || fail "two accounts expected: $(usage_property Accounts)"
wait_for 20 plan_is "Max 20x" || fail "the work account is not the first again"
echo "ok 3 both: the work folder's account is the first again"

gsettings reset $SCHEMA account-folders
wait_for 20 n_accounts_is 1 || fail "one account expected after the reset"
kill -0 "$APP" 2>/dev/null || fail "the app quit"

if grep -E "CRITICAL|WARNING" "$WORK/app.log" >&2; then
  fail "the app printed a warning or a critical"
fi
echo "ok 4 no GLib warning or critical"
echo "1..4"
