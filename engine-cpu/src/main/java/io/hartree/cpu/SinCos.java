package io.hartree.cpu;

/**
 * sin and cos of moderate arguments for the phase loop, faster than two calls to Math.sin and
 * Math.cos: one reduction θ = kπ/2 + r, |r| ≤ π/4 (Cody–Waite with π/2 split into 33 + 53 bits,
 * exact enough for |θ| < {@link #MAX_FAST}), then the minimax polynomials of fdlibm's
 * __kernel_sin/__kernel_cos (error below 1 ulp on |r| ≤ π/4), and the quadrant k mod 4 by swap
 * and sign. The two phase loops of {@link CpuSplitStepKernels} (one state, several components)
 * inline the same code by hand: a shared static method taking the state's segment was measured
 * 1.3–2× slower per 64³ step (not inlined into the large loop bodies); {@link #sin} and {@link #cos}
 * exist for the test against Math.
 */
final class SinCos {
    private SinCos() {}

    static final double MAX_FAST = 1 << 20;
    static final double TWO_OVER_PI = 6.36619772367581382433e-01;
    static final double PIO2_1 = 1.57079632673412561417e+00;
    static final double PIO2_1T = 6.07710050650619224932e-11;
    static final double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04,
            S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
    static final double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05,
            C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;

    static double sin(double th) { return eval(th, true); }

    static double cos(double th) { return eval(th, false); }

    private static double eval(double th, boolean wantSin) {
        if (!(Math.abs(th) < MAX_FAST)) return wantSin ? Math.sin(th) : Math.cos(th);
        double kq = Math.rint(th * TWO_OVER_PI);
        double r = (th - kq * PIO2_1) - kq * PIO2_1T;
        double z = r * r;
        double sr = r + r * z * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))));
        double cr = 1 - 0.5 * z + z * z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
        int q = (int) kq & 3;
        boolean swap = (q & 1) != 0;
        double sn = swap ? cr : sr, cs = swap ? sr : cr;
        if ((q & 2) != 0) sn = -sn;
        if (((q + 1) & 2) != 0) cs = -cs;
        return wantSin ? sn : cs;
    }
}
