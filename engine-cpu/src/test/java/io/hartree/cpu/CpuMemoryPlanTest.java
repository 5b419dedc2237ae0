package io.hartree.cpu;

import io.hartree.api.Precision;
import io.hartree.api.hartree.ConvolutionKernel;
import io.hartree.api.model.ConvolutionMode;
import io.hartree.api.model.HartreeProblem;
import io.hartree.api.model.Interaction;
import io.hartree.api.hartree.MemoryPlan;
import io.hartree.api.model.Scheme;
import io.hartree.api.model.TimeMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The memory plan's cpu arrays against the buffers the cpu backend allocates (FFTW's off-heap
 * buffers counted by {@link FftwFft3#bytes()}, the heap arrays by {@link CpuSplitStepKernels#bytes()}):
 * equal to the byte, for periodic, padded (pruned stages), contact with the stored start-of-step
 * density, and a batch.
 */
class CpuMemoryPlanTest {
    @ParameterizedTest(name = "{0} {1} {2} batch {3}")
    @CsvSource({
            "PERIODIC, gaussian, REAL, 1",
            "PADDED, gaussian, REAL, 1",
            "PADDED, gaussian, IMAGINARY, 3",
            "PERIODIC, contact, IMAGINARY, 2",
            "PERIODIC, none, REAL, 4",
    })
    void planEqualsTheAllocatedBuffers(ConvolutionMode mode, String v, TimeMode time, int batch) {
        Interaction inter = switch (v) {
            case "contact" -> new Interaction.Contact(3);
            case "none" -> new Interaction.None();
            default -> new Interaction.Gaussian(1, 1);
        };
        HartreeProblem pb = Problems.paper(16, 10, 1, inter, mode, Scheme.STRANG, time, 1e-2);
        MemoryPlan plan = MemoryPlan.of("cpu", pb, Precision.DOUBLE, batch, time == TimeMode.IMAGINARY);
        try (CpuSession s = Problems.session()) {
            ConvolutionKernel kernel = ConvolutionKernel.build(pb.grid(), inter, mode, s.hostTransforms());
            int m = kernel.kind() == ConvolutionKernel.Kind.SPECTRAL ? kernel.size() : 0;
            boolean start = pb.scheme().startOfStepDensity(time, kernel.kind() != ConvolutionKernel.Kind.NONE);
            try (FftwFft3 fft = new FftwFft3(16, m, batch, 1, "estimate", true);
                 CpuSplitStepKernels k = new CpuSplitStepKernels(pb, kernel, fft, new Parallel(1), start)) {
                long planNative = 0, planHeap = 0;
                for (MemoryPlan.Array a : plan.arrays()) {
                    if (a.lifetime() != MemoryPlan.Lifetime.RUN) continue;
                    // The CLI's off-heap host states (initial state, output copy) are not the backend's.
                    if (a.pool() == MemoryPlan.Pool.NATIVE && !a.name().startsWith("initial state") && !a.name().startsWith("host copy")) planNative += a.bytes();
                    if (a.pool() == MemoryPlan.Pool.HEAP && (a.name().startsWith("trap") || a.name().startsWith("start-of-step"))) planHeap += a.bytes();
                }
                assertEquals(fft.bytes(), planNative, "off-heap FFT buffers: plan vs allocated");
                assertEquals(k.bytes() - fft.bytes(), planHeap, "heap arrays of the kernels (trap, stored densities): plan vs allocated");
            }
        }
    }
}
