package io.hartree.cli;

import io.hartree.api.FockKernels;

import com.fasterxml.jackson.databind.JsonNode;
import io.hartree.api.BackendSession;
import io.hartree.api.fock.*;
import io.hartree.api.io.AtomicFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Fock-space benchmark ({@code hartree bench --fock}): times exp(−itH)ψ at t = 1 and a
 * tolerance of 1e-10 for the 8-site Bose–Hubbard ring with N = 16 (dimension 245 157) and the
 * two-mode model with N = 10⁵ (J = U = 1, the peer's H, initial |N/2, N/2, 0, …⟩), and runs the
 * SciPy peer ../shared/peers/fock_expm_scipy.py (expm_multiply) on the same H and state in the
 * same run. Reported: build and evolution seconds (median of the repeats), products with H,
 * the error estimate, the peak JVM heap of each case and the peer's peak RSS, the ratio of
 * evolution times, and the largest |γ_ij − γ^peer_ji| (the peer prints the transpose).
 */
final class FockBench {
    private FockBench() {}

    record Case(String model, int sites, int particles) {
        String label() { return model.equals("ring") ? "ring M=" + sites + " N=" + particles : "twomode N=" + particles; }
    }

    static final List<Case> DEFAULT_CASES = List.of(new Case("ring", 8, 16), new Case("twomode", 2, 100_000));

    static int run(BackendSession session, List<Case> cases, double tol, double t, int repeats, boolean runPeer,
                   Path peerDir, int peerTimeoutS, String method, boolean matrixFree, Path outDir, PrintStream out) throws IOException, InterruptedException {
        FockKernels k = session.fock();
        Path peer = Peers.find(peerDir, "fock_expm_scipy.py");
        if (runPeer && peer == null) out.println("peer not found (fock_expm_scipy.py under ../shared/peers); running without it");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Case c : cases) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("case", c.label());
            resetPeaks();
            long heap0 = heapUsed();
            long b0 = System.nanoTime();
            FockBasis basis = new FockBasis(c.particles(), c.sites());
            FockHamiltonian fh = FockHamiltonian.of(basis, ModeIntegrals.ring(c.sites(), 1, 1));
            // matrix-free: on cuda the hop kernel (fock_hop_c128), on cpu engine-api's row gather.
            FockOperator h = matrixFree ? fh.matrixFree() : fh.toCsr();
            int[] occ = new int[c.sites()];
            occ[0] = c.particles() / 2;
            occ[1] = c.particles() - c.particles() / 2;
            double[] psi0 = FockStates.fock(basis, occ);
            double build = (System.nanoTime() - b0) / 1e9;
            ExpmvOptions opt = ExpmvOptions.of(tol).withMethod(ExpmvOptions.Method.valueOf(method.toUpperCase(Locale.ROOT)));
            // One run warms the JIT (the peer's NumPy kernels are compiled already); a run longer than
            // 10 s is not repeated and counts as the measurement (its JIT warm-up is negligible).
            double[] psi = psi0.clone();
            long w0 = System.nanoTime();
            ExpmvResult res = k.expmv(h, psi, t, opt);
            double warm = (System.nanoTime() - w0) / 1e9;
            double[] secs = new double[warm > 10 ? 1 : repeats];
            if (warm > 10) secs[0] = warm;
            else for (int r = 0; r < repeats; r++) {
                psi = psi0.clone();
                long e0 = System.nanoTime();
                res = k.expmv(h, psi, t, opt);
                secs[r] = (System.nanoTime() - e0) / 1e9;
            }
            double med = Peers.median(secs);
            double[] gamma = FockObservables.gamma1(basis, psi);
            row.put("dimension", basis.dimension());
            row.put("nnz", h.nonZeros());
            row.put("operator", matrixFree ? "matrix-free" : "csr");
            row.put("backend", session.backend());
            row.put("method", res.method());
            row.put("matvecs", res.matvecs());
            row.put("krylov_dimension", res.krylovDimension());
            row.put("sub_steps", res.steps());
            row.put("error_estimate", res.errorEstimate());
            row.put("seconds_build", build);
            row.put("seconds_evolve_median", med);
            row.put("seconds_evolve_all", secs);
            row.put("norm_final", FockObservables.norm(psi));
            row.put("peak_heap_mb", (peakHeap() - Math.min(heap0, peakHeap())) / 1048576.0);
            row.put("peak_heap_total_mb", peakHeap() / 1048576.0);
            out.printf(Locale.ROOT, "  %-18s dim %,d  nnz %,d (-1: matrix-free)  build %.3f s  evolve %.3f s (%s, %d products, err est %.1e)%n",
                    c.label(), basis.dimension(), h.nonZeros(), build, med, res.method(), res.matvecs(), res.errorEstimate());
            if (runPeer && peer != null) peer(peer, c, t, secs.length, peerTimeoutS, gamma, row, out);
            rows.add(row);
            h = null;
        }
        out.println();
        out.printf(Locale.ROOT, "%-18s %12s %10s %12s %10s %9s %10s %10s %12s%n", "case", "dim", "method", "evolve s", "products", "peer s", "peer/this", "heap MB", "peer RSS MB");
        for (Map<String, Object> r : rows)
            out.printf(Locale.ROOT, "%-18s %,12d %10s %12.3f %10d %9s %10s %10.0f %12s%n", r.get("case"), (Long) r.get("dimension"), r.get("method"),
                    (Double) r.get("seconds_evolve_median"), (Long) r.get("matvecs"),
                    r.containsKey("peer_seconds_median") ? String.format(Locale.ROOT, "%.3f", (Double) r.get("peer_seconds_median")) : "-",
                    r.containsKey("peer_over_this") ? String.format(Locale.ROOT, "%.2f", (Double) r.get("peer_over_this")) : "-",
                    (Double) r.get("peak_heap_mb"),
                    r.containsKey("peer_peak_rss_mb") ? String.format(Locale.ROOT, "%.0f", (Double) r.get("peer_peak_rss_mb")) : "-");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("command", "hartree bench --fock");
        doc.put("parameters", Map.of("tol", tol, "t", t, "repeats", repeats, "method", method, "J", 1.0, "U", 1.0));
        doc.put("device", session.device());
        doc.put("java", Runtime.version().toString());
        doc.put("cpus", Runtime.getRuntime().availableProcessors());
        doc.put("rows", rows);
        Files.createDirectories(outDir);
        AtomicFiles.writeString(outDir.resolve("fock.json"), Checkpoint.JSON.writeValueAsString(doc) + "\n");
        out.println("results: " + outDir.resolve("fock.json"));
        return 0;
    }

    private static void peer(Path script, Case c, double t, int repeats, int timeoutS, double[] gamma, Map<String, Object> row, PrintStream out)
            throws IOException, InterruptedException {
        // The wrapper reports the peer's peak resident memory (ru_maxrss, KiB on Linux) on stderr.
        String wrapper = "import resource, runpy, sys; sys.argv = sys.argv[1:]; "
                + "exec('try:\\n runpy.run_path(sys.argv[0], run_name=\"__main__\")\\nfinally:\\n sys.stderr.write(\"MAXRSS %d\\\\n\" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)')";
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", wrapper, script.toString(), c.model(), "--N", "" + c.particles(),
                "--t", "" + t, "--repeats", "" + repeats, "--methods", "expm"));
        if (c.model().equals("ring")) cmd.addAll(List.of("--M", "" + c.sites()));
        out.println("  peer: python3 " + script + " " + String.join(" ", cmd.subList(4, cmd.size())));
        Peers.Run pr = Peers.run(cmd, timeoutS);
        if (!pr.finished()) {
            row.put("peer_note", "did not finish within " + timeoutS + " s");
            out.println("  peer did not finish within " + timeoutS + " s (raise --fock-peer-timeout)");
            return;
        }
        String stderr = pr.stderr();
        if (pr.exit() != 0) {
            row.put("peer_note", "failed: " + stderr.strip());
            out.println("  peer failed: " + stderr.strip());
            return;
        }
        JsonNode j = pr.json();
        double ps = j.path("expm").path("seconds_median").asDouble(Double.NaN);
        row.put("peer_seconds_median", ps);
        row.put("peer_seconds_build", j.path("build_seconds").asDouble(Double.NaN));
        row.put("peer_over_this", ps / (Double) row.get("seconds_evolve_median"));
        for (String line : stderr.split("\n"))
            if (line.startsWith("MAXRSS ")) row.put("peer_peak_rss_mb", Long.parseLong(line.substring(7).trim()) / 1024.0);
        JsonNode g = j.path("expm").path("gamma1");
        int m = c.sites();
        double worst = 0;
        for (int a = 0; a < m; a++)
            for (int b = 0; b < m; b++) {
                // peer γ[a][b] = ⟨a_a†a_b⟩/N = ours γ_ba.
                worst = Math.max(worst, Math.abs(g.get(a).get(b).get(0).asDouble() - gamma[2 * (b * m + a)]));
                worst = Math.max(worst, Math.abs(g.get(a).get(b).get(1).asDouble() - gamma[2 * (b * m + a) + 1]));
            }
        row.put("max_gamma1_difference_vs_peer", worst);
        out.printf(Locale.ROOT, "  peer: evolve %.3f s (median), ratio peer/this %.2f, max |Δγ| %.1e%n", ps, ps / (Double) row.get("seconds_evolve_median"), worst);
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long peakHeap() {
        long s = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) if (p.getType() == MemoryType.HEAP) s += p.getPeakUsage().getUsed();
        return s;
    }
}
