package io.hartree.api.fock;

import io.hartree.api.ParameterException;

/**
 * The sector with N↑ bosons in the spin-up copies and N↓ in the spin-down copies of M_s spatial
 * modes: the conserved populations of a spin-independent H (the toy model (3.2)–(3.8)). Mode
 * order: spatial mode s with spin σ is mode index σ·M_s + s (all ↑ modes first). The sector is
 * the product of two {@link FockBasis} sectors, rank = rank↑ · dim↓ + rank↓, dimension
 * C(N↑+M_s−1, N↑) · C(N↓+M_s−1, N↓).
 */
public final class SpinSector implements FockSector {
    private final FockBasis up;
    private final FockBasis down;
    private final int ms;
    private final long dimension;

    public SpinSector(int spatialModes, int nUp, int nDown) {
        ParameterException.require(nUp >= 0, "N↑", nUp, "≥ 0");
        ParameterException.require(nDown >= 0, "N↓", nDown, "≥ 0");
        this.ms = spatialModes;
        this.up = new FockBasis(nUp, spatialModes);
        this.down = new FockBasis(nDown, spatialModes);
        try {
            this.dimension = Math.multiplyExact(up.dimension(), down.dimension());
        } catch (ArithmeticException e) {
            throw new ParameterException("sector dimension", "dim↑·dim↓ does not fit in a 64-bit rank");
        }
    }

    public int spatialModes() { return ms; }
    FockBasis upBasis() { return up; }
    FockBasis downBasis() { return down; }
    public int particlesUp() { return up.particles(); }
    public int particlesDown() { return down.particles(); }

    @Override public int modes() { return 2 * ms; }
    @Override public int particles() { return up.particles() + down.particles(); }
    @Override public long dimension() { return dimension; }
    @Override public String describe() { return "N↑=" + up.particles() + ", N↓=" + down.particles() + " in " + ms + " spatial modes ⊗ spin"; }

    @Override
    public boolean contains(int[] occ) {
        if (occ.length != 2 * ms) return false;
        long a = 0, b = 0;
        for (int s = 0; s < ms; s++) {
            if (occ[s] < 0 || occ[ms + s] < 0) return false;
            a += occ[s];
            b += occ[ms + s];
        }
        return a == up.particles() && b == down.particles();
    }

    @Override
    public long rank(int[] occ) {
        int[] u = new int[ms], d = new int[ms];
        System.arraycopy(occ, 0, u, 0, ms);
        System.arraycopy(occ, ms, d, 0, ms);
        return up.rank(u) * down.dimension() + down.rank(d);
    }

    @Override
    public void unrank(long r, int[] occ) {
        if (r < 0 || r >= dimension) throw new IllegalArgumentException("rank " + r + " outside [0, " + dimension + ")");
        int[] u = new int[ms], d = new int[ms];
        up.unrank(r / down.dimension(), u);
        down.unrank(r % down.dimension(), d);
        System.arraycopy(u, 0, occ, 0, ms);
        System.arraycopy(d, 0, occ, ms, ms);
    }

    @Override
    public Cursor cursor(long r) {
        return new SpinCursor(r);
    }

    private final class SpinCursor implements Cursor {
        private Cursor cu;
        private Cursor cd;
        private final int[] occ = new int[2 * ms];
        private final long dd = down.dimension();

        SpinCursor(long r) {
            cu = up.cursor(r / dd);
            cd = down.cursor(r % dd);
            System.arraycopy(cu.occupations(), 0, occ, 0, ms);
            System.arraycopy(cd.occupations(), 0, occ, ms, ms);
        }

        @Override public long rank() { return cu.rank() * dd + cd.rank(); }
        @Override public int[] occupations() { return occ; }

        @Override
        public boolean next() {
            if (cd.next()) {
                System.arraycopy(cd.occupations(), 0, occ, ms, ms);
                return true;
            }
            if (!cu.next()) return false;
            cd = down.cursor(0);
            System.arraycopy(cu.occupations(), 0, occ, 0, ms);
            System.arraycopy(cd.occupations(), 0, occ, ms, ms);
            return true;
        }

        @Override
        public long hop(int to, int from) {
            boolean tu = to < ms, fu = from < ms;
            if (tu != fu) return -1;
            if (tu) return cu.hop(to, from) * dd + cd.rank();
            return cu.rank() * dd + cd.hop(to - ms, from - ms);
        }

        @Override
        public long hop2(int i, int j, int k, int l) {
            int nu = (i < ms ? 1 : 0) + (j < ms ? 1 : 0);
            int ku = (k < ms ? 1 : 0) + (l < ms ? 1 : 0);
            if (nu != ku) return -1;
            if (nu == 2) return cu.hop2(i, j, k, l) * dd + cd.rank();
            if (nu == 0) return cu.rank() * dd + cd.hop2(i - ms, j - ms, k - ms, l - ms);
            int cUp = i < ms ? i : j, cDn = i < ms ? j : i;
            int aUp = k < ms ? k : l, aDn = k < ms ? l : k;
            long ru = cUp == aUp ? cu.rank() : cu.hop(cUp, aUp);
            long rd = cDn == aDn ? cd.rank() : cd.hop(cDn - ms, aDn - ms);
            return ru * dd + rd;
        }
    }
}
