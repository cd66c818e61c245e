#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Every key of the settings schema is read somewhere in src/: a key nothing reads is a
# preference that does nothing. A key counts as read when its name appears quoted in a
# source file (g_settings_get_*, g_settings_bind, a table of keys) or as a .ui property.
set -eu

root="$1"
schema="$root/data/io.github.claudegauge.ClaudeGauge.gschema.xml"
unread=0
keys=$(sed -n 's/.*<key name="\([^"]*\)".*/\1/p' "$schema")

[ -n "$keys" ] || { echo "No keys found in $schema"; exit 1; }

for key in $keys; do
  if ! grep -rqF --include='*.c' --include='*.ui' "\"$key\"" "$root/src"; then
    echo "The setting “$key” is in the schema but no code in src/ reads it"
    unread=1
  fi
done

exit $unread
