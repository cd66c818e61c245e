#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks po/POTFILES.in against the tree: every file under src/ and data/ with translatable
# strings must be listed, and every listed file must exist. Otherwise its strings never reach
# translators, or xgettext fails on a missing file.
#
# Usage: check-potfiles.sh SOURCE_ROOT

set -u
LC_ALL=C
export LC_ALL

root=${1:-$(dirname "$0")/..}
cd "$root" || { echo "check-potfiles: cannot enter source root '$root'" >&2; exit 2; }

potfiles=po/POTFILES.in
if [ ! -f "$potfiles" ]; then
  echo "check-potfiles: $potfiles not found under '$root'" >&2
  exit 2
fi

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# Listed entries: no comments, no blank lines, no "[encoding: …]" lines, whitespace trimmed.
sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$potfiles" \
  | grep -v -e '^$' -e '^\[' | sort -u > "$tmp/listed"

# Files that need listing. C: gettext macros and functions, "_ (" in GNU style too.
c_re='(^|[^A-Za-z0-9_])(_|N_|C_|NC_|Q_|ngettext|dngettext|g_dngettext|g_dpgettext2?)[[:space:]]*\('
{
  find src data -type f \( -name '*.c' -o -name '*.h' \) -exec grep -lE "$c_re" {} +
  find src data -type f -name '*.ui' -exec grep -lE 'translatable="(yes|true|1)"' {} +
  find data -type f -name '*.gschema.xml' -exec grep -lE '<(summary|description)[[:space:]>]' {} +
  find data -type f \( -name '*.desktop.in' -o -name '*.metainfo.xml.in' \
                       -o -name '*.appdata.xml.in' \) -print
} 2>/dev/null | sed 's|^\./||' | sort -u > "$tmp/needed"

status=0

missing=$(comm -23 "$tmp/needed" "$tmp/listed")
if [ -n "$missing" ]; then
  echo "These files have translatable strings but are missing from $potfiles:" >&2
  printf '%s\n' "$missing" | sed 's/^/  /' >&2
  status=1
fi

gone=
while IFS= read -r entry; do
  [ -f "$entry" ] || gone="$gone  $entry
"
done < "$tmp/listed"
if [ -n "$gone" ]; then
  echo "These $potfiles entries do not exist (remove or fix them):" >&2
  printf '%s' "$gone" >&2
  status=1
fi

if [ "$status" -eq 0 ]; then
  echo "$potfiles lists all $(wc -l < "$tmp/needed" | tr -d ' ') files with translatable strings"
fi
exit "$status"
