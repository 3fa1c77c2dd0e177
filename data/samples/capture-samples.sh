#!/bin/sh
# capture-samples.sh: recapture the bundled REAL sample runs (see README.md).
#
#   data/samples/capture-samples.sh BUILD_DIR [NAME...]
#
# BUILD_DIR is a configured and built tree (it needs app/schedlab-cli and the
# bundled scheduler loader vmm/guest/schedulers/sl-sched); the default kernel
# must be cached (`schedlab-cli kernel fetch`). NAME picks some of
# vtime-two-cgroups vtime-stall vtime-starve-light vtime-counter-regress
# vtime-imbalance (default: all). Runs are sequential: each boots a 2-vCPU TCG
# guest for about 40 s.
#
# A capture is kept only when the run finished; the timing-dependent ones are
# retried (up to 3 times) until they show what they are for:
#   vtime-stall            the kernel's ejection falls between two captures;
#   vtime-counter-regress  nr_dispatched steps back between two captures.
# Afterwards run `meson test -C BUILD_DIR samples`: the specs in data/specs
# must still pass/fail as documented.
set -eu

[ $# -ge 1 ] || { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 64; }
build=$(cd "$1" && pwd); shift
here=$(cd "$(dirname "$0")" && pwd)
cli="$build/app/schedlab-cli"
loader="$build/vmm/guest/schedulers/sl-sched"
[ -x "$cli" ] && [ -x "$loader" ] || { echo "capture-samples: build $build first" >&2; exit 66; }

# Shared settings: default kernel, 1 NUMA node, 1 LLC, 2 cores, 1 thread;
# multi-threaded TCG; 10 s workload.
common="--offline --kernel default --accel tcg --topology 1,1,2,1 --duration 10s"

capture() { # NAME SCENARIO CAPTURE-OPTION... -- SCHEDULER-ARGS...
  name=$1; scenario=$2; shift 2
  out="$here/$name.slrun"
  tmp="$out.tmp"
  # shellcheck disable=SC2086
  if "$cli" run $common --scenario "$scenario" --scheduler "$loader" -o "$tmp" "$@"; then
    mv "$tmp" "$out"
    echo "capture-samples: $out"
    return 0
  fi
  rm -f "$tmp"
  return 1
}

# Fault-specific acceptance, read from `schedlab-cli info`.
shows_fault() { # NAME
  case $1 in
    vtime-stall)
      "$cli" info "$here/$1.slrun" | grep -q 'SCX_EXIT_ERROR_STALL (1026) at +[0-9]*ms after sample periodic_0' ;;
    vtime-counter-regress)
      ! "$cli" check "$here/../specs/vtime-counter-regress-fail.slspec" "$here/$1.slrun" >/dev/null ;;
    *) true ;;
  esac
}

one() { # NAME
  case $1 in
    vtime-two-cgroups)
      capture "$1" two-cgroups --snapshots 18 -- --scheduler sl_vtime ;;
    vtime-stall)
      capture "$1" two-cgroups --snapshots 18 -- --scheduler sl_vtime --bug=stall ;;
    vtime-starve-light)
      capture "$1" two-cgroups --snapshots 18 -- --scheduler sl_vtime --bug=starve-cgroup=sl/light ;;
    vtime-counter-regress)
      # The fault fires at the 100th dispatch: a quiet first step and a
      # capture every 500 ms put it between two captures.
      capture "$1" "$here/two-cgroups-quiet-start.scn" --interval 500 -- --scheduler sl_vtime --bug=counter-regress ;;
    vtime-imbalance)
      capture "$1" two-cgroups --snapshots 18 -- --scheduler sl_vtime --bug=imbalance ;;
    *) echo "capture-samples: unknown sample '$1'" >&2; return 64 ;;
  esac
}

[ $# -gt 0 ] || set -- vtime-two-cgroups vtime-stall vtime-starve-light vtime-counter-regress vtime-imbalance
for name in "$@"; do
  tries=0
  until one "$name" && shows_fault "$name"; do
    tries=$((tries + 1))
    [ $tries -lt 3 ] || { echo "capture-samples: $name: no usable capture after 3 runs" >&2; exit 1; }
    echo "capture-samples: $name: retrying" >&2
  done
done
