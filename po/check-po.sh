#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fails when a translation is stale: the strings are extracted from the sources again (as
# 'meson compile claude-gauge-pot' does), and
#  - po/claude-gauge.pot must hold exactly those msgids (translators start from it),
#  - every language in po/LINGUAS has a po/LL.po, and every po/*.po is listed there,
#  - each po/*.po translates every msgid, none of them fuzzy (msgcmp),
#  - each po/*.po passes 'msgfmt -c --check-format' (formats, plural forms, header).
# 'meson compile -C build claude-gauge-update-po' brings the .po files up to date; then
# translate what it added and what it marked fuzzy.
#
# Usage: check-po.sh SOURCE_ROOT

set -u
LC_ALL=C
export LC_ALL

root=${1:-$(dirname "$0")/..}
cd "$root" || { echo "check-po: cannot enter source root '$root'" >&2; exit 2; }

for tool in xgettext msgcmp msgfmt; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check-po: $tool is not installed (Debian package gettext)" >&2
    exit 2
  fi
done

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# The arguments of meson's i18n.gettext(preset: 'glib') (mesonbuild/modules/i18n.py), so that
# this sees the strings update-po sees.
if ! xgettext --package-name=claude-gauge -f po/POTFILES.in -D . -k_ -o "$tmp/fresh.pot" \
       --from-code=UTF-8 --add-comments \
       --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dcgettext:2 \
       --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
       --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
       --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
       --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
       --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
       --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format \
       --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format \
       --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format
then
  echo "check-po: xgettext could not extract the strings" >&2
  exit 1
fi

status=0
stale="run 'meson compile -C build claude-gauge-update-po', translate what is new or fuzzy, commit"

# The committed template, both ways: no msgid missing, none left over.
if [ ! -f po/claude-gauge.pot ]; then
  echo "po/claude-gauge.pot is missing: $stale" >&2
  status=1
elif ! msgcmp --use-untranslated po/claude-gauge.pot "$tmp/fresh.pot" 2>"$tmp/err" ||
     ! msgcmp --use-untranslated "$tmp/fresh.pot" po/claude-gauge.pot 2>>"$tmp/err"; then
  echo "po/claude-gauge.pot does not match the sources: $stale" >&2
  sed 's/^/  /' "$tmp/err" >&2
  status=1
fi

# LINGUAS and the .po files name the same languages.
sed -e 's/#.*//' po/LINGUAS | tr -s ' \t' '\n\n' | grep -v '^$' | sort -u > "$tmp/linguas"
for lang in $(cat "$tmp/linguas"); do
  [ -f "po/$lang.po" ] || { echo "po/LINGUAS names $lang, but po/$lang.po does not exist" >&2; status=1; }
done

count=0
for po in po/*.po; do
  [ -f "$po" ] || continue
  lang=$(basename "$po" .po)
  count=$((count + 1))
  if ! grep -qx "$lang" "$tmp/linguas"; then
    echo "$po exists, but $lang is not in po/LINGUAS (it would not be installed)" >&2
    status=1
  fi
  # Every msgid of the sources translated, and not fuzzy.
  if ! msgcmp "$po" "$tmp/fresh.pot" 2>"$tmp/err"; then
    echo "$po is stale: $stale" >&2
    sed 's/^/  /' "$tmp/err" | head -40 >&2
    status=1
  fi
  if ! msgfmt -c --check-format -o /dev/null "$po" 2>"$tmp/err"; then
    echo "$po does not pass msgfmt -c --check-format:" >&2
    sed 's/^/  /' "$tmp/err" | head -40 >&2
    status=1
  fi
done

if [ "$status" -eq 0 ]; then
  echo "po/claude-gauge.pot and $count translation(s) match the sources"
fi
exit "$status"
