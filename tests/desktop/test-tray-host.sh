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

. "$(dirname "$0")/../gauge-test-app.sh"

skip_without xfce4-panel xdotool xvfb-run dbus-run-session import convert gdbus python3
require_bin

run_isolated tray-host 1024x600x24 150

trap end_pids EXIT INT TERM
mkdir -p "$XDG_CONFIG_HOME/xfce4/xfconf/xfce-perchannel-xml" "$OUT_DIR"

fail () {
  echo "FAIL: $*" >&2
  import -window root "$OUT_DIR/screenshot-tray-failed.png" 2>/dev/null
  [ -f "$WORK/app.log" ] && tail -n 40 "$WORK/app.log" >&2
  [ -f "$WORK/panel.log" ] && tail -n 20 "$WORK/panel.log" >&2
  exit 1
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

# The usage API on loopback, and Claude Code's sign-in.
start_usage_api || fail "the loopback API did not start"
write_credentials "$HOME/.claude/.credentials.json"

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
env GSETTINGS_BACKEND=keyfile CLAUDE_GAUGE_API_BASE="$API" \
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
