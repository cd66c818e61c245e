#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Builds the fuzz targets in tests/fuzz/ with libFuzzer and runs each for a bounded time.
#
#   bench/fuzz.sh [BUILD_DIR]          BUILD_DIR defaults to `build` (a configured meson dir:
#                                      it supplies config.h and the generated gauge-enums.h)
#   SECONDS_PER_TARGET=600 bench/fuzz.sh build
#   TARGETS="usage" bench/fuzz.sh
#
# New inputs go to a scratch corpus under BUILD_DIR/fuzz, never into the source tree; a crash
# leaves its reproducer there too: copy it into tests/fuzz/corpus-<target>/ once fixed.
# Needs clang and libclang-rt-14-dev.

set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=$(cd "${1:-build}" && pwd)
seconds=${SECONDS_PER_TARGET:-60}
targets=${TARGETS:-"usage credentials transcript-line admin"}
cc=${CC_FUZZ:-clang}
cxx=${CXX_FUZZ:-clang++}
outdir="$builddir/fuzz"

if [ ! -f "$builddir/config.h" ] || [ ! -f "$builddir/src/core/gauge-enums.h" ]; then
  echo "$builddir is not a configured build: run 'meson setup' and 'ninja' there first" >&2
  exit 2
fi

mkdir -p "$outdir"

pkgs="glib-2.0 gio-2.0 json-glib-1.0 libsoup-3.0 sqlite3 simdjson libsecret-1"
# shellcheck disable=SC2086
cflags=$(pkg-config --cflags $pkgs)
# shellcheck disable=SC2086
libs=$(pkg-config --libs $pkgs)

# Every source of src/core plus the generated enum types: what the app links.
core_sources=$(ls "$srcdir"/src/core/*/*.c)
core_includes=$(for dir in "$srcdir"/src/core/*/; do printf -- '-I%s ' "$dir"; done)
for generated in gauge-enums.c gauge-core-resources.c; do
  if [ -f "$builddir/src/core/$generated" ]; then
    core_sources="$core_sources $builddir/src/core/$generated"
  fi
done

# Leaks found at exit by LSan would stop a run; TLS interception crashes it (see testing.md).
export ASAN_OPTIONS="${ASAN_OPTIONS:-intercept_tls_get_addr=0:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# The transcript line parser is C++ (a shim over simdjson): built once, linked into every target.
parser_obj="$outdir/gauge-transcript-parser.o"
# shellcheck disable=SC2086
"$cxx" -std=c++17 -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=vptr,function -fno-sanitize-recover=undefined \
  -DHAVE_CONFIG_H -I"$builddir" $core_includes $cflags \
  -c "$srcdir/src/core/local/gauge-transcript-parser.cc" -o "$parser_obj"

status=0
for target in $targets; do
  # Targets live in tests/fuzz/ (corpus-<target>), tests/core/console/ (corpus-admin) or, for the
  # index, tests/core/local/ (corpus-line).
  if [ -f "$srcdir/tests/fuzz/fuzz-$target.c" ]; then
    source="$srcdir/tests/fuzz/fuzz-$target.c"
    seeds="$srcdir/tests/fuzz/corpus-$target"
  elif [ -f "$srcdir/tests/core/console/fuzz-$target.c" ]; then
    source="$srcdir/tests/core/console/fuzz-$target.c"
    seeds="$srcdir/tests/core/console/corpus-$target"
  else
    source="$srcdir/tests/core/local/fuzz-$target.c"
    seeds="$srcdir/tests/core/local/corpus-${target#transcript-}"
  fi
  exe="$outdir/fuzz-$target"
  corpus="$outdir/corpus-$target"
  log="$outdir/fuzz-$target.log"

  echo "== fuzz-$target: building"
  # shellcheck disable=SC2086
  "$cc" -g -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -DHAVE_CONFIG_H \
    -I"$builddir" -I"$builddir/src/core" $core_includes \
    $cflags \
    $core_sources "$parser_obj" "$source" \
    $libs -lm -lstdc++ \
    -o "$exe"

  mkdir -p "$corpus"
  dict=
  if [ -f "$srcdir/tests/fuzz/$target.dict" ]; then
    dict="-dict=$srcdir/tests/fuzz/$target.dict"
  fi
  echo "== fuzz-$target: running for ${seconds}s"
  if "$exe" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$outdir/fuzz-$target-" ${dict:+"$dict"} \
       "$corpus" "$seeds" >"$log" 2>&1; then
    result=ok
  else
    result=FAILED
    status=1
  fi

  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  echo "fuzz-$target: $result, ${execs:-?} runs, ${rate:-?} execs/s (log: $log)"
  if [ "$result" = FAILED ]; then
    grep -E '^(==[0-9]+==ERROR|SUMMARY|Test unit written)' "$log" || tail -n 30 "$log"
  fi
done

exit $status
