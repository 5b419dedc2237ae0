package io.hartree.gpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Names of the kernels in hartree.cu that Java launches. Precision-typed kernels exist as
 * NAME_f64 and NAME_f32; a test checks every name here against the extern "C" names of the source
 * and of the build-time PTX.
 */
final class Kernels {
    private Kernels() {}

    static final String KICK = "kick", DENSITY = "density", SPECTRUM_MULTIPLY = "spectrum_multiply",
            POTENTIAL_PHASE = "potential_phase", REDUCE_X = "reduce_x", REDUCE_K = "reduce_k";
    /** The split-step primitives' phase (potential_phase with the LHY term) and the Σ|ψ|⁵ reduction of the LHY energy. */
    static final String POTENTIAL_PHASE_LHY = "potential_phase_lhy", REDUCE_FIVE = "reduce_five";
    
    /** The rotating frame's mixed-representation factor (SplitStepKernels.axisPhase). */
    static final String AXIS_PHASE = "axis_phase";
    /** Several components: the coupled phase, the Rabi mixing and the cross sums (SplitStepKernels.phase/rabi/cross with Components). */
    static final String COUPLED_PHASE = "coupled_phase", RABI = "rabi", REDUCE_CROSS = "reduce_cross";
    static final List<String> TYPED = List.of(KICK, DENSITY, SPECTRUM_MULTIPLY, POTENTIAL_PHASE, REDUCE_X, REDUCE_K, POTENTIAL_PHASE_LHY, REDUCE_FIVE, AXIS_PHASE,
            COUPLED_PHASE, RABI, REDUCE_CROSS);
    static final String FINALIZE_SUMS = "finalize_sums", NORM_SCALE = "norm_scale", CSR_SPMV = "csr_spmv_c128", SET_F64 = "set_f64";
    static final List<String> UNTYPED = List.of(FINALIZE_SUMS, NORM_SCALE, CSR_SPMV, SET_F64);
    /** The matrix-free Fock hop kernel, in fock.cu. */
    static final String FOCK_HOP = "fock_hop_c128";
    static final List<String> FOCK = List.of(FOCK_HOP);

    static String typed(String base, boolean single) { return base + (single ? "_f32" : "_f64"); }

    /** Every kernel name the Java code may ask cuModuleGetFunction for. */
    static List<String> all() {
        List<String> l = new ArrayList<>();
        for (String b : TYPED) { l.add(typed(b, false)); l.add(typed(b, true)); }
        l.addAll(UNTYPED);
        return l;
    }
}
