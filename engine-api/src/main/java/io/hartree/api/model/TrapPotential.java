package io.hartree.api.model;


/** The external potential U(x) of the one-body operator h = a(−Δ) + U. */
public interface TrapPotential {
    double value(double x, double y, double z);

    /** A short description for config files and reports ("harmonic: 5(x²+y²+z²) − 15"). */
    String describe();

    /** U sampled on the grid, C order, length n³. */
    default double[] sample(Grid3D g) {
        int n = g.n();
        double[] u = new double[g.hostRealLength()];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < n; k++)
                    u[(i * n + j) * n + k] = value(g.x(i), g.x(j), g.x(k));
        return u;
    }

    /**
     * Anisotropic harmonic trap U = Σ_d c_d x_d² + offset. The paper's preset (3.3) is c_d = ν/2,
     * offset = −3ν/2.
     */
    record Harmonic(double cx, double cy, double cz, double offset) implements TrapPotential {
        public double value(double x, double y, double z) { return cx * x * x + cy * y * y + cz * z * z + offset; }

        public String describe() { return "harmonic:cx=" + cx + ",cy=" + cy + ",cz=" + cz + ",offset=" + offset; }
    }

    /** No external potential. */
    record Free() implements TrapPotential {
        public double value(double x, double y, double z) { return 0; }

        public String describe() { return "none"; }
    }
}
