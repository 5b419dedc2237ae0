package io.hartree.cpu;

import io.hartree.api.SplitStepKernels;
import io.hartree.api.model.Grid3D;
import io.hartree.api.hartree.ConvolutionKernel;
import io.hartree.api.model.Components;
import io.hartree.api.model.HartreeProblem;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;

/**
 * The split-step primitives ({@link SplitStepKernels}) on the CPU: each a hand-written loop over
 * the x-planes of a state, split across {@link Parallel}'s threads, on {@link Fft3}'s off-heap
 * buffers; the transforms are FFTW's (or JTransforms'). States are processed one after the other
 * with one set of plans and one density scratch; each state has its own mean-field array. The
 * loop bodies are created once and take their parameters from fields set before each call, so
 * nothing allocates per step. The sequence of a step is engine-api's
 * {@link io.hartree.api.hartree.SplitStepPropagator}.
 */
final class CpuSplitStepKernels implements SplitStepKernels {
    private final Grid3D grid;
    private final int n, m, mh, batch;
    private final double invN3;
    private final ConvolutionKernel.Kind kind;
    private final double contact;
    /** LHY strength γ of the local term γ(s·ρ)^{3/2} of the phase (0: none). */
    private final double lhy;
    private final double[] table;
    private final Fft3 fft;
    private final Parallel par;
    private final double[] trap;
    /** Several components (null for one): per-state traps U_b, the coupling c_bj, per-source weights c_bj·s_j of the phase. */
    private final Components comps;
    private final double[][] traps;
    private final double[] coupledWeights;
    private final MemorySegment[] rabiStates, convs;
    private double[] curTrap;
    private double curARe, curAIm, curBRe, curBIm;
    private int curOther;
    private final Parallel.Body coupledPhaseBody = this::coupledPhaseRange;
    private final Parallel.Body rabiBody = this::rabiRange;
    private final Parallel.MultiBody overlapSums = this::overlapRange;
    private final double[] kAxis, xAxis;
    /** Start-of-step local densities, one n³ array per state (imaginary-time Strang with a contact interaction or an LHY term), else null. */
    private final double[][] localDensity;

    // Parameters of the loop bodies (set before each Parallel.run; the bodies are created once).
    private MemorySegment curState, curSource, curConv;
    private double[] curFactor, curLocal, curGAxis;
    private double curScale, curTau, curDensityScale = 1, curCut, curEdge;
    private boolean curReduce, curFromBuffer, curImaginary;
    private final Parallel.Body kineticBody = this::kineticRange;
    private final Parallel.Body densityBody = this::densityRange;
    private final Parallel.Body tableBody = this::tableRange;
    private final Parallel.Body phaseBody = this::phaseRange;
    private final Parallel.Body scaleBody = this::scaleRange;
    private final Parallel.MultiBody fourierSums = this::fourierRange;
    private final Parallel.MultiBody realSums = this::realRange;
    private final Parallel.MultiBody interactionSums = this::interactionRange;

    /**
     * @param startDensity whether the algorithm takes the start-of-step density (then a contact
     *                     interaction needs one stored density per state)
     */
    CpuSplitStepKernels(HartreeProblem problem, ConvolutionKernel kernel, Fft3 fft, Parallel par, boolean startDensity) {
        this.grid = problem.grid();
        this.n = grid.n();
        this.batch = fft.batch();
        this.kind = kernel.kind();
        this.m = kind == ConvolutionKernel.Kind.SPECTRAL ? kernel.size() : 0;
        this.mh = m / 2 + 1;
        this.contact = kernel.contact();
        this.lhy = kernel.lhy();
        this.table = kernel.table();
        this.fft = fft;
        this.par = par;
        this.invN3 = 1.0 / grid.points();
        this.trap = problem.h().trap().sample(grid);
        this.comps = problem.terms().components();
        this.traps = new double[batch][];
        for (int b = 0; b < batch; b++)
            traps[b] = comps == null || comps.traps()[b] == null ? trap : comps.traps()[b].sample(grid);
        this.coupledWeights = new double[batch];
        this.rabiStates = new MemorySegment[batch];
        for (int b = 0; b < batch; b++) rabiStates[b] = fft.psi(b);
        this.convs = new MemorySegment[batch];
        if (kind == ConvolutionKernel.Kind.SPECTRAL) for (int b = 0; b < batch; b++) convs[b] = fft.conv(b);
        this.curTrap = trap;
        this.localDensity = ((startDensity || comps != null) && kind == ConvolutionKernel.Kind.LOCAL) || (startDensity && lhy != 0) ? new double[batch][n * n * n] : null;
        this.kAxis = new double[n];
        this.xAxis = new double[n];
        for (int j = 0; j < n; j++) {
            kAxis[j] = grid.k(j);
            xAxis[j] = grid.x(j);
        }
    }

    /** Host bytes of the buffers (transform buffers, trap, stored contact densities), for the memory plan. */
    long bytes() {
        long own = 8L * trap.length;
        for (int b = 0; b < batch; b++) if (traps[b] != trap) own += 8L * traps[b].length;
        return fft.bytes() + own + (localDensity == null ? 0 : 8L * batch * n * n * n);
    }

    @Override public int batch() { return batch; }

    @Override public String describe() { return fft.describe(); }

    @Override
    public void load(int b, MemorySegment psi) {
        MemorySegment.copy(psi, 0, fft.psi(b), 0, psi.byteSize());
        fft.forward(b);
    }

    /**
     * The work array is scaled in place by the worker threads (it is ours), then copied in one
     * bulk copy by the calling thread: {@code psi} may be confined to it.
     */
    @Override
    public void store(int b, MemorySegment psi, double scale) {
        fft.backwardToWork(b);
        curState = fft.work();
        curScale = scale;
        par.run(n, scaleBody);
        MemorySegment.copy(fft.work(), 0, psi, 0, psi.byteSize());
    }

    @Override
    public void transform(Dft d) {
        for (int b = 0; b < batch; b++) {
            if (d == Dft.FORWARD) fft.forward(b);
            else fft.backward(b);
        }
    }

    @Override
    public void kick(double theta, boolean imaginary, double[] scale, double[] sums) {
        curFactor = axisFactor(theta, imaginary);
        curReduce = sums != null;
        for (int b = 0; b < batch; b++) {
            curState = fft.psi(b);
            curScale = scale[b];
            double s = par.run(n, kineticBody);
            if (sums != null) sums[b] = s;
        }
    }

    /** Tabulated per-axis factors by (θ, imaginary): the algorithm uses at most four θ's, so this allocates only on first use. */
    private final double[] tableTheta = new double[8];
    private final boolean[] tableImaginary = new boolean[8];
    private final double[][] tables = new double[8][];
    private int tableCount;

    /** e^{−iθk_j²} (real time) or e^{−θk_j²} (imaginary), j = 0..n−1, interleaved. */
    private double[] axisFactor(double theta, boolean imaginary) {
        for (int t = 0; t < tableCount; t++)
            if (tableTheta[t] == theta && tableImaginary[t] == imaginary) return tables[t];
        double[] f = new double[2 * n];
        for (int j = 0; j < n; j++) {
            double k = kAxis[j];
            double th = theta * k * k;
            if (imaginary) { f[2 * j] = Math.exp(-th); f[2 * j + 1] = 0; }
            else { f[2 * j] = Math.cos(th); f[2 * j + 1] = -Math.sin(th); }
        }
        int t = tableCount < tables.length ? tableCount++ : tables.length - 1;
        tableTheta[t] = theta;
        tableImaginary[t] = imaginary;
        tables[t] = f;
        return f;
    }

    /** ψ̂ ← ψ̂ · factor(k) · scale; returns Σ|ψ̂|² after, when reducing. */
    private double kineticRange(int lo, int hi) {
        final MemorySegment p = curState;
        final double[] f = curFactor;
        final double scale = curScale;
        final int n = this.n;
        double acc = 0;
        for (int i = lo; i < hi; i++) {
            for (int j = 0; j < n; j++) {
                double ar = f[2 * i], ai = f[2 * i + 1], br = f[2 * j], bi = f[2 * j + 1];
                double cr = (ar * br - ai * bi) * scale;
                double ci = (ar * bi + ai * br) * scale;
                long base = 2L * ((long) i * n + j) * n;
                for (int k = 0; k < n; k++) {
                    double fr = cr * f[2 * k] - ci * f[2 * k + 1];
                    double fi = cr * f[2 * k + 1] + ci * f[2 * k];
                    long idx = base + 2 * k;
                    double re = p.getAtIndex(JAVA_DOUBLE, idx), im = p.getAtIndex(JAVA_DOUBLE, idx + 1);
                    double nr = re * fr - im * fi, ni = re * fi + im * fr;
                    p.setAtIndex(JAVA_DOUBLE, idx, nr);
                    p.setAtIndex(JAVA_DOUBLE, idx + 1, ni);
                    acc += nr * nr + ni * ni;
                }
            }
        }
        return curReduce ? acc : 0;
    }

    /** Whether {@link #densityOf} stores the density as the start-of-step one (only meanField(START) does). */
    private boolean storeLocal;

    @Override
    public void meanField(Density source, double[] sums) {
        if (source == Density.STATE) {
            if (comps != null && kind == ConvolutionKernel.Kind.LOCAL) {
                // Coupled contact: every |ψ_j|² is read by every phase, so store them before any phase.
                for (int b = 0; b < batch; b++) densityOf(b, fft.psi(b), false);
                return;
            }
            if (kind != ConvolutionKernel.Kind.SPECTRAL) return;  // contact: g|ψ|² on the fly in the phase
            storeLocal = false;
            for (int b = 0; b < batch; b++) densityOf(b, fft.psi(b), false);
            return;
        }
        storeLocal = true;
        for (int b = 0; b < batch; b++) {
            fft.backwardToWork(b);
            double s = densityOf(b, fft.work(), true);
            if (sums != null) sums[b] = s;
        }
        storeLocal = false;
    }

    /**
     * |source|² into rho, then conv(b) ← V * rho through the table (spectral kernels), or into
     * the stored density of state b (contact); returns Σ|source|² when {@code sum}.
     */
    private double densityOf(int b, MemorySegment source, boolean sum) {
        curSource = source;
        curReduce = sum;
        // Stored: the start-of-step density (contact or LHY), and with several components every contact
        // density (the coupled phase reads ρ_j of the other states).
        curLocal = localDensity == null || !(storeLocal || comps != null) ? null : localDensity[b];
        double s = par.run(n, densityBody);
        if (kind == ConvolutionKernel.Kind.SPECTRAL) {
            fft.rhoForward();
            par.run(m, tableBody);
            fft.convBackward(b);
        }
        return s;
    }

    private double densityRange(int lo, int hi) {
        final MemorySegment p = curSource;
        final int n = this.n;
        double acc = 0;
        if (kind == ConvolutionKernel.Kind.SPECTRAL) {
            final MemorySegment r = fft.rho();
            final double[] d = curLocal;  // the start-of-step density of an LHY term, else null
            for (int i = lo; i < hi; i++)
                for (int j = 0; j < n; j++) {
                    long src = 2L * ((long) i * n + j) * n;
                    long dst = i * fft.rhoPlaneStride() + j * fft.rhoRowStride();
                    int row = (i * n + j) * n;
                    for (int k = 0; k < n; k++) {
                        double re = p.getAtIndex(JAVA_DOUBLE, src + 2 * k), im = p.getAtIndex(JAVA_DOUBLE, src + 2 * k + 1);
                        double v = re * re + im * im;
                        r.setAtIndex(JAVA_DOUBLE, dst + k, v);
                        if (d != null) d[row + k] = v;
                        acc += v;
                    }
                }
        } else {
            final double[] d = curLocal;
            for (int i = lo; i < hi; i++)
                for (int q = i * n * n; q < (i + 1) * n * n; q++) {
                    double re = p.getAtIndex(JAVA_DOUBLE, 2L * q), im = p.getAtIndex(JAVA_DOUBLE, 2L * q + 1);
                    double v = re * re + im * im;
                    if (d != null) d[q] = v;
                    acc += v;
                }
        }
        return curReduce ? acc : 0;
    }

    private double tableRange(int lo, int hi) {
        final MemorySegment h = fft.rhoHat();
        final double[] w = table;
        final int mh = this.mh, m = this.m;
        for (int i = lo; i < hi; i++) {
            int base = i * m * mh;
            for (int q = base; q < base + m * mh; q++) {
                double f = w[q];
                h.setAtIndex(JAVA_DOUBLE, 2L * q, h.getAtIndex(JAVA_DOUBLE, 2L * q) * f);
                h.setAtIndex(JAVA_DOUBLE, 2L * q + 1, h.getAtIndex(JAVA_DOUBLE, 2L * q + 1) * f);
            }
        }
        return 0;
    }

    @Override
    public void phase(double tau, double[] densityScale, Density source, boolean imaginary) {
        curTau = tau;
        curImaginary = imaginary;
        curFromBuffer = source == Density.START;
        if (comps != null) {
            for (int b = 0; b < batch; b++) {
                curState = fft.psi(b);
                curTrap = traps[b];
                for (int j = 0; j < batch; j++) coupledWeights[j] = comps.coupling(b, j) * (densityScale == null ? 1 : densityScale[j]);
                par.run(n, coupledPhaseBody);
            }
            return;
        }
        for (int b = 0; b < batch; b++) {
            curState = fft.psi(b);
            curConv = fft.conv(b);
            curLocal = localDensity == null ? null : localDensity[b];
            curDensityScale = densityScale == null ? 1 : densityScale[b];
            par.run(n, phaseBody);
        }
    }

    /** φ ← e^{−iτ(U + s·W)} φ (or e^{−τ(…)} in imaginary time), φ in real space. */
    private double phaseRange(int lo, int hi) {
        final MemorySegment p = curState;
        final MemorySegment c = curConv;
        final double[] u = trap;
        final double tau = curTau, g = contact * curDensityScale, ds = curDensityScale;
        final int n = this.n;
        final boolean imaginary = curImaginary;
        final boolean spectral = kind == ConvolutionKernel.Kind.SPECTRAL, local = kind == ConvolutionKernel.Kind.LOCAL && !curFromBuffer;
        final double[] dens = kind == ConvolutionKernel.Kind.LOCAL && curFromBuffer ? curLocal : null;
        // LHY: γ(s·ρ)^{3/2} = γ s^{3/2} · ρ√ρ, ρ the stored start-of-step density (START) or |ψ|² (STATE).
        final boolean lhyOn = lhy != 0;
        final double lg = lhy * ds * Math.sqrt(ds);
        final double[] lhyDens = lhyOn && curFromBuffer ? curLocal : null;
        for (int i = lo; i < hi; i++)
            for (int j = 0; j < n; j++) {
                int row = (i * n + j) * n;
                long crow = spectral ? i * fft.rhoPlaneStride() + j * fft.rhoRowStride() : 0;
                for (int k = 0; k < n; k++) {
                    long idx = 2L * (row + k);
                    double re = p.getAtIndex(JAVA_DOUBLE, idx), im = p.getAtIndex(JAVA_DOUBLE, idx + 1);
                    double v = u[row + k];
                    if (spectral) v += ds * c.getAtIndex(JAVA_DOUBLE, crow + k);
                    else if (local) v += g * (re * re + im * im);
                    else if (dens != null) v += g * dens[row + k];
                    if (lhyOn) {
                        double r = lhyDens != null ? lhyDens[row + k] : re * re + im * im;
                        v += lg * r * Math.sqrt(r);
                    }
                    double th = tau * v;
                    if (imaginary) {
                        double f = Math.exp(-th);
                        p.setAtIndex(JAVA_DOUBLE, idx, re * f);
                        p.setAtIndex(JAVA_DOUBLE, idx + 1, im * f);
                    } else {
                        double cs, sn;
                        if (Math.abs(th) < SinCos.MAX_FAST) {
                            // Inlined SinCos: Cody–Waite reduction to |r| <= π/4, fdlibm kernels, quadrant by swap and sign.
                            double kq = Math.rint(th * SinCos.TWO_OVER_PI);
                            double r = (th - kq * SinCos.PIO2_1) - kq * SinCos.PIO2_1T;
                            double z = r * r;
                            double sr = r + r * z * (SinCos.S1 + z * (SinCos.S2 + z * (SinCos.S3 + z * (SinCos.S4 + z * (SinCos.S5 + z * SinCos.S6)))));
                            double cr = 1 - 0.5 * z + z * z * (SinCos.C1 + z * (SinCos.C2 + z * (SinCos.C3 + z * (SinCos.C4 + z * (SinCos.C5 + z * SinCos.C6)))));
                            int q = (int) kq & 3;
                            boolean swap = (q & 1) != 0;
                            sn = swap ? cr : sr;
                            cs = swap ? sr : cr;
                            if ((q & 2) != 0) sn = -sn;
                            if (((q + 1) & 2) != 0) cs = -cs;
                        } else {
                            cs = Math.cos(th);
                            sn = Math.sin(th);
                        }
                        p.setAtIndex(JAVA_DOUBLE, idx, re * cs + im * sn);
                        p.setAtIndex(JAVA_DOUBLE, idx + 1, im * cs - re * sn);
                    }
                }
            }
        return 0;
    }

    /** Per-axis parts of the driven trap: U = ux[i] + uy[j] + uz[k] (the family is separable). */
    private double[] trapX, trapY, trapZ;
    private final Parallel.Body trapBody = this::trapRange;

    /**
     * Re-samples the trap table from the analytic family (see {@link SplitStepKernels#trap}): the
     * three axis parts, then n³ additions over the x-planes; the phase and moment loops read the
     * table as before. Allocates the axis arrays on the first call only.
     */
    @Override
    public void trap(double[] c) {
        if (trapX == null) { trapX = new double[n]; trapY = new double[n]; trapZ = new double[n]; }
        for (int j = 0; j < n; j++) {
            double x = xAxis[j];
            trapX[j] = c[0] * x * x + c[3] + (c[4] == 0 ? 0 : c[4] * Math.exp(-x * x / (2 * c[5] * c[5])));
            trapY[j] = c[1] * x * x;
            trapZ[j] = c[2] * x * x;
        }
        par.run(n, trapBody);
    }

    private double trapRange(int lo, int hi) {
        for (int i = lo; i < hi; i++)
            for (int j = 0; j < n; j++) {
                double uxy = trapX[i] + trapY[j];
                int row = (i * n + j) * n;
                for (int k = 0; k < n; k++) trap[row + k] = uxy + trapZ[k];
            }
        return 0;
    }

    /**
     * Several components: φ_b ← e^{−iτ(U_b + Σ_j w_j W_j)} φ_b, w_j = c_bj·s_j, W_j = conv(j) (spectral)
     * or g·ρ_j stored by the last meanField (contact).
     */
    private double coupledPhaseRange(int lo, int hi) {
        final MemorySegment p = curState;
        final double[] u = curTrap, w = coupledWeights;
        final MemorySegment[] cv = convs;
        final double tau = curTau;
        final int n = this.n, kk = batch;
        final boolean imaginary = curImaginary, spectral = kind == ConvolutionKernel.Kind.SPECTRAL, local = kind == ConvolutionKernel.Kind.LOCAL;
        for (int i = lo; i < hi; i++)
            for (int j = 0; j < n; j++) {
                int row = (i * n + j) * n;
                long crow = spectral ? i * fft.rhoPlaneStride() + j * fft.rhoRowStride() : 0;
                for (int k = 0; k < n; k++) {
                    long idx = 2L * (row + k);
                    double v = u[row + k];
                    if (spectral) for (int q = 0; q < kk; q++) v += w[q] * cv[q].getAtIndex(JAVA_DOUBLE, crow + k);
                    else if (local) for (int q = 0; q < kk; q++) v += w[q] * contact * localDensity[q][row + k];
                    double re = p.getAtIndex(JAVA_DOUBLE, idx), im = p.getAtIndex(JAVA_DOUBLE, idx + 1);
                    double th = tau * v;
                    if (imaginary) {
                        double f = Math.exp(-th);
                        p.setAtIndex(JAVA_DOUBLE, idx, re * f);
                        p.setAtIndex(JAVA_DOUBLE, idx + 1, im * f);
                    } else {
                        double cs, sn;
                        if (Math.abs(th) < SinCos.MAX_FAST) {
                            // The inlined SinCos of phaseRange (one reduction for both).
                            double kq = Math.rint(th * SinCos.TWO_OVER_PI);
                            double r = (th - kq * SinCos.PIO2_1) - kq * SinCos.PIO2_1T;
                            double z = r * r;
                            double sr = r + r * z * (SinCos.S1 + z * (SinCos.S2 + z * (SinCos.S3 + z * (SinCos.S4 + z * (SinCos.S5 + z * SinCos.S6)))));
                            double cr = 1 - 0.5 * z + z * z * (SinCos.C1 + z * (SinCos.C2 + z * (SinCos.C3 + z * (SinCos.C4 + z * (SinCos.C5 + z * SinCos.C6)))));
                            int qd = (int) kq & 3;
                            boolean swap = (qd & 1) != 0;
                            sn = swap ? cr : sr;
                            cs = swap ? sr : cr;
                            if ((qd & 2) != 0) sn = -sn;
                            if (((qd + 1) & 2) != 0) cs = -cs;
                        } else {
                            cs = Math.cos(th);
                            sn = Math.sin(th);
                        }
                        p.setAtIndex(JAVA_DOUBLE, idx, re * cs + im * sn);
                        p.setAtIndex(JAVA_DOUBLE, idx + 1, im * cs - re * sn);
                    }
                }
            }
        return 0;
    }

    @Override
    public void rabi(double aRe, double aIm, double bRe, double bIm) {
        if (comps == null) throw new IllegalStateException("rabi without components");
        curARe = aRe; curAIm = aIm; curBRe = bRe; curBIm = bIm;
        par.run(n, rabiBody);
    }

    /** ψ_b ← αψ_b + βΣ_jψ_j at every point of the planes lo..hi, all states at once. */
    private double rabiRange(int lo, int hi) {
        final MemorySegment[] st = rabiStates;
        final int kk = batch;
        final double ar = curARe, ai = curAIm, br = curBRe, bi = curBIm;
        for (long idx = 2L * lo * n * n; idx < 2L * hi * n * n; idx += 2) {
            double sr = 0, si = 0;
            for (int q = 0; q < kk; q++) {
                sr += st[q].getAtIndex(JAVA_DOUBLE, idx);
                si += st[q].getAtIndex(JAVA_DOUBLE, idx + 1);
            }
            double tr = br * sr - bi * si, ti = br * si + bi * sr;
            for (int q = 0; q < kk; q++) {
                double re = st[q].getAtIndex(JAVA_DOUBLE, idx), im = st[q].getAtIndex(JAVA_DOUBLE, idx + 1);
                st[q].setAtIndex(JAVA_DOUBLE, idx, ar * re - ai * im + tr);
                st[q].setAtIndex(JAVA_DOUBLE, idx + 1, ar * im + ai * re + ti);
            }
        }
        return 0;
    }

    /**
     * Σ conj(ψ̂_i)ψ̂_j in Fourier space; then, from φ = BACKWARD(ψ̂)/n³ in the work array, Σ(V*ρ_j)ρ_i
     * (V*ρ_j into conv(j), which the next step recomputes before reading) or g·Σρ_iρ_j into the stored
     * contact densities (also recomputed before read).
     */
    @Override
    public Cross cross(int i, int j) {
        if (comps == null) throw new IllegalStateException("cross sums without components");
        curState = fft.psi(i);
        curOther = j;
        double[] o = new double[2];
        par.run(n, overlapSums, o);
        double inter = 0;
        if (kind == ConvolutionKernel.Kind.SPECTRAL) {
            realSpaceToWork(j);
            densityOf(j, fft.work(), false);
            realSpaceToWork(i);
            curSource = fft.work();
            curReduce = false;
            par.run(n, densityBody);
            curConv = fft.conv(j);
            double[] c = new double[1];
            par.run(n, interactionSums, c);
            inter = c[0];
        } else if (kind == ConvolutionKernel.Kind.LOCAL) {
            realSpaceToWork(i);
            densityOf(i, fft.work(), false);
            realSpaceToWork(j);
            densityOf(j, fft.work(), false);
            double[] a = localDensity[i], c = localDensity[j];
            for (int q = 0; q < a.length; q++) inter += a[q] * c[q];
            inter *= contact;
        }
        return new Cross(o[0], o[1], inter);
    }

    /** φ_b = BACKWARD(ψ̂_b)/n³ into the work array. */
    private void realSpaceToWork(int b) {
        fft.backwardToWork(b);
        curState = fft.work();
        curScale = invN3;
        par.run(n, scaleBody);
    }

    /** Σ conj(ψ̂_i)ψ̂_j, i = curState, j = curOther. */
    private void overlapRange(int lo, int hi, double[] acc) {
        final MemorySegment a = curState, b = fft.psi(curOther);
        double re = 0, im = 0;
        for (long idx = 2L * lo * n * n; idx < 2L * hi * n * n; idx += 2) {
            double ar = a.getAtIndex(JAVA_DOUBLE, idx), ai = a.getAtIndex(JAVA_DOUBLE, idx + 1);
            double br = b.getAtIndex(JAVA_DOUBLE, idx), bi = b.getAtIndex(JAVA_DOUBLE, idx + 1);
            re += ar * br + ai * bi;
            im += ar * bi - ai * br;
        }
        acc[0] += re;
        acc[1] += im;
    }

    @Override
    public void scale(double[] factor) {
        for (int b = 0; b < batch; b++) {
            curState = fft.psi(b);
            curScale = factor[b];
            par.run(n, scaleBody);
        }
    }

    /** psi ← psi · curScale. */
    private double scaleRange(int lo, int hi) {
        MemorySegment p = curState;
        double f = curScale;
        for (long q = 2L * lo * n * n; q < 2L * hi * n * n; q++) p.setAtIndex(JAVA_DOUBLE, q, p.getAtIndex(JAVA_DOUBLE, q) * f);
        return 0;
    }

    /**
     * Fourier sums from ψ̂_b in place, then φ = BACKWARD(ψ̂_b)/n³ into the work array (ψ̂_b is kept)
     * for the real-space sums and, with a spectral interaction, the density and V*ρ (into conv(b),
     * which the next step recomputes before reading).
     */
    @Override
    public Moments moments(int b, MomentSpec spec) {
        curState = fft.psi(b);
        curCut = spec.cut();
        curEdge = spec.edge();
        curGAxis = spec.overlapAxis();
        curTrap = traps[b];
        double[] f = new double[3];
        par.run(n, fourierSums, f);
        fft.backwardToWork(b);
        double[] r = new double[11];
        par.run(n, realSums, r);
        double inter = 0;
        if (kind == ConvolutionKernel.Kind.SPECTRAL) {
            // realRange left φ itself (not n³φ) in the work array, so the density is |φ|².
            densityOf(b, fft.work(), false);
            curConv = fft.conv(b);
            double[] c = new double[1];
            par.run(n, interactionSums, c);
            inter = c[0];
        }
        return new Moments(f[0], f[1], f[2], r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], inter, r[10]);
    }

    /** Σ|ψ̂|², Σ|k|²|ψ̂|², Σ_{max|k_d| > cut}|ψ̂|² over state curState (Fourier space). */
    private void fourierRange(int lo, int hi, double[] acc) {
        final MemorySegment p = curState;
        final double cut = curCut;
        double sumHat = 0, kin = 0, tail = 0;
        for (int i = lo; i < hi; i++) {
            double kx = kAxis[i];
            for (int j = 0; j < n; j++) {
                double ky = kAxis[j];
                long base = 2L * ((long) i * n + j) * n;
                boolean outer = Math.abs(kx) > cut || Math.abs(ky) > cut;
                for (int k = 0; k < n; k++) {
                    double kz = kAxis[k];
                    double re = p.getAtIndex(JAVA_DOUBLE, base + 2 * k), im = p.getAtIndex(JAVA_DOUBLE, base + 2 * k + 1);
                    double w = re * re + im * im;
                    sumHat += w;
                    kin += (kx * kx + ky * ky + kz * kz) * w;
                    if (outer || Math.abs(kz) > cut) tail += w;
                }
            }
        }
        acc[0] += sumHat;
        acc[1] += kin;
        acc[2] += tail;
    }

    /**
     * Real-space sums over φ = work/n³: norm, trap, Σxρ, Σ|x|²ρ, edge mass, Σ g g g φ, Σρ². With a
     * spectral interaction it also writes φ back into the work array, for the density that follows.
     */
    private void realRange(int lo, int hi, double[] acc) {
        MemorySegment p = fft.work();
        boolean writeBack = kind == ConvolutionKernel.Kind.SPECTRAL;
        final double edgeAt = curEdge;
        final double[] g = curGAxis;
        final boolean lhyOn = lhy != 0;
        double norm = 0, trapE = 0, mx = 0, my = 0, mz = 0, x2 = 0, edge = 0, ovr = 0, ovi = 0, local = 0, five = 0;
        for (int i = lo; i < hi; i++) {
            double x = xAxis[i], gx = g[i];
            for (int j = 0; j < n; j++) {
                double y = xAxis[j], gxy = gx * g[j];
                boolean outer = Math.abs(x) > edgeAt || Math.abs(y) > edgeAt;
                int row = (i * n + j) * n;
                for (int k = 0; k < n; k++) {
                    double z = xAxis[k];
                    long idx = 2L * (row + k);
                    double re = p.getAtIndex(JAVA_DOUBLE, idx) * invN3, im = p.getAtIndex(JAVA_DOUBLE, idx + 1) * invN3;
                    if (writeBack) { p.setAtIndex(JAVA_DOUBLE, idx, re); p.setAtIndex(JAVA_DOUBLE, idx + 1, im); }
                    double r = re * re + im * im;
                    norm += r;
                    trapE += curTrap[row + k] * r;
                    mx += x * r;
                    my += y * r;
                    mz += z * r;
                    x2 += (x * x + y * y + z * z) * r;
                    if (outer || Math.abs(z) > edgeAt) edge += r;
                    double phi0 = gxy * g[k];
                    ovr += phi0 * re;
                    ovi += phi0 * im;
                    local += r * r;
                    if (lhyOn) five += r * r * Math.sqrt(r);
                }
            }
        }
        acc[0] += norm; acc[1] += trapE; acc[2] += mx; acc[3] += my; acc[4] += mz;
        acc[5] += x2; acc[6] += edge; acc[7] += ovr; acc[8] += ovi; acc[9] += local; acc[10] += five;
    }

    /** Σ (V*ρ)ρ over the n³ points of the density grids. */
    private void interactionRange(int lo, int hi, double[] acc) {
        MemorySegment r = fft.rho(), c = curConv;
        double s = 0;
        for (int i = lo; i < hi; i++)
            for (int j = 0; j < n; j++) {
                long row = i * fft.rhoPlaneStride() + j * fft.rhoRowStride();
                for (int k = 0; k < n; k++) s += c.getAtIndex(JAVA_DOUBLE, row + k) * r.getAtIndex(JAVA_DOUBLE, row + k);
            }
        acc[0] += s;
    }

    // --- Rotating frame ---------------------------------------------------------------------------

    @Override
    public void transformAxis(int axis, Dft d) {
        if (axis != 0 && axis != 1) throw new IllegalArgumentException("axis " + axis + " (0 = x or 1 = y)");
        for (int b = 0; b < batch; b++) fft.axis(b, axis, d == Dft.FORWARD);
    }

    private int curCoordAxis;
    private double curC;
    private final Parallel.Body axisPhaseBody = this::axisPhaseRange;

    @Override
    public void axisPhase(int coordAxis, int waveAxis, double c, boolean imaginary, double scale) {
        if (!(coordAxis == 0 && waveAxis == 1 || coordAxis == 1 && waveAxis == 0))
            throw new IllegalArgumentException("axes " + coordAxis + ", " + waveAxis + " (x and y, one in position and one in Fourier space)");
        curCoordAxis = coordAxis;
        curC = c;
        curImaginary = imaginary;
        curScale = scale;
        for (int b = 0; b < batch; b++) {
            curState = fft.psi(b);
            par.run(n, axisPhaseBody);
        }
    }

    /** ψ(i, j, ·) ← scale·e^{i c x_a k_b} ψ (or scale·e^{−c x_a k_b}), (a, b) = (x, y) or (y, x) by index (i, j). */
    private double axisPhaseRange(int lo, int hi) {
        final MemorySegment p = curState;
        final double c = curC, scale = curScale;
        final boolean imaginary = curImaginary, xCoord = curCoordAxis == 0;
        final int n = this.n;
        for (int i = lo; i < hi; i++)
            for (int j = 0; j < n; j++) {
                double arg = xCoord ? c * xAxis[i] * kAxis[j] : c * xAxis[j] * kAxis[i];
                double fr, fi;
                if (imaginary) { fr = scale * Math.exp(-arg); fi = 0; }
                else { fr = scale * Math.cos(arg); fi = scale * Math.sin(arg); }
                long base = 2L * ((long) i * n + j) * n;
                for (int k = 0; k < n; k++) {
                    long idx = base + 2 * k;
                    double re = p.getAtIndex(JAVA_DOUBLE, idx), im = p.getAtIndex(JAVA_DOUBLE, idx + 1);
                    p.setAtIndex(JAVA_DOUBLE, idx, re * fr - im * fi);
                    p.setAtIndex(JAVA_DOUBLE, idx + 1, re * fi + im * fr);
                }
            }
        return 0;
    }

    @Override
    public void close() { fft.close(); }
}
