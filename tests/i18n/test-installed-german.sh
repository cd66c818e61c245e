#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The installed build speaks German. gettext reads the .mo files under the prefix the binary
# was built for (a DESTDIR copy is never looked at), so this configures a build of the source
# tree with its prefix in a scratch folder, installs it there, and makes a German locale with
# localedef in the scratch folder too (LOCPATH; no root, no system locale needed). Then, with
# LANGUAGE=de and that locale, against the loopback usage API:
#  - --status prints German lines, with German digit grouping and times,
#  - --help is German,
#  - the app's Preferences window, opened over D-Bus under Xvfb, is titled "Einstellungen";
# and with LANG=C the installed --status is English, as the build tree's is, and the installed
# --report reads a new transcript line with the installed parser module.
# A few minutes, most of them the build of the source tree this script is in.

set -u

SRC=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${CLAUDE_GAUGE_BIN:-}
OUT_DIR=${G_TEST_BUILDDIR:-$PWD}

. "$SRC/tests/gauge-test-app.sh"

skip_without meson ninja localedef xvfb-run dbus-run-session gdbus xdotool python3
require_bin
if [ ! -f /usr/share/i18n/locales/de_DE ]; then
  echo "/usr/share/i18n/locales/de_DE is missing: install the Debian package locales" >&2
  exit 1
fi

run_isolated installed-german 1024x768x24 2300

trap end_pids EXIT INT TERM

fail () {
  echo "FAIL: $*" >&2
  for log in setup.log build.log app.log; do
    [ -f "$WORK/$log" ] && { echo "--- $log" >&2; tail -n 30 "$WORK/$log" >&2; }
  done
  exit 1
}

PREFIX="$WORK/prefix"

# The build, as a packager would make it, into the scratch prefix. No sanitizer: this checks
# what is installed, not memory.
env -u ASAN_OPTIONS -u LSAN_OPTIONS -u UBSAN_OPTIONS \
  meson setup "$WORK/build" "$SRC" --prefix="$PREFIX" -Dtests=false -Dbuildtype=plain \
  -Db_sanitize=none >"$WORK/setup.log" 2>&1 || fail "meson setup failed"
ninja -C "$WORK/build" -j2 >"$WORK/build.log" 2>&1 || fail "the build failed"
meson install -C "$WORK/build" --no-rebuild >>"$WORK/build.log" 2>&1 || fail "meson install failed"
INSTALLED="$PREFIX/bin/claude-gauge"
[ -x "$INSTALLED" ] || fail "meson install left no $INSTALLED"
[ -f "$PREFIX/share/locale/de/LC_MESSAGES/claude-gauge.mo" ] || fail "no German catalogue installed"

# A German locale of our own.
mkdir -p "$WORK/locale"
localedef -i de_DE -f UTF-8 "$WORK/locale/de_DE.UTF-8" >/dev/null 2>&1
[ -f "$WORK/locale/de_DE.UTF-8/LC_NUMERIC" ] || fail "localedef made no de_DE.UTF-8"

start_usage_api || fail "the loopback API did not start"
write_credentials "$HOME/.claude/.credentials.json"

# The installed settings schema, as a desktop finds it; each run with a fresh history.
export XDG_DATA_DIRS="$PREFIX/share:/usr/local/share:/usr/share" GSETTINGS_BACKEND=memory
unset GSETTINGS_SCHEMA_DIR
export CLAUDE_GAUGE_API_BASE="$API"

german () {
  env LANGUAGE=de LANG=de_DE.UTF-8 LC_ALL= LOCPATH="$WORK/locale" "$@"
}
english () {
  env -u LANGUAGE LANG=C LC_ALL=C "$@"
}

# --status in German: the limits' names and countdowns on stdout, the reading's age on stderr.
rm -rf "$XDG_DATA_HOME/claude-gauge"
german "$INSTALLED" --status >"$WORK/status-de.txt" 2>"$WORK/status-de.err"
echo "--- German --status"; cat "$WORK/status-de.txt" "$WORK/status-de.err"
grep -q '^5 Stunden  *48 %  *Noch 2 Std\. 1[01] Min\. bis zum Zurücksetzen ([0-9][0-9]:[0-9][0-9])$' \
  "$WORK/status-de.txt" || fail "no German 5-hour line in --status"
grep -q '^Woche  *63 %  *Noch 3 Tage bis zum Zurücksetzen (' "$WORK/status-de.txt" \
  || fail "no German weekly line in --status"
grep -q '^Max 5x · aktualisiert [0-9][0-9]:[0-9][0-9] (gerade eben) · offiziell$' "$WORK/status-de.err" \
  || fail "no German age of the reading from --status"
grep -q -e '5-hour' -e 'Resets in' -e 'updated' -e 'just now' -e 'official' \
  "$WORK/status-de.txt" "$WORK/status-de.err" && fail "English left in the German --status"
grep -q -e CRITICAL -e WARNING "$WORK/status-de.err" && fail "--status logged a warning"

# --help in German, options and placeholders.
german "$INSTALLED" --help >"$WORK/help-de.txt" 2>&1
grep -q 'Den Stand jedes Limits ausgeben' "$WORK/help-de.txt" || fail "--help is not German"
grep -q -- '--since=JJJJ-MM-TT' "$WORK/help-de.txt" || fail "--help's placeholder is not German"
grep -q -- '--export=readings|entries|daily' "$WORK/help-de.txt" \
  || fail "--help translated a list of values the option takes"

# English in the C locale: the installed binary says what the build tree's says.
rm -rf "$XDG_DATA_HOME/claude-gauge"
english "$INSTALLED" --status >"$WORK/status-c.txt" 2>&1
rm -rf "$XDG_DATA_HOME/claude-gauge"
english env GSETTINGS_SCHEMA_DIR="$(dirname "$BIN")/../data" "$BIN" --status \
  >"$WORK/status-build.txt" 2>&1
grep -q '^5-hour' "$WORK/status-c.txt" || fail "the C locale's --status is not English"
# The countdown can tick a minute between the two runs: compare without it.
sed 's/Resets in [^)]*)//' "$WORK/status-c.txt" >"$WORK/a"
sed 's/Resets in [^)]*)//' "$WORK/status-build.txt" >"$WORK/b"
cmp -s "$WORK/a" "$WORK/b" || { diff "$WORK/a" "$WORK/b" >&2; fail "installed and built --status differ"; }

# The installed build reads transcripts with the installed parser module (never the build
# tree's), loaded for the new line.
mkdir -p "$HOME/.claude/projects/-home-ana-shop"
printf '{"type":"assistant","timestamp":"%s","sessionId":"s1","requestId":"r1","message":{"id":"m1","model":"claude-sonnet-4-5","usage":{"input_tokens":100,"output_tokens":234}}}\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)" >"$HOME/.claude/projects/-home-ana-shop/s1.jsonl"
rm -rf "$XDG_DATA_HOME/claude-gauge"
english env LD_DEBUG=libs "$INSTALLED" --report=daily --json >"$WORK/report.json" 2>"$WORK/report.err" \
  || { cat "$WORK/report.err" >&2; fail "the installed --report failed"; }
grep -q "$PREFIX/.*/claude-gauge/libclaude-gauge-parser.so" "$WORK/report.err" \
  || fail "the installed --report did not load the installed parser module"
grep -q '"outputTokens" *: *234' "$WORK/report.json" || fail "the installed --report missed the line"

# The window: started in German, its Preferences opened through the app's D-Bus actions.
german "$INSTALLED" >"$WORK/app.log" 2>&1 &
PIDS="$! $PIDS"
window_named () {
  xdotool search --onlyvisible --name "^$1\$" >/dev/null 2>&1
}
wait_for 60 window_named 'Claude Gauge' || fail "the window never appeared"
gdbus call --session --dest io.github.claudegauge.ClaudeGauge \
  --object-path /io/github/claudegauge/ClaudeGauge --method org.gtk.Actions.Activate \
  preferences '[]' '{}' >/dev/null || fail "could not open the preferences over D-Bus"
if ! wait_for 30 window_named 'Einstellungen'; then
  xdotool search --onlyvisible --name '.' getwindowname %@ >&2 2>/dev/null
  fail "no window titled Einstellungen"
fi
command -v import >/dev/null 2>&1 && import -window root "$OUT_DIR/screenshot-german.png" 2>/dev/null

echo "ok: the installed build speaks German in --status, --help and the window, and reads transcripts"
exit 0
