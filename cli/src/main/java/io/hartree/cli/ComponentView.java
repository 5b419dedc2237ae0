package io.hartree.cli;

import io.hartree.api.HartreePropagator;
import io.hartree.api.Observables;
import io.hartree.api.model.Components;
import io.hartree.api.model.HartreeProblem;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

/**
 * The K components of a {@code --components} run seen by the commands as one state: {@link #load}
 * sets component i to its initial state (its own or the given one) with norm p_i; {@link #observe}
 * returns the totals (norm, energy and its parts summed; ⟨x⟩, ⟨|x|²⟩, μ and edge mass weighted by
 * the component norms; overlap0 = Σ_i |⟨φ⁰, ψ_i⟩|²; spectral tail the largest) and keeps the
 * per-component norms and energies for observables.csv; {@link #store} gives the amplitude
 * √(Σ_i |ψ_i|²) (real) for figures and snapshots, {@link #storeAll} every component.
 */
final class ComponentView implements HartreePropagator {
    private final HartreePropagator p;
    private final Components c;
    private final MemorySegment[] initials;
    private final Arena arena;
    private Observables lastTotal;
    private double[] lastColumns;

    /** @param initials the sampled initial state of each component, null = the run's own */
    ComponentView(HartreePropagator p, Components c, MemorySegment[] initials, Arena arena) {
        this.p = p;
        this.c = c;
        this.initials = initials;
        this.arena = arena;
    }

    int k() { return c.k(); }

    /** The column names after the standard ones: norm_1, energy_1, ..., norm_K, energy_K. */
    String columns() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= c.k(); i++) sb.append(",norm_").append(i).append(",energy_").append(i);
        return sb.toString();
    }

    /** The per-component values of the observation {@code o} ({@link #observe}'s last result), else null. */
    double[] columnsOf(Observables o) { return o == lastTotal ? lastColumns : null; }

    @Override public HartreeProblem problem() { return p.problem(); }

    @Override public double time() { return p.time(); }

    @Override public void setTime(double t) { p.setTime(t); }

    @Override public void advance(int steps) { p.advance(steps); }

    @Override public List<String> warnings() { return p.warnings(); }

    @Override public String implementation() { return p.implementation() + ", " + c.k() + " components"; }

    @Override public void load(double[] psi, double t) { load(MemorySegment.ofArray(psi), t); }

    @Override
    public void load(MemorySegment psi, double t) {
        double dV = p.problem().grid().dV();
        long len = psi.byteSize() / Double.BYTES;
        double[] a = new double[Math.toIntExact(len)];
        for (int i = 0; i < c.k(); i++) {
            MemorySegment src = initials[i] == null ? psi : initials[i];
            MemorySegment.copy(src, JAVA_DOUBLE, 0, a, 0, a.length);
            double s = 0;
            for (double x : a) s += x * x;
            double f = s == 0 ? 0 : Math.sqrt(c.populations()[i] / (s * dV));
            for (int q = 0; q < a.length; q++) a[q] *= f;
            p.load(i, a);
        }
        p.setTime(t);
    }

    @Override
    public Observables observe() {
        int k = c.k();
        double norm = 0, e = 0, kin = 0, trap = 0, inter = 0, mu = 0, mx = 0, my = 0, mz = 0, x2 = 0, ov = 0, edge = 0, tail = 0;
        double[] cols = new double[2 * k];
        for (int i = 0; i < k; i++) {
            Observables o = p.observe(i);
            cols[2 * i] = o.norm();
            cols[2 * i + 1] = o.energy();
            norm += o.norm(); e += o.energy(); kin += o.kinetic(); trap += o.trap(); inter += o.interaction();
            double w = o.norm();
            if (w > 0) {
                mu += w * o.chemicalPotential(); mx += w * o.meanX(); my += w * o.meanY(); mz += w * o.meanZ();
                x2 += w * o.x2(); edge += w * o.edgeMass();
            }
            ov += o.overlap0();
            tail = Math.max(tail, o.spectralTail());
        }
        Observables t = new Observables(p.time(), norm, e, kin, trap, inter, mu / norm, mx / norm, my / norm, mz / norm, x2 / norm,
                ov, edge / norm, tail);
        lastTotal = t;
        lastColumns = cols;
        return t;
    }

    @Override public void store(double[] psi) { store(MemorySegment.ofArray(psi)); }

    /** psi ← √(Σ_i |ψ_i|²), real: the total density's amplitude. */
    @Override
    public void store(MemorySegment psi) {
        long len = psi.byteSize() / Double.BYTES;
        double[] rho = new double[Math.toIntExact(len / 2)];
        double[] a = new double[Math.toIntExact(len)];
        for (int i = 0; i < c.k(); i++) {
            p.store(i, a);
            for (int q = 0; q < rho.length; q++) rho[q] += a[2 * q] * a[2 * q] + a[2 * q + 1] * a[2 * q + 1];
        }
        for (int q = 0; q < rho.length; q++) {
            psi.setAtIndex(JAVA_DOUBLE, 2L * q, Math.sqrt(rho[q]));
            psi.setAtIndex(JAVA_DOUBLE, 2L * q + 1, 0);
        }
    }

    /** Every component, K·2n³ doubles (component-major: the (K, n, n, n) complex array of psi_final.npy). */
    MemorySegment storeAll() {
        long one = 2L * p.problem().grid().points();
        MemorySegment all = arena.allocate(c.k() * one * Double.BYTES, 64);
        double[] a = new double[Math.toIntExact(one)];
        for (int i = 0; i < c.k(); i++) {
            p.store(i, a);
            MemorySegment.copy(a, 0, all, JAVA_DOUBLE, i * one * Double.BYTES, a.length);
        }
        return all;
    }

    @Override public void close() { p.close(); }
}
