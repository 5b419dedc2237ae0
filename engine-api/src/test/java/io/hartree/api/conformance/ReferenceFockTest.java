package io.hartree.api.conformance;

import io.hartree.api.Backend;

/** The Fock conformance suite on the pure-Java {@link ReferenceBackend}. */
class ReferenceFockTest extends FockConformance {
    @Override protected Backend backend() { return new ReferenceBackend(); }
}
