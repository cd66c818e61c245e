#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Renders the app's own symbolic icons into the .symbolic.png files the resource ships: black
# where the icon is, its coverage in the alpha channel, which is how gtk4-encode-symbolic-svg
# encodes a one-colour icon and what GTK recolours to the text colour. The sources in
# symbolic-src/ are drawn for this project (16 px grid, black, 2 px strokes); their names are
# ones no theme has, because resource icons are looked up after the theme.
# PNG, not SVG: any SVG icon makes GTK load librsvg (about 8 MB resident for the rest of the
# process's life). Run it again after changing a source and commit the PNGs (the build does not
# run it); it needs rsvg-convert. Add a new icon's PNGs to the .gresource.xml too.
#
#   data/icons/encode-symbolic.sh

set -eu
cd "$(dirname "$0")"

# name, folder, sizes: what the widgets ask for, at scale 1 and 2.
render () {
  name=$1 context=$2
  shift 2
  for size in "$@"; do
    dir=symbolic/${size}x${size}/$context
    mkdir -p "$dir"
    rsvg-convert --width "$size" --height "$size" --format png --output "$dir/$name.symbolic.png" \
      "symbolic-src/$name.svg"
  done
}

# GtkSpinner: 16 px in the header bar and the preferences, 32 px on the loading pages.
render claude-gauge-working-symbolic status 16 32 64
# The History tab (16 px) and its empty page (AdwStatusPage, 128 px); "rate limited".
render claude-gauge-history-symbolic actions 16 32 128 256
# What the window and the Console page explain, in a message (16 px) or a status page (128 px).
render claude-gauge-password-symbolic status 16 32 128 256
render claude-gauge-unavailable-symbolic actions 16 32 128 256
render claude-gauge-offline-symbolic status 16 32 128 256
render claude-gauge-warning-symbolic status 16 32 128 256
render claude-gauge-information-symbolic status 128 256
# The preferences' "No Results Found" page (AdwStatusPage, 128 px).
render claude-gauge-search-symbolic actions 128 256
# The window's Limits tab (16 px); the Console's "rate limited" message and status page.
render claude-gauge-gauge-symbolic status 16 32 128 256
# The window's Console tab (16 px).
render claude-gauge-console-symbolic actions 16 32
