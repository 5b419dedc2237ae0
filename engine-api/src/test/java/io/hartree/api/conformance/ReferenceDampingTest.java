package io.hartree.api.conformance;

import io.hartree.api.Backend;

/** The Damping conformance suite on the reference backend. */
class ReferenceDampingTest extends DampingConformance {
    @Override protected Backend backend() { return new ReferenceBackend(); }
}
