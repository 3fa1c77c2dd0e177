#!/bin/sh
# Runs one libFuzzer target for a while:
#   tests/fuzz/run-fuzz.sh TARGET SECONDS [LIBFUZZER-OPTIONS...]
#   TARGET: archive | spec | ktstr-import (or fuzz-archive, ...)
# Configures a clang fuzz build directory if needed ($SL_FUZZ_BUILD_DIR,
# default build-fuzz), builds the target, seeds a working corpus from the
# committed tests/fuzz/corpus-<name>/ plus matching small files in data/ and
# tests/, and fuzzes. New inputs and crashers stay in the build directory;
# copy crashers worth keeping into tests/fuzz/corpus-<name>/.
set -eu
usage() { echo "usage: $0 archive|spec|ktstr-import|testfile|guestmem SECONDS [libFuzzer options]" >&2; exit 2; }
[ $# -ge 2 ] || usage
name=${1#fuzz-}
seconds=$2
shift 2
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${SL_FUZZ_BUILD_DIR:-$src/build-fuzz}
case $name in
  archive) pattern='*.slrun' ;;
  spec) pattern='*.slspec' ;;
  ktstr-import) pattern='*.failure-dump.json' ;;
  testfile) pattern='*.sltest' ;;
  guestmem) pattern='*.guestmem' ;;
  *) usage ;;
esac
if [ ! -f "$build/build.ninja" ]; then
  CC=clang meson setup "$build" "$src" -Dfuzz=true \
    -Dintegration=false -Dwerror=false
fi
meson compile -C "$build" "fuzz-$name"
corpus=$build/fuzz-corpus-$name
artifacts=$build/fuzz-artifacts-$name
mkdir -p "$corpus" "$artifacts"
if [ -d "$src/tests/fuzz/corpus-$name" ]; then
  cp -n "$src/tests/fuzz/corpus-$name"/* "$corpus"/ 2>/dev/null || true
fi
find "$src/data" "$src/tests" -name "$pattern" -size -64k -type f 2>/dev/null |
  while read -r f; do cp -n "$f" "$corpus/seed-$(basename "$f")" 2>/dev/null || true; done
exec "$build/tests/fuzz/fuzz-$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$artifacts/" "$@" "$corpus"
