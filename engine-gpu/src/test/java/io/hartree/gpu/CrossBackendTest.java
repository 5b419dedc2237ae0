package io.hartree.gpu;

import io.hartree.api.Availability;
import io.hartree.api.Backend;
import io.hartree.api.BackendSession;
import io.hartree.api.Backends;
import io.hartree.api.SessionOptions;
import io.hartree.api.model.Grid3D;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.HartreePropagator;
import io.hartree.api.model.InitialState;
import io.hartree.api.model.Interaction;
import io.hartree.api.Observables;
import io.hartree.api.model.OneBodyOperator;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * cpu against cuda on the same problems (both on the class path: cpu from engine-cpu, test scope).
 * The physics each backend must satisfy on its own is the conformance kit (engine-api's test-jar,
 * io.hartree.gpu.conformance here, docs/conformance.md). A backend that is unavailable here is
 * skipped with its probe's reason. Double precision throughout.
 */
class CrossBackendTest {
    static List<String> backends() {
        return Backends.discover().stream().map(Backend::name).toList();
    }

    static BackendSession open(String name) {
        Backend b = Backends.discover().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        Availability a = b.probe();
        assumeTrue(a.available(), name + " backend unavailable here: " + a.reason());
        return b.open(new SessionOptions(null, 2, 0));
    }

    static HartreeProblem paper(int n, double L, double nu, Interaction v, ConvolutionMode mode, Scheme scheme, TimeMode time, double dt) {
        return new HartreeProblem(new Grid3D(n, L), OneBodyOperator.paper(nu), v, mode, scheme, time, dt);
    }

    @Test
    void bothBackendsAreOnTheClassPath() {
        assertEquals(List.of("cuda", "cpu"), backends(), "discovered, highest priority first");
    }

    /**
     * cpu and cuda agree: 100 Strang steps at 64³ (Gaussian interaction, periodic and padded; and
     * imaginary time), observables to 1e-10 relative (issue 5). Both run the same algorithm on the
     * same kernel table; what differs is FFT round-off (~1e-15 per transform) and FMA contraction.
     */
    @Test
    void cpuAndCudaAgreeAt64() {
        final double rel = 1e-10;
        try (BackendSession cuda = open("cuda"); BackendSession cpu = open("cpu")) {
            for (Object[] c : new Object[][]{{ConvolutionMode.PERIODIC, TimeMode.REAL}, {ConvolutionMode.PADDED, TimeMode.REAL},
                    {ConvolutionMode.PERIODIC, TimeMode.IMAGINARY}}) {
                ConvolutionMode mode = (ConvolutionMode) c[0];
                TimeMode tm = (TimeMode) c[1];
                HartreeProblem pb = paper(64, 16, 1, new Interaction.Gaussian(2, 1), mode, Scheme.STRANG, tm, 2e-3);
                double[] psi0 = InitialState.parse("gaussian:x0=0.5,0,0;p0=0,0.3,0").sample(pb.grid());
                Observables a = evolve(cpu, pb, psi0), b = evolve(cuda, pb, psi0);
                String where = mode.label() + ", " + tm + ", 64³, 100 steps: ";
                List<ToDoubleFunction<Observables>> fields = List.of(Observables::norm, Observables::energy, Observables::kinetic,
                        Observables::trap, Observables::interaction, Observables::x2, Observables::overlap0, Observables::meanX);
                String[] names = {"norm", "energy", "kinetic", "trap", "interaction", "x2", "overlap0", "meanX"};
                for (int i = 0; i < fields.size(); i++) {
                    double x = fields.get(i).applyAsDouble(a), y = fields.get(i).applyAsDouble(b);
                    double scale = Math.max(Math.abs(x), i == 7 ? 1e-3 : 1e-300);  // ⟨x⟩ is O(0.5): relative to it
                    assertEquals(x, y, rel * scale, where + names[i] + " cpu " + x + " vs cuda " + y);
                }
            }
        }
    }

    private static Observables evolve(BackendSession s, HartreeProblem pb, double[] psi0) {
        try (HartreePropagator p = s.hartree(pb)) {
            p.load(psi0, 0);
            p.advance(100);
            return p.observe();
        }
    }
}
