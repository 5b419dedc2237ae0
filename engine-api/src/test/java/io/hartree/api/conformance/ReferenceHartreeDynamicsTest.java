package io.hartree.api.conformance;

import io.hartree.api.Backend;

/** The HartreeDynamics conformance suite on the pure-Java {@link ReferenceBackend}. */
class ReferenceHartreeDynamicsTest extends HartreeDynamicsConformance {
    @Override protected Backend backend() { return new ReferenceBackend(); }
}
