package io.hartree.api.fock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Independent constructions used as references by the tests. */
public final class TestModels {
    private TestModels() {}

    /** Random Hermitian integrals: h = A + A^H, V = W + W^†, (W^†)_ijkl = conj(W_klij), then exchange-symmetrised. */
    public static ModeIntegrals randomIntegrals(int m, long seed, boolean complex) {
        Random r = new Random(seed);
        ModeIntegrals mi = ModeIntegrals.zero(m);
        double[] a = new double[2 * m * m];
        for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian() * (complex || i % 2 == 0 ? 1 : 0);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < m; j++) {
                mi.h()[mi.hIndex(i, j)] = a[2 * (i * m + j)] + a[2 * (j * m + i)];
                mi.h()[mi.hIndex(i, j) + 1] = a[2 * (i * m + j) + 1] - a[2 * (j * m + i) + 1];
            }
        double[] w = new double[mi.v().length];
        for (int i = 0; i < w.length; i++) w[i] = r.nextGaussian() * (complex || i % 2 == 0 ? 1 : 0);
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) for (int k = 0; k < m; k++) for (int l = 0; l < m; l++) {
            int x = mi.vIndex(i, j, k, l), y = mi.vIndex(k, l, i, j);
            mi.v()[x] = w[x] + w[y];
            mi.v()[x + 1] = w[x + 1] - w[y + 1];
        }
        // Exchange symmetry V_ijkl = V_jilk of a two-body potential V(x − y) = V(y − x).
        double[] v = mi.v().clone();
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) for (int k = 0; k < m; k++) for (int l = 0; l < m; l++) {
            int x = mi.vIndex(i, j, k, l), y = mi.vIndex(j, i, l, k);
            mi.v()[x] = 0.5 * (v[x] + v[y]);
            mi.v()[x + 1] = 0.5 * (v[x + 1] + v[y + 1]);
        }
        return mi;
    }

    /** All occupation vectors of N bosons in M modes, by recursion (independent of the ranking). */
    public static List<int[]> states(int n, int m) {
        List<int[]> out = new ArrayList<>();
        fill(new int[m], 0, n, out);
        return out;
    }

    private static void fill(int[] occ, int k, int left, List<int[]> out) {
        if (k == occ.length - 1) { occ[k] = left; out.add(occ.clone()); return; }
        for (int x = 0; x <= left; x++) { occ[k] = x; fill(occ, k + 1, left - x, out); }
    }

    /**
     * The peer's ring H, H = −J Σ(a_i†a_{i+1} + h.c.) + U/(2N) Σ n_i(n_i − 1), built densely on
     * {@link #states} with a hash index, in the index order of {@code order}.
     */
    public static double[] denseRing(int m, int n, double jh, double u, List<int[]> order) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < order.size(); i++) index.put(java.util.Arrays.toString(order.get(i)), i);
        int d = order.size();
        double[] h = new double[2 * d * d];
        int bonds = m == 2 ? 1 : m;
        for (int c = 0; c < d; c++) {
            int[] occ = order.get(c);
            double diag = 0;
            for (int x : occ) diag += u / (2.0 * n) * x * (x - 1);
            h[2 * (c * d + c)] += diag;
            for (int b = 0; b < bonds; b++) {
                int i = b, j = (b + 1) % m;
                for (int dir = 0; dir < 2; dir++) {
                    int to = dir == 0 ? i : j, from = dir == 0 ? j : i;
                    if (occ[from] == 0) continue;
                    int[] t = occ.clone();
                    double amp = Math.sqrt(t[from]) * Math.sqrt(t[to] + 1);
                    t[from]--; t[to]++;
                    int r = index.get(java.util.Arrays.toString(t));
                    h[2 * (r * d + c)] += -jh * amp;
                }
            }
        }
        return h;
    }
}
