#!/usr/bin/env bash
# gpu-check.sh OUTDIR: the CUDA backend's device check, in two halves (docs/gpu.md).
#  (a) On the build machine (JDK 25 + Maven here): build, jlink a runtime (only the modules the
#      jars need; debug info and native symbols stripped; zip-9), and pack it with the application
#      jars (without ND4J's/OpenBLAS's natives and without other platforms' natives), the JUnit
#      console launcher, engine-gpu's test classes and the peers into ONE folder, gpu-pack/ at the
#      repository root (HARTREE_GPU_PACK overrides), < 55 MiB (measured, written to OUTDIR/pack.txt).
#  (b) On a CUDA machine (an NVIDIA GPU here; needs no Java, no Maven, no network): with the pack,
#      run the gpu-tagged tests and the cross-backend suite (console launcher), `hartree backends`,
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
      *-linux-arm64*|*-linux-ppc64le*|*-macosx-*|*-windows-*|*-android-*|*-ios-*) drop=$((drop+1)); continue;;
    esac
    cp "$j" "$PACK/lib/"; keep=$((keep+1))
  done
  cp "$ROOT/cli/target/hartree-cli.jar" "$PACK/lib/"
  (cd "$ROOT/engine-gpu/target/test-classes" && "$JDK/bin/jar" --create --file "$PACK/test/engine-gpu-tests.jar" .)
  local jcs="$HOME/.m2/repository/org/junit/platform/junit-platform-console-standalone/1.11.4/junit-platform-console-standalone-1.11.4.jar"
  [ -f "$jcs" ] || (cd "$ROOT" && mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get \
      -Dartifact=org.junit.platform:junit-platform-console-standalone:1.11.4) >>"$OUT/pack-build.log" 2>&1
  cp "$jcs" "$PACK/test/" || { log "pack: junit-platform-console-standalone 1.11.4 not available"; return 1; }
  cp "$ROOT"/../shared/peers/hartree_cupy.py "$ROOT"/../shared/peers/hartree_numpy.py "$PACK/peers/" 2>/dev/null \
    || cp /work/shared/peers/hartree_cupy.py /work/shared/peers/hartree_numpy.py "$PACK/peers/" 2>/dev/null \
    || log "pack: peers not found beside the repository (../shared/peers): the CuPy comparison will be skipped"
  # Modules: jdeps over the application and test jars (class path mode), plus the ones jdeps
  # found per jar once (java.logging: JUL in JUnit and JavaCPP; java.sql: Jackson); no java.desktop
  # (plots are not part of the check).
  local mods
  mods=$("$JDK/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release 25 \
      --class-path "$(ls "$PACK"/lib/*.jar "$PACK"/test/*.jar | tr '\n' ':')" \
      "$PACK/lib/hartree-cli.jar" "$PACK/lib/engine-gpu-0.1.0-SNAPSHOT.jar" "$PACK/lib/engine-cpu-0.1.0-SNAPSHOT.jar" \
      "$PACK/lib/engine-api-0.1.0-SNAPSHOT.jar" "$PACK/test/engine-gpu-tests.jar" 2>>"$OUT/pack-build.log")
  mods=$(echo "$mods,java.base,java.logging,java.sql,jdk.unsupported" | tr ',' '\n' | grep -v '^$' | grep -v '^java.desktop$' | sort -u | paste -sd,)
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

# Seconds left of the run's 450 s budget (8 minutes on the device minus start-up and copies),
# capped at the part's own limit $1; 0 when the budget is spent.
T0=$SECONDS
left() { local r=$((450 - (SECONDS - T0))); [ "$r" -lt "$1" ] && echo $((r > 0 ? r : 0)) || echo "$1"; }
tmo() { local t; t=$(left "$1"); shift; [ "$t" -ge 10 ] || { log "run: budget spent, skipped: $*"; return 124; }; timeout "$t" "$@"; }

run() {
  T0=$SECONDS
  [ -d "$PACK" ] || { log "run: no pack at $PACK (run the pack step on the build machine and carry the folder)"; return 1; }
  local RT="$PACK/runtime"
  if [ ! -x "$RT/bin/java" ] && [ -f "$PACK/runtime.tar.gz" ]; then
    RT="${TMPDIR:-/tmp}/hartree-runtime"; rm -rf "$RT"; mkdir -p "$RT"
    tar -xzf "$PACK/runtime.tar.gz" -C "$RT" --strip-components=1 || { log "run: cannot unpack the runtime"; return 1; }
  fi
  local JAVA="$RT/bin/java"
  local FLAGS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Xss4m -Xmx16g)
  local CP; CP="$(ls "$PACK"/lib/*.jar | tr '\n' ':')$PACK/test/engine-gpu-tests.jar"
  (nvidia-smi; nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.memory --format=csv) >"$OUT/nvidia-smi.txt" 2>&1
  log "run: $(head -1 "$OUT/nvidia-smi.txt" 2>/dev/null)"
  tmo 60 "$JAVA" "${FLAGS[@]}" -cp "$CP" io.hartree.cli.Main backends >"$OUT/backends.txt" 2>&1
  log "run: backends: $(grep '^cuda' "$OUT/backends.txt")"
  # The gpu-tagged tests and the cross-backend suite (its cpu cases too), with JUnit XML reports.
  tmo 150 "$JAVA" "${FLAGS[@]}" -jar "$PACK/test/junit-platform-console-standalone-1.11.4.jar" execute \
      --class-path "$CP" --select-class io.hartree.gpu.CudaBindingCheckTest --select-class io.hartree.gpu.CudaDeviceTest \
      --select-class io.hartree.gpu.CrossBackendTest --reports-dir "$OUT/junit" --details=tree --disable-banner \
      >"$OUT/tests.txt" 2>&1
  log "run: tests exit $? ($(grep -E 'tests (successful|failed|aborted)' "$OUT/tests.txt" | tr -s ' ' | paste -sd';'))"
  # Benchmarks: cpu vs cuda at 64³/128³ periodic with the NumPy peer; cuda alone at 256³ and 512³
  # periodic (the issue's figures) and 256³ padded.
  tmo 120 "$JAVA" "${FLAGS[@]}" -cp "$CP" io.hartree.cli.Main bench --backend cpu,cuda --grid 64,128 \
      --conv periodic --steps 10 --repeats 5 --peer-dir "$PACK/peers" --out "$OUT/bench-cpu-cuda" >"$OUT/bench-cpu-cuda.txt" 2>&1
  log "run: bench cpu,cuda exit $?"
  tmo 100 "$JAVA" "${FLAGS[@]}" -cp "$CP" io.hartree.cli.Main bench --backend cuda --grid 256,512 --conv periodic \
      --steps 50 --repeats 5 --no-peer --out "$OUT/bench-cuda-256-512" >"$OUT/bench-cuda.txt" 2>&1
  log "run: bench cuda 256/512 exit $?"
  tmo 60 "$JAVA" "${FLAGS[@]}" -cp "$CP" io.hartree.cli.Main bench --backend cuda --grid 128,256 --conv padded \
      --steps 20 --repeats 5 --no-peer --out "$OUT/bench-cuda-padded" >"$OUT/bench-cuda-padded.txt" 2>&1
  log "run: bench cuda padded exit $?"
  # The CuPy peer, same parameters (L = 16, ν = 1, λ = σ = 1, dt = 1e-3), same GPU, same run.
  if python3 -c 'import cupy' >/dev/null 2>&1; then
    for n in 128 256; do
      tmo 60 python3 "$PACK/peers/hartree_cupy.py" --n $n --steps 50 --repeats 5 >"$OUT/peer-cupy-$n.json" 2>"$OUT/peer-cupy-$n.err"
      log "run: cupy peer n=$n exit $?: $(cut -c1-200 "$OUT/peer-cupy-$n.json")"
    done
  else
    log "run: CuPy peer skipped: python3 cannot import cupy here"
  fi
  # Fock space on the device, last (the Hartree figures above come first): the ring M=8 N=16 by
  # CSR and by the matrix-free hop kernel, then the 10^8-state sector (ring M=8 N=43) matrix-free.
  tmo 60 "$JAVA" "${FLAGS[@]}" -cp "$CP" io.hartree.cli.Main bench --fock --backend cuda --fock-cases ring:8:16 \
      --fock-operator csr --repeats 3 --no-peer --out "$OUT/bench-fock-csr" >"$OUT/bench-fock-csr.txt" 2>&1
  log "run: bench fock csr exit $?: $(grep -E '^ring' "$OUT/bench-fock-csr.txt" | tr -s ' ')"
  tmo 150 "$JAVA" "${FLAGS[@]}" -cp "$CP" io.hartree.cli.Main bench --fock --backend cuda --fock-cases ring:8:16,ring:8:43 \
      --fock-operator matrix-free --fock-method lanczos --repeats 3 --no-peer --out "$OUT/bench-fock-mf" >"$OUT/bench-fock-mf.txt" 2>&1
  log "run: bench fock matrix-free exit $?: $(grep -E '^ring' "$OUT/bench-fock-mf.txt" | tr -s ' ' | paste -sd';')"
  # Roofline: bytes one 256³ double periodic Strang step must move (docs/gpu.md): 212 bytes/point.
  local ms; ms=$(awk -F, '$1=="hartree-step" && $2=="cuda" && $3==256 && $4 ~ /periodic/ {print $7}' "$OUT/bench-cuda-256-512/results.csv" 2>/dev/null | head -1)
  if [ -n "$ms" ]; then
    awk -v ms="$ms" 'BEGIN { b = 212 * 256^3; printf "roofline: 256^3 periodic double: %.3f ms/step, %.3f GB moved, %.0f GB/s (H100 ~3000 GB/s: %.0f%%)\n", ms, b/1e9, b/1e9/(ms/1e3), 100*b/1e9/(ms/1e3)/3000 }' | tee -a "$OUT/gpu-check.log"
  fi
}

rc=0
case ",$STEPS," in *,pack,*) pack || rc=1;; esac
case ",$STEPS," in *,run,*) run || rc=1;; esac
log "done (exit $rc)"
exit $rc
