#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds flatpak/io.github.claudegauge.ClaudeGauge.json for real without the GNOME runtime,
# which cannot be downloaded here: this machine's Debian 12 packages are exported as stand-in
# org.gnome.Platform and org.gnome.Sdk (of the manifest's runtime-version), flatpak-builder
# builds the manifest against them with --disable-download (simdjson from a local copy of its
# git repository), and run.sh then runs the sandboxed app. Usage (as root, or a user who may
# sudo, on Debian 12):
#
#   flatpak/standin/build.sh [--simdjson-git DIR] [WORKDIR]
#
# DIR is a clone of simdjson's repository holding the manifest's pinned commit (default:
# $SIMDJSON_GIT). WORKDIR (default /var/tmp/claude-gauge-flatpak) receives the runtimes, the
# OSTree repository, a private Flatpak installation (FLATPAK_USER_DIR) and the build; nothing
# is installed into your own Flatpak installation. A second run reuses the staged runtimes.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
manifest=$src/flatpak/io.github.claudegauge.ClaudeGauge.json
simdjson_git=${SIMDJSON_GIT:-}
work=/var/tmp/claude-gauge-flatpak

while [ $# -gt 0 ]; do
  case $1 in
    --simdjson-git) simdjson_git=$2; shift 2 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) work=$1; shift ;;
  esac
done

manifest_value () {
  /usr/bin/python3 -c 'import json, sys
m = json.load(open(sys.argv[1]))
print(eval(sys.argv[2], {"m": m}))' "$manifest" "$1"
}
branch=$(manifest_value 'm["runtime-version"]')
arch=$(flatpak --default-arch 2>/dev/null || uname -m)
export FLATPAK_USER_DIR=$work/flatpak-user

s=
[ "$(id -u)" -eq 0 ] || s=sudo

step () { printf '\n== %s\n' "$*"; }

# What the app needs at run time (the Platform) ...
platform_packages=(
  libc-bin dash bash coreutils libstdc++6 libglib2.0-0 glib-networking ca-certificates
  libgtk-4-1 libadwaita-1-0 libsoup-3.0-0 libjson-glib-1.0-0 libnotify4 libsqlite3-0
  libsecret-1-0 librsvg2-common gsettings-desktop-schemas shared-mime-info
  fonts-dejavu-core fontconfig-config hicolor-icon-theme adwaita-icon-theme xkb-data
)
# ... and what building the manifest calls (the Sdk; simdjson is not here on purpose: the
# manifest builds its own).
sdk_packages=(
  "${platform_packages[@]}"
  gcc g++ libc6-dev binutils elfutils make cmake pkg-config meson ninja-build python3
  gettext libglib2.0-bin libglib2.0-dev-bin libxml2-utils
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libnotify-dev
  libsqlite3-dev libsecret-1-dev desktop-file-utils gtk-update-icon-cache appstream-util
  findutils grep sed diffutils tar gzip file
)

step "Installing the Debian packages the stand-in runtimes are made of"
export DEBIAN_FRONTEND=noninteractive
needed=("${sdk_packages[@]}" flatpak flatpak-builder git)
# Only what is missing: naming an installed package to apt-get would upgrade it.
missing=()
for package in "${needed[@]}"; do
  dpkg-query -W -f '${db:Status-Abbrev}' "$package" 2>/dev/null | grep -q '^ii' ||
    missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  $s apt-get update
  $s apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Exports one runtime: the files of PACKAGES and their dependencies as files/ (Debian's /usr,
# with /etc as files/etc), plus the caches Debian's triggers made, which no package lists.
export_runtime () {
  local name=$1; shift
  local dir=$work/runtimes/$name
  local list=$work/runtimes/$name.files

  if [ -d "$dir/files" ]; then
    echo "$name: staged before (remove $dir to stage it again)"
  else
    rm -rf "$dir"
    mkdir -p "$dir/stage"
    /usr/bin/python3 "$here/debian-closure.py" "$@" > "$list"
    (
      cat "$list"
      # Made by triggers or maintainer scripts, so in no package's list.
      cd /
      for extra in usr/lib/*/gdk-pixbuf-2.0/*/loaders.cache usr/share/mime \
                   usr/share/glib-2.0/schemas usr/share/icons/hicolor usr/share/icons/Adwaita \
                   etc/alternatives etc/ssl/certs etc/fonts etc/ld.so.conf etc/ld.so.conf.d; do
        if [ -e "$extra" ]; then find "$extra"; fi
      done
    ) | sort -u > "$list.all"
    tar -C / --no-recursion -cf - -T "$list.all" 2>/dev/null | tar -C "$dir/stage" -xf -
    mv "$dir/stage/usr" "$dir/files"
    mv "$dir/stage/etc" "$dir/files/etc"
    rmdir "$dir/stage"
    # Flatpak regenerates the loader's cache with `ldconfig` from PATH (/app/bin:/usr/bin);
    # Debian keeps it in /usr/sbin.
    [ -e "$dir/files/bin/ldconfig" ] || ln -s ../sbin/ldconfig "$dir/files/bin/ldconfig"
    echo "$name: $(wc -l < "$list.all") paths, $(du -sh "$dir/files" | cut -f1)"
  fi

  if [ ! -f "$dir/exported-$branch" ]; then
    cat > "$dir/metadata" <<EOF
[Runtime]
name=$name
runtime=org.gnome.Platform/$arch/$branch
sdk=org.gnome.Sdk/$arch/$branch
EOF
    flatpak build-export --runtime --files=files \
      --subject="Stand-in $name from Debian packages" "$work/repo" "$dir" "$branch"
    touch "$dir/exported-$branch"
  fi
}

step "Exporting the stand-in runtime and SDK (this machine's Debian packages)"
mkdir -p "$work/runtimes"
export_runtime org.gnome.Platform "${platform_packages[@]}"
export_runtime org.gnome.Sdk "${sdk_packages[@]}"
flatpak build-update-repo "$work/repo"

step "Installing them into a private Flatpak installation ($FLATPAK_USER_DIR)"
flatpak --user remote-add --if-not-exists --no-gpg-verify standin "file://$work/repo"
flatpak --user install -y --noninteractive --or-update standin \
  "org.gnome.Platform//$branch" "org.gnome.Sdk//$branch"

step "Making the sources available without downloading"
# flatpak-builder keeps a bare mirror of each git source in its state folder, named after the
# URL with '/' and ':' made '_'; --disable-download then uses that mirror.
simdjson_source='next(mod for mod in m["modules"] if mod["name"] == "simdjson")["sources"][0]'
url=$(manifest_value "$simdjson_source[\"url\"]")
commit=$(manifest_value "$simdjson_source[\"commit\"]")
mirror=$work/state/git/$(printf '%s' "$url" | sed 's|://|_|; s|/|_|g')
if [ ! -d "$mirror" ]; then
  if [ -z "$simdjson_git" ]; then
    echo "No copy of $url: pass --simdjson-git DIR (a clone holding $commit)." >&2
    exit 2
  fi
  git clone --quiet --mirror "$simdjson_git" "$mirror"
fi
git -C "$mirror" cat-file -e "$commit^{commit}" || {
  echo "$mirror does not hold the pinned commit $commit" >&2
  exit 1
}
# A snapshot may lack the largest files. singleheader/simdjson.h (which cmake installs) is made
# by simdjson's own amalgamate.py from the other files, reproducibly: regenerate it and store it
# under its blob id, which fills the hole only if it is byte for byte the file of the commit.
missing_blobs () {  # "<id> <path>" of each file of the commit whose blob is absent
  local blobs
  blobs=$(git -C "$mirror" ls-tree -r "$commit" | awk '$2 == "blob" { print $3, $4 }')
  cut -d ' ' -f 1 <<< "$blobs" | git -C "$mirror" cat-file --batch-check |
    awk 'NR == FNR { path[$1] = $2; next } $2 == "missing" { print $1, path[$1] }' \
      <(echo "$blobs") -
}
if missing_blobs | grep -q ' singleheader/simdjson.h$'; then
  tree=$work/simdjson-tree
  rm -rf "$tree" && mkdir -p "$tree"
  # (git archive and checkout stop at a missing blob: write the others out one by one.)
  /usr/bin/python3 - "$mirror" "$commit" "$tree" <<'EOF'
import os, subprocess, sys
mirror, commit, tree = sys.argv[1:]
entries = [line.split(None, 3) for line in subprocess.run(
    ["git", "-C", mirror, "ls-tree", "-r", commit], check=True, capture_output=True,
    text=True).stdout.splitlines()]
batch = subprocess.Popen(["git", "-C", mirror, "cat-file", "--batch"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
for mode, kind, oid, path in entries:
    if kind != "blob":
        continue
    batch.stdin.write(oid.encode() + b"\n")
    batch.stdin.flush()
    header = batch.stdout.readline().split()
    if header[-1] == b"missing":
        continue
    data = batch.stdout.read(int(header[2]))
    batch.stdout.read(1)
    target = os.path.join(tree, path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    if mode == "120000":
        os.symlink(data.decode(), target)
    else:
        with open(target, "wb") as f:
            f.write(data)
        os.chmod(target, 0o755 if mode == "100755" else 0o644)
EOF
  # The header is stamped with the date of the commit it was made at: the one before the
  # commit that added it.
  added=$(git -C "$mirror" log -1 --format=%H "$commit" -- singleheader/simdjson.h)
  git clone --quiet --bare --shared "$mirror" "$tree/.git"
  git -C "$tree/.git" update-ref --no-deref HEAD "$added^"
  (cd "$tree/singleheader" &&
     GIT_DIR=$tree/.git AMALGAMATE_OUTPUT_PATH=$tree/out /usr/bin/python3 amalgamate.py) > /dev/null
  git -C "$mirror" hash-object -w "$tree/out/simdjson.h" > /dev/null
  rm -rf "$tree"
fi
missing_blobs | while read -r _ path; do
  echo "warning: the copy of simdjson lacks $path (the build does not use it)" >&2
done

step "Building the manifest with flatpak-builder --disable-download"
cd "$work"
flatpak-builder --user --disable-download --disable-rofiles-fuse --force-clean --install \
  --state-dir="$work/state" "$work/build" "$manifest"

step "Built and installed"
flatpak --user info io.github.claudegauge.ClaudeGauge
