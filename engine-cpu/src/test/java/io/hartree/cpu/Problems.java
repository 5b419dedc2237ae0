package io.hartree.cpu;

import io.hartree.api.SessionOptions;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.Interaction;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;

/** Shared set-up of the cpu tests. */
final class Problems {
    private Problems() {}

    static CpuSession session() {
        return (CpuSession) new CpuBackend().open(SessionOptions.defaults());
    }

    static HartreeProblem paper(int n, double L, double nu, Interaction v, ConvolutionMode mode, Scheme scheme, TimeMode time, double dt) {
        return new HartreeProblem(new Grid3D(n, L), OneBodyOperator.paper(nu), v, mode, scheme, time, dt);
    }

    /** max_j |a_j − b_j| over interleaved complex arrays, as a modulus. */
    static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i += 2) m = Math.max(m, Math.hypot(a[i] - b[i], a[i + 1] - b[i + 1]));
        return m;
    }
}
