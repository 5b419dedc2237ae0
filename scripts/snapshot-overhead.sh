#!/usr/bin/env bash
# The cost of --snapshot-every (issue 14's performance clause): runs the same `hartree run` with and
# without snapshots, interleaved (none, sync, background, none, sync, ...), in one session, and prints
# each run's wall time, the medians and their ratios. Not a timed test: a benchmark, to be read with
# the machine's load in mind (docs/fields.md has a measurement).
#
#   scripts/snapshot-overhead.sh [REPEATS [GRID [STEPS [EVERY_STEPS [THREADS]]]]]
#   defaults: 3 repeats, 128^3, 400 steps of dt = 1e-3, a snapshot per 100 steps, --threads 0 (all cores)
#
# Variants: "none" (no --snapshot-every), "sync" (snapshots written on the stepping thread, as
# before: -Dhartree.snapshots.sync=true), "background" (the default: written on a background
# thread while the run steps on). The time compared is summary.json's timings.total_s (setup,
# stepping, observations, snapshots, final output); also printed, per run, the seconds the stepping
# thread spent on snapshots per second of stepping in the same run (robust to the load, which moves
# both alike). The jar is copied first, so a rebuild during the benchmark does not change what runs.
# KEEP=DIR keeps each run's summary.json. Needs: a built cli (./mvnw -q -DskipTests package), python3.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repeats=${1:-3}; grid=${2:-128}; steps=${3:-400}; every=${4:-100}; threads=${5:-0}
dt=0.001
work=$(mktemp -d "${TMPDIR:-/tmp}/snapshot-overhead.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp "$here/cli/target/hartree-cli.jar" "$work/" && cp -r "$here/cli/target/lib" "$work/lib"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
time_arg=$(python3 -c "print(repr($steps*$dt))"); every_arg=$(python3 -c "print(repr($every*$dt))")
echo "snapshot-overhead: grid ${grid}^3, $steps steps of dt = $dt, a snapshot every $every steps (and at step 0), threads $threads, $repeats repeats; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # variant index
  local v=$1 i=$2 opts=() props=()
  case $v in
    none) ;;
    sync) opts=(--snapshot-every "$every_arg"); props=(-Dhartree.snapshots.sync=true) ;;
    background) opts=(--snapshot-every "$every_arg") ;;
  esac
  "$java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xss4m "${props[@]}" -jar "$work/hartree-cli.jar" \
    run --grid "$grid" --dt "$dt" --time "$time_arg" --threads "$threads" "${opts[@]}" --out "$work/$v-$i" >"$work/$v-$i.log" 2>&1 \
    || { echo "run $v $i failed:"; tail -5 "$work/$v-$i.log"; exit 1; }
  python3 - "$work/$v-$i/summary.json" "$v" "$i" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); t = s["timings"]
sn = s.get("snapshots") or {}
frac = s.get("snapshot_seconds", 0) / t["propagate_s"]
print(f"{sys.argv[2]:>10} #{sys.argv[3]}: total {t['total_s']:7.2f} s  propagate {t['propagate_s']:7.2f} s  "
      f"snapshots on the stepping thread {s.get('snapshot_seconds', 0):6.2f} s ({100 * frac:5.2f} % of propagate)  "
      f"writer {sn.get('write_seconds') or 0:6.2f} s  load {open('/proc/loadavg').read().split()[0]}")
PY
  python3 -c "import json;d=json.load(open('$work/$v-$i/summary.json'));print(d['timings']['total_s'], d.get('snapshot_seconds', 0) / d['timings']['propagate_s'])" >>"$work/$v.times"
  [ -z "${KEEP:-}" ] || cp "$work/$v-$i/summary.json" "$KEEP/$v-$i.summary.json"
}
[ -z "${KEEP:-}" ] || mkdir -p "$KEEP"
for i in $(seq 1 "$repeats"); do
  for v in none sync background; do run "$v" "$i"; done
done
python3 - "$work" <<'PY'
import statistics, sys, os
w = sys.argv[1]
rows = {v: [tuple(map(float, x.split())) for x in open(os.path.join(w, v + ".times"))] for v in ("none", "sync", "background")}
med = {v: statistics.median(r[0] for r in rs) for v, rs in rows.items()}
for v, m in med.items(): print(f"median total {v:>10}: {m:7.2f} s")
for v in ("sync", "background"):
    print(f"ratio {v}/none: {med[v] / med['none']:.4f}  (overhead {100 * (med[v] / med['none'] - 1):+.1f} %; the bound is +5 %)")
    print(f"  median of the interleaved pairs' ratios: {statistics.median(a[0] / b[0] for a, b in zip(rows[v], rows['none'])):.4f}")
    print(f"  median time on the stepping thread in snapshots, per second of stepping (same run, load-independent): {100 * statistics.median(r[1] for r in rows[v]):.2f} %")
print("On a loaded machine (load above the core count) the totals vary by more than the bound between runs: read the")
print("per-run fractions, and rerun where the machine is quiet.")
PY
