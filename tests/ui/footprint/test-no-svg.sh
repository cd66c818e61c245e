#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The app as a user runs it (the real executable, its own Xvfb and session bus): the window
# signed out, signed in and with the Console page, the preferences, and the window closed
# again never load an SVG icon. The first SVG maps librsvg, libxml2 and ICU (about 8 MB
# resident) for as long as the app then runs in the background, so the app's icons are PNGs
# (data/icons/encode-symbolic.sh). Exit 77 (skip) when a tool is missing.

set -u

BIN=${CLAUDE_GAUGE_BIN:-}

. "$(dirname "$0")/../../gauge-test-app.sh"

skip_without xvfb-run dbus-run-session gdbus python3
require_bin

run_isolated no-svg 1024x768x24 100

trap end_pids EXIT INT TERM

fail () {
  echo "FAIL: $*" >&2
  [ -f "$WORK/app.log" ] && tail -n 30 "$WORK/app.log" >&2
  exit 1
}

start_usage_api || fail "the loopback API did not start"

# Kept alive with no window, as for a user with "Run in background" on. An Admin API key adds
# the Console page (its requests get empty answers).
mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings"
printf '[io/github/claudegauge/ClaudeGauge]\nrun-in-background=true\n' \
  > "$XDG_CONFIG_HOME/glib-2.0/settings/keyfile"
env GSETTINGS_BACKEND=keyfile CLAUDE_GAUGE_API_BASE="$API" CLAUDE_GAUGE_ADMIN_API_BASE="$API" \
    ANTHROPIC_ADMIN_KEY=sk-ant-admin01-no-svg-test-key \
    G_MESSAGES_DEBUG=gauge-application "$BIN" >"$WORK/app.log" 2>&1 &
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
  # Not cp: it keeps the 0444 mode of /proc/PID/maps, and the next check could not copy
  # over it (except as root).
  cat "/proc/$APP/maps" > "$WORK/maps" 2>/dev/null || fail "cannot read the app's maps $1"
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
grep -q '/api/oauth/usage' "$WORK/requests" 2>/dev/null &&
  fail "the app read usage while signed out"
wait_for 10 grep -q '/v1/organizations/' "$WORK/requests" || fail "the Console page never asked"
check "with the sign-in page and the Console page"

# Signing in: the window picks the credentials up and shows the limits.
write_credentials "$HOME/.claude/.credentials.json"
wait_for 15 grep -q '/api/oauth/usage' "$WORK/requests" || fail "the app never read usage"
sleep 2
check "with the limits shown"

activate preferences
sleep 2
check "with the preferences open"

activate toggle-window
sleep 2
check "after the window closed"
