#!/bin/sh
# dev.sh: set up, build, test and launch Schedlab on a Debian bookworm machine.
#
#   ./dev.sh app     build and open the workbench on the bundled sample run
#   ./dev.sh test    build (plain + address/undefined sanitizers) and run every test
#   ./dev.sh bench   build and print every benchmark's figures (tests/bench/)
#   ./dev.sh deps    only install the Debian packages the build needs
#   ./dev.sh build   only configure and build (build/)
#
# Every command is idempotent. Packages come from Debian bookworm itself; kernels
# for the VM tests are fetched by schedlab-cli into its own cache, never installed.
set -eu

cd "$(dirname "$0")"
ROOT=$(pwd)

PACKAGES="gcc libc6-dev pkg-config meson ninja-build python3
  libglib2.0-dev libjson-glib-dev libgtk-4-dev libadwaita-1-dev
  libelf-dev libzstd-dev liblzma-dev liblz4-dev zlib1g-dev
  clang llvm lld libclang-rt-14-dev
  qemu-system-x86 xvfb xauth ca-certificates"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# The host's own Debian mirror (so local mirrors and proxies keep working).
host_mirror() {
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '$1 == "deb" && $3 ~ /^bookworm$/ { u = $2; if ($2 ~ /^\[/) u = $3; print u; exit }' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'tolower($1) == "uris:" { uri = $2 } tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == "bookworm") { print uri; exit } }' "$f"
  done
}

# The bundled schedulers need libbpf >= 1.4 (struct_ops links, sleepable
# struct_ops programs); bookworm has 1.1, bookworm-backports has 1.4.6.
backports_libbpf() {
  if dpkg --compare-versions "$(dpkg-query -W -f='${Version}' libbpf-dev 2>/dev/null || echo 0)" ge 1:1.4; then
    return
  fi
  if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
    mirror=$(host_mirror | head -n1)
    [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
    echo "dev.sh: adding bookworm-backports ($mirror) for libbpf 1.4"
    echo "deb $mirror bookworm-backports main" | as_root tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
  fi
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends -t bookworm-backports libbpf-dev bpftool
}

deps() {
  missing=""
  for p in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    echo "dev.sh: installing$missing"
    as_root apt-get update -qq
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
  fi
  backports_libbpf
}

configure() { # DIR [meson options...]
  dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@"
  fi
}

build() {
  configure build
  meson compile -C build
}

unit_and_integration() {
  rm -f build/test-summary.txt
  build
  # The default kernel is fetched once into the cache; the VM tests then boot it.
  if [ -x build/app/schedlab-cli ] && build/app/schedlab-cli kernel --help >/dev/null 2>&1; then
    build/app/schedlab-cli kernel fetch || echo "dev.sh: kernel fetch failed; VM tests will report it"
  fi
  rc=0
  meson test -C build --print-errorlogs --num-processes 2 || rc=1
  configure build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dintegration=false
  meson compile -C build-asan
  meson test -C build-asan --print-errorlogs --num-processes 2 || rc=1
  python3 "$ROOT/tests/tap-summary.py" build/meson-logs/testlog.json build-asan/meson-logs/testlog.json || rc=1
  return $rc
}

app() {
  build
  sample="$ROOT/data/samples/$(cat "$ROOT/data/samples/DEFAULT" 2>/dev/null || echo synthetic-two-cgroups.slrun)"
  if [ -x build/app/schedlab ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
    exec build/app/schedlab "$sample"
  fi
  echo "dev.sh: no display (or no GTK build): checking the bundled spec on the bundled run instead"
  spec="$ROOT/data/specs/$(basename "$sample" .slrun)-pass.slspec"
  [ -f "$spec" ] || spec="$ROOT/data/specs/synthetic-pass.slspec"
  build/app/schedlab-cli info "$sample"
  exec build/app/schedlab-cli check "$spec" "$sample"
}

# Benchmarks print figures next to a baseline measured in the same run; they
# are never part of the test suite (these machines are too noisy for limits).
bench() {
  build
  for b in build/tests/bench/bench-* build/tests/bench/*/bench-*; do
    [ -x "$b" ] && [ -f "$b" ] || continue
    case "$b" in *bench-trivial-init) continue ;; esac
    echo "== $(basename "$b")"
    "$b" || echo "dev.sh: $(basename "$b") failed"
  done
}

case "${1:-}" in
  deps) deps ;;
  build) deps; build ;;
  test) deps; unit_and_integration ;;
  app) deps; app ;;
  bench) deps; bench ;;
  *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 64 ;;
esac
