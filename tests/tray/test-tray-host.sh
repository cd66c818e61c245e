#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A real tray host: xfce4-panel (its systray plugin is a StatusNotifierWatcher
# and host) under its own Xvfb and session bus shows the icon; a left click on
# it opens the window; a screenshot of the screen lands in the build dir.
# Exit 77 (skip) when the host or the X tools are missing.

set -u

OUT_DIR=${G_TEST_BUILDDIR:-$PWD}/tray
BIN=${CLAUDE_GAUGE_BIN:-}

for tool in xfce4-panel xdotool xvfb-run dbus-run-session import convert gdbus python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is not installed"
    exit 77
  fi
done
if [ -z "$BIN" ] || [ ! -x "$BIN" ]; then
  echo "CLAUDE_GAUGE_BIN is not set to the built claude-gauge" >&2
  exit 1
fi

if [ "${TRAY_HOST_INNER:-}" != 1 ]; then
  # HOME and XDG_CONFIG_HOME before the bus: xfconfd is bus-activated and
  # inherits the bus daemon's environment (testing.md).
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/gauge-tray-host.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" \
         XDG_DATA_HOME="$WORK/home/.local/share" XDG_CACHE_HOME="$WORK/home/.cache" \
         XDG_RUNTIME_DIR="$WORK/run" TRAY_HOST_INNER=1 WORK
  mkdir -p "$XDG_CONFIG_HOME/xfce4/xfconf/xfce-perchannel-xml" "$XDG_DATA_HOME" \
           "$XDG_CACHE_HOME" "$HOME/.claude" "$XDG_RUNTIME_DIR" "$OUT_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
  timeout 150 xvfb-run -a -s '-screen 0 1024x600x24' dbus-run-session -- "$0"
  exit $?
fi

PIDS=""
cleanup () {
  for pid in $PIDS; do kill "$pid" 2>/dev/null; done
  sleep 0.3
  for pid in $PIDS; do kill -9 "$pid" 2>/dev/null; done
}
trap cleanup EXIT INT TERM

fail () {
  echo "FAIL: $*" >&2
  import -window root "$OUT_DIR/screenshot-tray-failed.png" 2>/dev/null
  [ -f "$WORK/app.log" ] && tail -n 40 "$WORK/app.log" >&2
  [ -f "$WORK/panel.log" ] && tail -n 20 "$WORK/panel.log" >&2
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

# The panel: one panel at the top holding only the systray plugin.
cat > "$XDG_CONFIG_HOME/xfce4/xfconf/xfce-perchannel-xml/xfce4-panel.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="32"/>
      <property name="plugin-ids" type="array">
        <value type="int" value="1"/>
      </property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="systray"/>
  </property>
</channel>
XML

# The usage API on loopback.
cat > "$WORK/api.py" <<'PY'
import http.server, json, sys, time
def iso(t): return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t))
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
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
python3 "$WORK/api.py" "$WORK/port" &
PIDS="$PIDS $!"
wait_for 10 test -s "$WORK/port" || fail "the loopback API did not start"

EXPIRES=$(( ($(date +%s) + 86400) * 1000 ))
cat > "$HOME/.claude/.credentials.json" <<JSON
{"claudeAiOauth": {"accessToken": "sk-ant-oat01-tray", "expiresAt": $EXPIRES,
 "scopes": ["user:inference", "user:profile"], "subscriptionType": "max",
 "rateLimitTier": "default_claude_max_5x"}}
JSON
chmod 600 "$HOME/.claude/.credentials.json"

xfce4-panel --disable-wm-check --sm-client-disable >"$WORK/panel.log" 2>&1 &
PIDS="$PIDS $!"

watcher_up () {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner org.kde.StatusNotifierWatcher | grep -q true
}
wait_for 20 watcher_up || fail "xfce4-panel never became the StatusNotifierWatcher"

# The app, kept alive with no window (settings in a keyfile so run-in-background holds).
mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings"
printf '[io/github/claudegauge/ClaudeGauge]\nrun-in-background=true\n' \
  > "$XDG_CONFIG_HOME/glib-2.0/settings/keyfile"
BACKGROUND=""
"$BIN" --help-all 2>/dev/null | grep -q -- '--background' && BACKGROUND="--background"
env GSETTINGS_BACKEND=keyfile CLAUDE_GAUGE_API_BASE="http://127.0.0.1:$(cat "$WORK/port")" \
    G_MESSAGES_DEBUG=gauge-tray "$BIN" $BACKGROUND >"$WORK/app.log" 2>&1 &
APP=$!
PIDS="$APP $PIDS"

item_registered () {
  gdbus call --session --dest org.kde.StatusNotifierWatcher \
    --object-path /StatusNotifierWatcher --method org.freedesktop.DBus.Properties.Get \
    org.kde.StatusNotifierWatcher RegisteredStatusNotifierItems | grep -q ':'
}
wait_for 20 item_registered || fail "the app never registered its item with the panel"
echo "ok: the panel lists the item: $(gdbus call --session --dest org.kde.StatusNotifierWatcher \
  --object-path /StatusNotifierWatcher --method org.freedesktop.DBus.Properties.Get \
  org.kde.StatusNotifierWatcher RegisteredStatusNotifierItems)"

window_shown () {
  xdotool search --onlyvisible --name '^Claude Gauge$' || xdotool search --onlyvisible --pid "$APP"
}
window_gone () { ! window_shown; }

# Without --background the window opens at launch: close it through the app.
if window_shown >/dev/null 2>&1 || wait_for 5 window_shown; then
  gdbus call --session --dest io.github.claudegauge.ClaudeGauge \
    --object-path /io/github/claudegauge/ClaudeGauge --method org.gtk.Actions.Activate \
    toggle-window '[]' '{}' >/dev/null
  wait_for 10 window_gone || fail "the window did not close"
fi
kill -0 "$APP" 2>/dev/null || fail "the app quit when its window closed"

# Find the icon: the only thing drawn on the panel's plain background.
sleep 1
import -window root -crop 1024x32+0+0 +repage "$WORK/panel.png" || fail "no screenshot"
BOX=$(convert "$WORK/panel.png" -fuzz 8% -trim -format '%w %h %X %Y' info: 2>/dev/null)
set -- $BOX
[ "$#" -eq 4 ] || fail "could not find the icon on the panel ($BOX)"
W=$1; H=$2; X=${3#+}; Y=${4#+}
[ "$W" -ge 8 ] && [ "$W" -le 64 ] || fail "the panel shows no icon-sized thing (box ${W}x${H}+$X+$Y)"
CX=$(( X + W / 2 )); CY=$(( Y + H / 2 ))
echo "ok: icon on the panel at ${W}x${H}+$X+$Y"

xdotool mousemove "$CX" "$CY" click 1
wait_for 10 window_shown || fail "a left click on the icon did not open the window"
echo "ok: a left click opened the window"

# No window manager: move the window off the panel so the screenshot shows both.
for id in $(window_shown 2>/dev/null); do xdotool windowmove "$id" 240 60 2>/dev/null; done
sleep 1
import -window root "$OUT_DIR/screenshot-tray.png" || fail "could not write the screenshot"
echo "ok: screenshot $OUT_DIR/screenshot-tray.png"

# The menu a right click shows, for the README (window closed again by a second click).
xdotool mousemove "$CX" "$CY" click 1
wait_for 10 window_gone || fail "a second left click did not close the window"
echo "ok: a second left click closed the window"
xdotool mousemove "$CX" "$CY" click 3
sleep 1.5
import -window root "$OUT_DIR/screenshot-tray-menu.png" 2>/dev/null
xdotool key Escape

# The installed kind of executable builds its window from templates in a resource: when those
# are missing, GTK says so (and the window is empty), so any critical fails the test.
if grep -E -- '-CRITICAL \*\*|-ERROR \*\*' "$WORK/app.log" >&2; then
  fail "the app logged criticals (above)"
fi
echo "ok: nothing critical in the app's log"

exit 0
