package io.hartree.api.fock;

import io.hartree.api.ParameterException;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class FockBasisTest {
    static BigInteger binom(int n, int k) {
        BigInteger r = BigInteger.ONE;
        for (int i = 0; i < k; i++) r = r.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
        return r;
    }

    @Test
    void rankUnrankRoundTripOverWholeBases() {
        int[][] cases = {{0, 3}, {5, 1}, {6, 4}, {10, 3}, {4, 8}, {16, 2}, {7, 6}};
        for (int[] c : cases) {
            int n = c[0], m = c[1];
            FockBasis b = new FockBasis(n, m);
            assertEquals(binom(n + m - 1, n).longValueExact(), b.dimension(), "dimension C(N+M-1,N) for N=" + n + ", M=" + m);
            Set<String> seen = new HashSet<>();
            int[] occ = new int[m];
            FockSector.Cursor cur = b.cursor(0);
            for (long r = 0; r < b.dimension(); r++) {
                b.unrank(r, occ);
                assertTrue(b.contains(occ), "unrank gives a state of the sector");
                assertEquals(r, b.rank(occ), "rank(unrank(r)) = r");
                assertArrayEquals(occ, cur.occupations(), "cursor walks in rank order, r=" + r);
                assertEquals(r, cur.rank());
                assertTrue(seen.add(Arrays.toString(occ)), "states are distinct");
                boolean more = cur.next();
                assertEquals(r + 1 < b.dimension(), more);
            }
        }
    }

    @Test
    void hopRanksAgreeWithDirectRanking() {
        FockBasis b = new FockBasis(7, 5);
        checkHops(b, b.dimension(), 0);
    }

    static void checkHops(FockSector b, long count, long start) {
        int m = b.modes();
        FockSector.Cursor cur = b.cursor(start);
        int checked = 0;
        for (long s = 0; s < count; s++) {
            int[] occ = cur.occupations().clone();
            for (int to = 0; to < m; to++)
                for (int from = 0; from < m; from++) {
                    if (to == from || occ[from] == 0) continue;
                    int[] t = occ.clone();
                    t[from]--; t[to]++;
                    long expect = b.contains(t) ? b.rank(t) : -1;
                    assertEquals(expect, cur.hop(to, from), "hop " + from + "→" + to + " from " + Arrays.toString(occ));
                    checked++;
                }
            for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) for (int k = 0; k < m; k++) for (int l = 0; l < m; l++) {
                int[] t = occ.clone();
                if (t[k] == 0) continue;
                t[k]--;
                if (t[l] == 0) continue;
                t[l]--;
                t[i]++; t[j]++;
                long expect = b.contains(t) ? b.rank(t) : -1;
                assertEquals(expect, cur.hop2(i, j, k, l), "hop2 " + i + j + k + l + " from " + Arrays.toString(occ));
                checked++;
            }
            if (!cur.next()) break;
        }
        assertTrue(checked > 100, "checked " + checked + " hops");
    }

    @Test
    void dimensionBeyond2To31HasExactRanks() {
        // C(51, 11) = 47 626 016 970 > 2^31: rank arithmetic in long, no overflow.
        FockBasis b = new FockBasis(40, 12);
        assertEquals(binom(51, 11).longValueExact(), b.dimension());
        assertTrue(b.dimension() > (1L << 31));
        int[] all0 = new int[12];
        all0[0] = 40;
        assertEquals(b.dimension() - 1, b.rank(all0), "all bosons in mode 0 has the top rank");
        Random rnd = new Random(7);
        int[] occ = new int[12];
        for (int t = 0; t < 2000; t++) {
            long r = Math.floorMod(rnd.nextLong(), b.dimension());
            b.unrank(r, occ);
            assertEquals(r, b.rank(occ));
        }
        checkHops(b, 40, b.dimension() - 60);
        assertThrows(ParameterException.class, b::vectorDimension, "no state vector beyond 2^30");
    }

    @Test
    void overflowingDimensionIsRefused() {
        assertThrows(ParameterException.class, () -> new FockBasis(1000, 100));
    }

    @Test
    void spinSectorIsTheProductOfTwoBases() {
        SpinSector s = new SpinSector(3, 4, 2);
        assertEquals(binom(6, 4).longValueExact() * binom(4, 2).longValueExact(), s.dimension());
        int[] occ = new int[6];
        FockSector.Cursor cur = s.cursor(0);
        for (long r = 0; r < s.dimension(); r++) {
            s.unrank(r, occ);
            assertEquals(r, s.rank(occ));
            assertArrayEquals(occ, cur.occupations());
            cur.next();
        }
        checkHops(s, s.dimension(), 0);
    }
}
