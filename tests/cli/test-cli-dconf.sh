#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-cli with the settings backend users have: dconf, on a private session bus with its
# dconf-service, in folders of its own. GSETTINGS_BACKEND=memory (every other test) hid that
# reading a setting through dconf starts a thread, after which --report's late
# g_log_writer_default_set_use_stderr() printed a GLib-CRITICAL on every run; test-cli fails
# on any GLib warning or critical a run prints, and checks that a setting written with
# gsettings reaches --status.

set -eu

if [ ! -x /usr/libexec/dconf-service ] && ! command -v dconf-service >/dev/null 2>&1; then
  echo "dconf-service is not installed (Debian: apt-get install dconf-service)" >&2
  exit 77
fi

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT INT TERM
mkdir -m 700 "$dir/config" "$dir/runtime"

export XDG_CONFIG_HOME="$dir/config" XDG_RUNTIME_DIR="$dir/runtime" GSETTINGS_BACKEND=dconf
dbus-run-session -- "$@"
