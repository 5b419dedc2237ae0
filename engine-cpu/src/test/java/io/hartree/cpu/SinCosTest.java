package io.hartree.cpu;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

class SinCosTest {
    /**
     * Against Math.sin/cos (≤ 1 ulp) over phases the propagator sees (|θ| ≤ 1e4) and beyond the
     * fast range: absolute error ≤ 4e-16·max(1, |θ|·2^-40) (the reduction loses ~|θ|·ulp(π/2 tail)),
     * and |sin² + cos² − 1| ≤ 3 ulp(1) = 6.7e-16 (what unitarity needs; evaluating s² + c² − 1 itself rounds by up to 2 ulp).
     */
    @Test
    void matchesMathToRoundOff() {
        Random r = new Random(3);
        double worst = 0, worstNorm = 0;
        for (int i = 0; i < 2_000_000; i++) {
            double th = switch (i % 4) {
                case 0 -> (r.nextDouble() - 0.5) * 2;
                case 1 -> (r.nextDouble() - 0.5) * 200;
                case 2 -> (r.nextDouble() - 0.5) * 2e4;
                default -> (r.nextDouble() - 0.5) * 1e7;
            };
            double s = SinCos.sin(th), c = SinCos.cos(th);
            worst = Math.max(worst, Math.max(Math.abs(s - Math.sin(th)), Math.abs(c - Math.cos(th))));
            worstNorm = Math.max(worstNorm, Math.abs(s * s + c * c - 1));
        }
        assertTrue(worst <= 4e-16, "max |SinCos - Math| = " + worst);
        assertTrue(worstNorm <= 6.7e-16, "max |sin^2 + cos^2 - 1| = " + worstNorm);
    }
}
