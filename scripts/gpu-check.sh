#!/usr/bin/env bash
# gpu-check.sh OUTDIR: the CUDA backend's device check, in two halves (docs/gpu.md).
#  (a) On the build machine (JDK 25 + Maven here): build, jlink a runtime (only the modules the
#      jars need; debug info and native symbols stripped; zip-9), and pack it with the application
#      jars (without ND4J's/OpenBLAS's natives and without other platforms' natives), the JUnit
#      console launcher, engine-gpu's test classes, engine-api's test-jar (the conformance kit the
#      Cuda*Test classes extend) and the peers into ONE folder, gpu-pack/ at the
#      repository root (HARTREE_GPU_PACK overrides), < 55 MiB (measured, written to OUTDIR/pack.txt).
#  (b) On a CUDA machine (an NVIDIA GPU here; needs no Java, no Maven, no network): with the pack,
#      run the gpu-tagged tests, the conformance kit on both Hartree paths (Cuda*Test: the default
#      CudaHartreePropagator; CudaSplitStep*Test: HARTREE_CUDA_SPLITSTEP's SplitStepPropagator over
#      CudaSplitStepKernels) and the cross-backend suite (console launcher), `hartree backends`,
#      `hartree bench --backend cpu,cuda` and `hartree bench --backend cuda` at 256³ and 512³,
#      and the CuPy peer (hartree_cupy.py) in the same run; logs and results go to OUTDIR.
# Each half runs when its machine is detected; force one with GPU_CHECK_STEPS=pack|run|pack,run.
# Budget: (b) stops starting parts after 450 s (each part runs under `timeout`), for < 8 minutes.
set -uo pipefail
OUT="${1:?usage: scripts/gpu-check.sh OUTDIR}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PACK="${HARTREE_GPU_PACK:-$ROOT/gpu-pack}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
LIMIT_MIB=55
log() { echo "gpu-check: $*" | tee -a "$OUT/gpu-check.log"; }

find_jdk() {
  local d
  for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25* /usr/lib/jvm/*-25* /usr/lib/jvm/jdk-25*; do
    [ -n "$d" ] && [ -x "$d/bin/jlink" ] && "$d/bin/java" -version 2>&1 | grep -q 'version "25' && { echo "$d"; return 0; }
  done
  return 1
}
has_gpu() { [ -e /dev/nvidiactl ] || command -v nvidia-smi >/dev/null 2>&1; }

STEPS="${GPU_CHECK_STEPS:-}"
if [ -z "$STEPS" ]; then
  JDK=$(find_jdk) && command -v mvn >/dev/null 2>&1 && STEPS="pack"
  has_gpu && STEPS="${STEPS:+$STEPS,}run"
fi
[ -z "$STEPS" ] && { log "neither a JDK 25 with Maven (to pack) nor an NVIDIA GPU (to run) here: nothing to do"; exit 1; }
log "steps: $STEPS; pack: $PACK; out: $OUT"

pack() {
  local JDK; JDK=$(find_jdk) || { log "pack: no JDK 25 with jlink"; return 1; }
  export JAVA_HOME="$JDK" PATH="$JDK/bin:$PATH"
  log "pack: building with $JDK"
  (cd "$ROOT" && mvn -q -o -B -DskipTests package) >"$OUT/pack-build.log" 2>&1 \
    || (cd "$ROOT" && mvn -q -B -DskipTests package) >>"$OUT/pack-build.log" 2>&1 \
    || { log "pack: build failed, see pack-build.log"; return 1; }
  rm -rf "$PACK"; mkdir -p "$PACK/lib" "$PACK/test" "$PACK/peers" "$PACK/bin"
  # -DskipTests still compiles the test classes (engine-gpu/target/test-classes).
  # Application jars: everything the cli needs at run time, except ND4J and OpenBLAS (the cpu
  # backend's dense Fock algebra; Hartree needs neither) and any other platform's natives.
  local j keep=0 drop=0
  for j in "$ROOT"/cli/target/lib/*.jar; do
    case "$(basename "$j")" in
      nd4j-*|openblas-*|protobuf-1.0.0-M2.1*|guava-1.0.0-M2.1*|jackson-1.0.0-M2.1*|flatbuffers-*|oshi-*|jna-*) drop=$((drop+1)); continue;;
      pdfbox-*|fontbox-*) drop=$((drop+1)); continue;;   # XChart's PDF export; the engine draws PNGs only
      *-linux-arm64*|*-linux-ppc64le*|*-macosx-*|*-windows-*|*-android-*|*-ios-*) drop=$((drop+1)); continue;;
    esac
    cp "$j" "$PACK/lib/"; keep=$((keep+1))
  done
  cp "$ROOT/cli/target/hartree-cli.jar" "$PACK/lib/"
  (cd "$ROOT/engine-gpu/target/test-classes" && "$JDK/bin/jar" --create --file "$PACK/test/engine-gpu-tests.jar" .)
  # The conformance kit: abstract suites in engine-api's test-jar, extended by engine-gpu's Cuda*Test classes.
  cp "$ROOT"/engine-api/target/engine-api-*-tests.jar "$PACK/test/engine-api-tests.jar" \
    || { log "pack: engine-api's test-jar (the conformance kit) not built"; return 1; }
  local jcs="$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/1.11.4/junit-platform-console-standalone-1.11.4.jar"
  [ -f "$jcs" ] || (cd "$ROOT" && mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get \
      -Dartifact=org.junit.platform:junit-platform-console-standalone:1.11.4) >>"$OUT/pack-build.log" 2>&1
  cp "$jcs" "$PACK/test/" || { log "pack: junit-platform-console-standalone 1.11.4 not available"; return 1; }
  cp "$ROOT"/../shared/peers/hartree_cupy.py "$ROOT"/../shared/peers/hartree_numpy.py "$PACK/peers/" 2>/dev/null \
    || cp /work/shared/peers/hartree_cupy.py /work/shared/peers/hartree_numpy.py "$PACK/peers/" 2>/dev/null \
    || log "pack: peers not found beside the repository (../shared/peers): the CuPy comparison will be skipped"
  # Modules: jdeps over the application and test jars (class path mode), plus the ones jdeps
  # found per jar once (java.logging: JUL in JUnit and JavaCPP; java.sql: Jackson; java.desktop:
  # the PNG figures, drawn by the cli part).
  local mods
  mods=$("$JDK/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 \
      --class-path "$(ls "$PACK"/lib/*.jar "$PACK"/test/*.jar | tr '\n' ':')" \
      "$PACK/lib/hartree-cli.jar" "$PACK/lib/engine-gpu-0.1.0-SNAPSHOT.jar" "$PACK/lib/engine-cpu-0.1.0-SNAPSHOT.jar" \
      "$PACK/lib/engine-api-0.1.0-SNAPSHOT.jar" "$PACK/test/engine-gpu-tests.jar" "$PACK/test/engine-api-tests.jar" 2>>"$OUT/pack-build.log")
  mods=$(echo "$mods,java.base,java.desktop,java.logging,java.sql,jdk.unsupported" | tr ',' '\n' | grep -v '^$' | sort -u | paste -sd,)
  log "pack: jlink modules $mods"
  # --strip-debug does not strip libjvm.so when linking from the run-time image (no jmods in this
  # JDK): strip the native libraries afterwards.
  "$JDK/bin/jlink" --add-modules "$mods" --strip-debug --no-header-files --no-man-pages --compress=zip-9 \
      --output "$PACK/runtime" >>"$OUT/pack-build.log" 2>&1 || { log "pack: jlink failed"; return 1; }
  command -v strip >/dev/null && find "$PACK/runtime" -name '*.so' -exec strip --strip-unneeded {} + 2>/dev/null
  cp "$ROOT/scripts/gpu-check.sh" "$PACK/bin/"
  local mib; mib=$(du -sm "$PACK" | cut -f1)
  if [ "$mib" -ge "$LIMIT_MIB" ]; then
    # The runtime (libjvm.so is half of it) compresses to ~60 %; the device unpacks it with tar + gzip.
    (cd "$PACK" && GZIP=-9 tar -czf runtime.tar.gz runtime && rm -rf runtime)
    mib=$(du -sm "$PACK" | cut -f1)
    log "pack: runtime stored as runtime.tar.gz"
  fi
  { echo "pack: $PACK"; echo "size: $(du -sb "$PACK" | cut -f1) bytes ($mib MiB, limit $LIMIT_MIB MiB)";
    echo "jars kept: $keep, dropped: $drop"; echo "modules: $mods"; du -sh "$PACK"/* ; } | tee "$OUT/pack.txt"
  [ "$mib" -lt "$LIMIT_MIB" ] || { log "pack: $mib MiB is over the $LIMIT_MIB MiB limit"; return 1; }
}

# The run step is split into parts, chosen by GPU_CHECK_PARTS (comma-separated; default all, in
# this order): smi (nvidia-smi, a CuPy device-to-device copy for the bandwidth ceiling), backends,
# tests (gpu-tagged, the conformance kit on both Hartree paths, cross-backend; without the large-sector ones), bench (cpu,cuda at 64/128
# with the NumPy peer), bench256 (cuda 256³ periodic and the CuPy peer at 128/256), padded,
# fock (ring M=8 N=16, CSR and matrix-free), cli (the user's commands on cuda and cpu, compared), big (512³, the 10⁸-state Lanczos bench, the
# gpu-large tests). GPU_CHECK_BUDGET (seconds, default 450): no part starts once it is spent.
BUDGET="${GPU_CHECK_BUDGET:-450}"
PARTS=",${GPU_CHECK_PARTS:-smi,backends,tests,bench,bench256,padded,fock,cli,big},"
want() { case "$PARTS" in *,"$1",*) return 0;; esac; return 1; }
T0=$SECONDS
left() { local r=$((BUDGET - (SECONDS - T0))); [ "$r" -lt "$1" ] && echo $((r > 0 ? r : 0)) || echo "$1"; }
tmo() { local t; t=$(left "$1"); shift; [ "$t" -ge 10 ] || { log "run: budget spent, skipped: $*"; return 124; }; timeout -k 5 "$t" "$@"; }

run() {
  T0=$SECONDS
  [ -d "$PACK" ] || { log "run: no pack at $PACK (run the pack step on the build machine and carry the folder)"; return 1; }
  local RT="$PACK/runtime"
  if [ ! -x "$RT/bin/java" ] && [ -f "$PACK/runtime.tar.gz" ]; then
    RT="${TMPDIR:-/tmp}/hartree-runtime"; rm -rf "$RT"; mkdir -p "$RT"
    tar -xzf "$PACK/runtime.tar.gz" -C "$RT" --strip-components=1 || { log "run: cannot unpack the runtime"; return 1; }
  fi
  local JAVA="$RT/bin/java"
  # A JVM crash in native code leaves its hs_err file in OUTDIR.
  local FLAGS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xss4m -Xmx24g
               "-XX:ErrorFile=$OUT/hs_err_%p.log")
  local CP; CP="$(ls "$PACK"/lib/*.jar | tr '\n' ':')$PACK/test/engine-gpu-tests.jar:$PACK/test/engine-api-tests.jar"
  local H=("$JAVA" "${FLAGS[@]}" -cp "$CP" io.hartree.cli.Main)
  local JUNIT=("$JAVA" "${FLAGS[@]}" -jar "$PACK/test/junit-platform-console-standalone-1.11.4.jar" execute
               --class-path "$CP" --details=tree --disable-banner --disable-ansi-colors)
  local CUPY=0; python3 -c 'import cupy' >/dev/null 2>&1 && CUPY=1
  # cupy_peer CONV STEPS REPEATS N...: hartree_cupy.py at each N into peer-cupy[-padded]-N.json.
  cupy_peer() {
    local conv=$1 steps=$2 reps=$3 n f; shift 3
    [ $CUPY = 1 ] || { log "run: CuPy peer skipped: python3 cannot import cupy here"; return; }
    for n in "$@"; do
      f="$OUT/peer-cupy$([ "$conv" = padded ] && echo -padded)-$n"
      tmo 60 python3 "$PACK/peers/hartree_cupy.py" --n "$n" --conv "$conv" --steps "$steps" --repeats "$reps" >"$f.json" 2>"$f.err"
      log "run: cupy peer $conv n=$n exit $?: $(grep -o '"sec_per_step_median": [0-9.e-]*' "$f.json")"
    done
  }
  if want smi; then
    (nvidia-smi; nvidia-smi --query-gpu=name,memory.total,memory.free,driver_version,clocks.max.memory --format=csv) >"$OUT/nvidia-smi.txt" 2>&1
    log "run: $(grep -m1 -E 'H100|H200|A100|NVIDIA' "$OUT/nvidia-smi.txt" | tr -s ' ' | cut -c1-120)"
    if [ $CUPY = 1 ]; then
      tmo 40 python3 - >"$OUT/bandwidth.txt" 2>&1 <<'PY'
import cupy as cp
a = cp.ones(2**28, dtype=cp.float64); b = cp.empty_like(a)   # 2 GiB each
s, e = cp.cuda.Event(), cp.cuda.Event(); ts = []
for i in range(25):
    s.record(); cp.copyto(b, a); e.record(); e.synchronize(); ts.append(cp.cuda.get_elapsed_time(s, e))
ts = sorted(ts[5:]); ms = ts[len(ts) // 2]
print("d2d copy: %.3f ms for 2 x %.3f GB: %.0f GB/s (read + write), %s" % (ms, a.nbytes / 1e9, 2 * a.nbytes / 1e9 / (ms / 1e3),
      cp.cuda.runtime.getDeviceProperties(0)['name'].decode()))
PY
      log "run: $(cat "$OUT/bandwidth.txt" | tail -1)"
    fi
  fi
  if want backends; then
    tmo 60 "${H[@]}" backends >"$OUT/backends.txt" 2>&1
    log "run: backends exit $?: $(grep '^cuda' "$OUT/backends.txt" | cut -c1-300)"
  fi
  if want tests; then
    tmo 180 "${JUNIT[@]}" --select-class io.hartree.gpu.CudaBindingCheckTest --select-class io.hartree.gpu.CudaDeviceTest \
        --select-class io.hartree.gpu.CrossBackendTest --exclude-tag gpu-large --reports-dir "$OUT/junit" >"$OUT/tests.txt" 2>&1
    log "run: tests exit $? ($(grep -E 'tests (successful|failed|aborted|skipped)' "$OUT/tests.txt" | tr -s ' ' | paste -sd';'))"
    # The conformance kit on both paths: Cuda*Test (default CudaHartreePropagator) and CudaSplitStep*Test
    # (each sets -Dhartree.cuda.splitstep=true for its class: SplitStepPropagator over CudaSplitStepKernels).
    tmo 240 "${JUNIT[@]}" --select-package io.hartree.gpu.conformance --exclude-tag gpu-large \
        --reports-dir "$OUT/junit-conformance" >"$OUT/tests-conformance.txt" 2>&1
    log "run: conformance (both paths) exit $? ($(grep -E 'tests (successful|failed|aborted|skipped)' "$OUT/tests-conformance.txt" | tr -s ' ' | paste -sd';'))"
  fi
  if want bench; then
    tmo 90 "${H[@]}" bench --backend cpu,cuda --grid 64,128 --conv periodic --steps 10 --repeats 5 \
        --peer-dir "$PACK/peers" --out "$OUT/bench-cpu-cuda" >"$OUT/bench-cpu-cuda.txt" 2>&1
    log "run: bench cpu,cuda exit $?"
  fi
  if want bench256; then
    tmo 60 "${H[@]}" bench --backend cuda --grid 128,256 --conv periodic --steps 50 --repeats 5 --no-peer \
        --out "$OUT/bench-cuda-256" >"$OUT/bench-cuda-256.txt" 2>&1
    log "run: bench cuda 128/256 exit $?: $(grep -m1 -o 'step: .*' "$OUT/bench-cuda-256.txt" | cut -c1-300)"
    # The same with the elementwise passes as separate kernels (no cuFFT callbacks), same run.
    HARTREE_CUDA_FUSED_FFT=0 tmo 60 "${H[@]}" bench --backend cuda --grid 128,256 --conv periodic --steps 50 --repeats 5 --no-peer \
        --out "$OUT/bench-cuda-256-separate" >"$OUT/bench-cuda-256-separate.txt" 2>&1
    log "run: bench cuda 128/256, separate kernels, exit $?"
    # The CuPy peer, same parameters (L = 16, ν = 1, λ = σ = 1, dt = 1e-3), same GPU, same run.
    cupy_peer periodic 50 5 128 256
  fi
  if want padded; then
    tmo 60 "${H[@]}" bench --backend cuda --grid 128,256 --conv padded --steps 20 --repeats 5 --no-peer \
        --out "$OUT/bench-cuda-padded" >"$OUT/bench-cuda-padded.txt" 2>&1
    log "run: bench cuda padded exit $?"
    cupy_peer padded 20 5 128 256
  fi
  if want fock; then
    tmo 60 "${H[@]}" bench --fock --backend cuda --fock-cases ring:8:16 --fock-operator csr --repeats 3 --no-peer \
        --out "$OUT/bench-fock-csr" >"$OUT/bench-fock-csr.txt" 2>&1
    log "run: bench fock csr exit $?: $(grep -E '^ *ring' "$OUT/bench-fock-csr.txt" | tr -s ' ' | paste -sd';')"
    tmo 60 "${H[@]}" bench --fock --backend cuda --fock-cases ring:8:16 --fock-operator matrix-free --fock-method lanczos \
        --repeats 3 --no-peer --out "$OUT/bench-fock-mf" >"$OUT/bench-fock-mf.txt" 2>&1
    log "run: bench fock matrix-free exit $?: $(grep -E '^ *ring' "$OUT/bench-fock-mf.txt" | tr -s ' ' | paste -sd';')"
  fi
  if want cli; then
    # The user's commands on the device: hartree run on cuda and cpu (same physics, compared),
    # single precision, ground-state on both, an interrupted cuda run resumed against a straight
    # one, and hartree fock's default on cuda.
    local R="$OUT/cli"; mkdir -p "$R"
    for b in cpu cuda; do
      tmo 120 "${H[@]}" run --backend $b --grid 96 --time 0.1 --observe-every 25 --out "$R/run-$b" >"$R/run-$b.txt" 2>&1
      log "run: hartree run --backend $b exit $?: $(grep -E '^(done|warning)' "$R/run-$b.txt" | paste -sd' ')"
    done
    tmo 60 "${H[@]}" run --backend cuda --precision single --grid 96 --time 0.1 --observe-every 25 --out "$R/run-single" >"$R/run-single.txt" 2>&1
    log "run: hartree run --precision single exit $?: $(grep -E '^(done|warning)' "$R/run-single.txt" | paste -sd' ')"
    for b in cpu cuda; do
      tmo 120 "${H[@]}" ground-state --backend $b --grid 64 --out "$R/gs-$b" >"$R/gs-$b.txt" 2>&1
      log "run: hartree ground-state --backend $b exit $?: $(grep -E '^(converged|not converged|warning)' "$R/gs-$b.txt" | paste -sd' ')"
    done
    local A=(--backend cuda --grid 256 --time 3 --observe-every 10)
    tmo 60 "${H[@]}" run "${A[@]}" --out "$R/straight" >"$R/straight.txt" 2>&1
    log "run: straight 256^3 run exit $?: $(grep -E '^done' "$R/straight.txt")"
    timeout -k 5 60 "${H[@]}" run "${A[@]}" --out "$R/resumed" >"$R/resumed-1.txt" 2>&1 &
    local pid=$!; sleep 5; kill -TERM $pid 2>/dev/null; wait $pid; local k=$?
    tmo 60 "${H[@]}" run --resume "$R/resumed" >"$R/resumed-2.txt" 2>&1; local rr=$?
    log "run: interrupted (exit $k: $(grep -E '^(interrupted|stopped)' "$R/resumed-1.txt" | cut -c1-60)), resumed exit $rr: $(grep -E '^done' "$R/resumed-2.txt")"
    tmo 120 "${H[@]}" fock --backend cuda --out "$R/fock-cuda" >"$R/fock-cuda.txt" 2>&1
    log "run: hartree fock --backend cuda exit $?: $(grep -E '^(fock|warning)' "$R/fock-cuda.txt" | paste -sd' ' | cut -c1-300)"
    tmo 30 python3 - "$R" >"$R/compare.txt" 2>&1 <<'PY'
import json, sys, numpy as np
R = sys.argv[1]
def rel(a, b): return np.linalg.norm(a - b) / np.linalg.norm(a)
def load(d): return np.load(f"{R}/{d}/psi_final.npy")
def obs(d): return np.genfromtxt(f"{R}/{d}/observables.csv", delimiter=",", names=True)
for x, y in [("run-cpu", "run-cuda"), ("run-cuda", "run-single"), ("gs-cpu", "gs-cuda"), ("straight", "resumed")]:
    try:
        a, b = load(x), load(y); oa, ob = obs(x), obs(y)
        print("%s vs %s: psi %s, |psi_a - psi_b|/|psi_a| = %.3e; final energy %.15f vs %.15f (rel %.2e), <x2> rel %.2e"
              % (x, y, a.shape, rel(a, b), oa["energy"][-1], ob["energy"][-1], abs(oa["energy"][-1] / ob["energy"][-1] - 1), abs(oa["x2"][-1] / ob["x2"][-1] - 1)))
    except Exception as e:
        print("%s vs %s: %s" % (x, y, e))
PY
    while read -r l; do log "run: $l"; done <"$R/compare.txt"
    ls "$R"/run-cuda/*.png >/dev/null 2>&1 && log "run: PNGs drawn: $(ls "$R"/run-cuda/*.png | xargs -n1 basename | paste -sd' ')"
    # The states (up to 268 MB each at 256³) are compared above; the device tool brings back 16 MiB files.
    find "$R" -name '*.npy' -delete
  fi
  if want big; then
    tmo 90 "${H[@]}" bench --backend cuda --grid 512 --conv periodic --steps 10 --repeats 3 --no-peer \
        --out "$OUT/bench-cuda-512" >"$OUT/bench-cuda-512.txt" 2>&1
    log "run: bench cuda 512 exit $?"
    cupy_peer periodic 10 3 512
    tmo 150 "${H[@]}" bench --fock --backend cuda --fock-cases ring:8:43 --fock-operator matrix-free --fock-method lanczos \
        --repeats 1 --no-peer --out "$OUT/bench-fock-1e8" >"$OUT/bench-fock-1e8.txt" 2>&1
    log "run: bench fock 10^8 exit $?: $(grep -E '^ *ring' "$OUT/bench-fock-1e8.txt" | tr -s ' ' | paste -sd';')"
    tmo 200 "${JUNIT[@]}" --select-class io.hartree.gpu.CudaDeviceTest --include-tag gpu-large \
        --reports-dir "$OUT/junit-large" >"$OUT/tests-large.txt" 2>&1
    log "run: large tests exit $? ($(grep -E 'tests (successful|failed|aborted|skipped)' "$OUT/tests-large.txt" | tr -s ' ' | paste -sd';'))"
  fi
  # Roofline: bytes one 256³ double periodic Strang step must move (docs/gpu.md): 212 bytes/point,
  # against the copy bandwidth measured above (or an H100's 3000 GB/s when CuPy is absent); and the
  # step's FFT floor: two Z2Z plus the D2Z+Z2D pair, timed alone by the same bench.
  local csv="$OUT/bench-cuda-256/results.csv" bw
  bw=$(sed -n 's/.*: \([0-9]*\) GB\/s.*/\1/p' "$OUT/bandwidth.txt" 2>/dev/null | head -1)
  local bwwhat="the measured copy bandwidth"; [ -n "$bw" ] || { bw=3000; bwwhat="an H100's nominal (not measured here)"; }
  if [ -f "$csv" ]; then
    local sep; sep=$(awk -F, '$1=="hartree-step" && $2=="cuda" && $3==256 {print $7}' "$OUT/bench-cuda-256-separate/results.csv" 2>/dev/null | head -1)
    # The 212 B/point are the separate-kernel step's minimum; the fused step (callbacks) must move
    # 116 B/point (the four transforms' ideal passes plus the callbacks' rho write, table and V*rho reads).
    awk -F, -v bw="$bw" -v bwwhat="$bwwhat" -v sep="$sep" '$2=="cuda" && $3==256 { if ($1=="hartree-step" && $4 ~ /periodic/) { ms=$7; fused = ($0 ~ /LTO callbacks/) } if ($1=="fft" && $4 ~ /complex/) z=$7; if ($1=="fft" && $4 ~ /pair/) p=$7 }
      END { if (ms == "") exit; N = 256^3; b = 212 * N; f = 2*z + p;
        printf "roofline: 256^3 periodic double, %s: %.3f ms/step; against 212 B/point (%.3f GB, the separate-kernel minimum) %.0f%% of %s %d GB/s, %.0f%% of 3000 GB/s\n", fused ? "fused (cuFFT callbacks)" : "separate kernels", ms, b/1e9, 100*b/1e9/(ms/1e3)/bw, bwwhat, bw, 100*b/1e9/(ms/1e3)/3000;
        if (fused) printf "fused step against its own minimum, 116 B/point (%.3f GB): %.0f GB/s, %.0f%% of %d GB/s\n", 116*N/1e9, 116*N/1e9/(ms/1e3), 100*116*N/1e9/(ms/1e3)/bw, bw;
        if (sep != "") printf "separate kernels (HARTREE_CUDA_FUSED_FFT=0): %.3f ms/step, %.0f%% of %d GB/s against 212 B/point\n", sep, 100*b/1e9/(sep/1e3)/bw, bw;
        if (z != "" && p != "") printf "fft floor: 2 x Z2Z %.3f + D2Z/Z2D pair %.3f = %.3f ms (%.0f%% of the step); the rest: %.3f ms%s\n", z, p, f, 100*f/ms, ms-f, fused ? " (the callbacks inside the transforms)" : sprintf(", the separate kernels moving 116 B/point at %.0f GB/s", 116*N/1e9/((ms-f)/1e3)) }' "$csv" | tee -a "$OUT/gpu-check.log"
  fi
  ls "$OUT"/hs_err_*.log >/dev/null 2>&1 && log "run: JVM crash logs: $(ls "$OUT"/hs_err_*.log | xargs -n1 basename | paste -sd' ')"
  return 0
}

rc=0
case ",$STEPS," in *,pack,*) pack || rc=1;; esac
case ",$STEPS," in *,run,*) run || rc=1;; esac
log "done (exit $rc)"
exit $rc
